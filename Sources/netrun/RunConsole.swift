import ArgumentParser
import Foundation
import NetrunCore
import NetrunRunner
import NetrunStore

/// What `netrun train` and `netrun resume` print: a header, a table row per log point, and the
/// outcome, with the exit status that goes with it. Each line reaches a pipe or file as it is
/// printed; when standard output goes away, the run stops as for the signal that would have
/// killed it (see `RunOutput`, `StopSignals`).
struct RunConsole {
    /// `netrun NAME: MODEL` and `  samples: …`, said when the run starts.
    let title: String
    let samples: String
    let db: String
    let quiet: Bool
    let table: ProgressTable
    let output: RunOutput
    /// On a terminal, one line rewritten in place; elsewhere (a file, a pipe, CI) plain table rows.
    let line: ProgressLine?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init<Scalar>(prepared: PreparedRun<Scalar>, db: String, quiet: Bool, signals: StopSignals,
                 terminal: Bool = ProgressLine.standardOutputIsTerminal) {
        title = "netrun \(DisplayText.line(prepared.config.name)): \(prepared.modelSummary)"
        let data = prepared.data
        samples = (["\(data.train.count) training"] + (data.validation.map { ["\($0.count) validation"] } ?? [])
            + (data.test.map { ["\($0.count) test"] } ?? [])).joined(separator: ", ")
        output = RunOutput(lost: { signals.receive($0) })
        self.db = db
        self.quiet = quiet
        table = ProgressTable(hasValidation: prepared.data.validation != nil, hasTest: prepared.data.test != nil,
                              hasAccuracy: prepared.data.train.kind != .real)
        let samples = prepared.data.train.count
        let batch = min(prepared.config.training.batchSize ?? samples, max(samples, 1))
        line = terminal && !quiet
            ? ProgressLine(output: output, stepsPerEpoch: (samples + batch - 1) / max(batch, 1),
                           countsIterations: prepared.config.training.iterations != nil)
            : nil
        start = clock.now
    }

    /// `resumingAt` is the step a resumed run continues after; 0 when it starts over, which is
    /// said even with `--quiet`.
    func started(runID: Int64, resumingAt step: Int? = nil) {
        if step == 0 {
            printError("run \(runID) stopped before its first checkpoint; training it again from step 0")
        }
        guard !quiet else { return }
        output.line(title)
        let resuming = step.map { $0 == 0 ? "; starting over from step 0" : "; resuming after step \($0)" } ?? ""
        output.line("  samples: " + samples + "; run \(runID) in \(db)\(resuming)")
        if line == nil { output.line(table.header) }
    }

    func stepped(_ step: Int, _ total: Int) {
        line?.stepped(step, of: total)
    }

    func logged(_ point: LogPoint) {
        if let line {
            line.logged(table.compact(point))
        } else if !quiet {
            output.line(table.row(point))
        }
    }

    /// Prints how the run ended; throws the exit status of anything but a finished run.
    /// `closed` is the run as the store recorded it, for a resumed run's training and wall-clock time in all.
    func finish(_ report: RunReport, signals: StopSignals, closed: RunSummary? = nil) throws {
        line?.clear()
        let seconds = (clock.now - start) / .seconds(1)
        let summary = report.result.final.map(table.summary) ?? ""
        switch report.status {
        case .finished:
            if let message = report.message { output.line(message) }
            if let best = report.result.bestStep { output.line("keep_best: the model is the weights of step \(best)") }
            var time = String(format: "%.2f s", seconds)
            if let closed, closed.resumedAt != nil, let training = closed.trainingSeconds {
                let wallClock = RunText.seconds(from: closed.startedAt, to: closed.endedAt)
                time += " this time; in all \(RunText.duration(training)) training, \(RunText.duration(wallClock)) wall-clock"
            }
            output.lastLine("finished: \(summary) (run \(report.runID), \(report.result.steps) steps, \(time))")
        case .interrupted:
            printError("run \(report.runID) \(report.message ?? "interrupted"); continue with: "
                       + "netrun resume \(report.runID)" + (db == StoreOptions.defaultPath ? "" : " --db \(db)"))
            throw ExitCode(signals.exitCode)
        default:
            printError("run \(report.runID) \(report.status.rawValue): \(report.message ?? "")")
            throw ExitStatus.trainingFailed
        }
    }
}
