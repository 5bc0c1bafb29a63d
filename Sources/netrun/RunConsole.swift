import ArgumentParser
import Foundation
import NetrunCore
import NetrunRunner
import NetrunStore

/// What `netrun train` and `netrun resume` print: a header, a table row per log point, and the
/// outcome, with the exit status that goes with it. Each line reaches a pipe or file as it is
/// printed; when standard output goes away, the run stops as for the signal that would have
/// killed it (see `RunOutput`, `StopSignals`).
///
/// The header and the outcome fit 80 columns whatever the run: long models and outcomes are
/// wrapped, long names and paths shortened. On a terminal the table stays on screen, as Keras
/// leaves its history, above a progress line that is erased at the end.
struct RunConsole {
    /// `netrun NAME: MODEL` and `  samples: …`, said when the run starts.
    let title: [String]
    let samples: String
    let db: String
    let quiet: Bool
    let table: ProgressTable
    let output: RunOutput
    /// On a terminal, a line rewritten in place under the table; none elsewhere (a file, a pipe, CI).
    let line: ProgressLine?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init<Scalar>(prepared: PreparedRun<Scalar>, db: String, quiet: Bool, signals: StopSignals,
                 terminal: Bool = StatusLine.standardOutputIsTerminal) {
        // A name longer than a line is cut; a long model is wrapped after its arrows, and its loss
        // and size stay together.
        let name = TerminalColumns.cut(DisplayText.line(prepared.config.name), to: TerminalColumns.summary - "netrun : ".count)
        title = TerminalColumns.wrap(["netrun \(name): "] + TerminalColumns.parts(prepared.modelSummary, after: [" → ", " | "]))
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
        title.forEach(output.line)
        let resuming = step.map { $0 == 0 ? "; starting over from step 0" : "; resuming after step \($0)" } ?? ""
        // The database's path is one word: shortened in its middle to fit a line, not wrapped.
        let path = TerminalColumns.cutMiddle(DisplayText.line(db), to: TerminalColumns.summary - "  run \(runID) in ;".count)
        let parts = ["  samples: "] + TerminalColumns.parts(samples + "; ", after: [", "])
            + TerminalColumns.parts("run \(runID) in \(path)\(resuming)", after: ["; "])
        TerminalColumns.wrap(parts).forEach(output.line)
        output.line(table.header)
    }

    func stepped(_ step: Int, _ total: Int) {
        line?.stepped(step, of: total)
    }

    func logged(_ point: LogPoint) {
        if let line {
            line.logged(row: table.row(point), table.compact(point))
        } else if !quiet {
            output.line(table.row(point))
        }
    }

    /// Prints how the run ended; throws the exit status of anything but a finished run.
    /// `closed` is the run as the store recorded it, for a resumed run's training and wall-clock time in all.
    func finish(_ report: RunReport, signals: StopSignals, closed: RunSummary? = nil) throws {
        line?.clear()
        let seconds = (clock.now - start) / .seconds(1)
        let summary = report.result.final.map(table.summary) ?? []
        switch report.status {
        case .finished:
            var lines: [String] = []
            if let message = report.message { lines += TerminalColumns.wrap(TerminalColumns.parts(message, after: [" "])) }
            if let best = report.result.bestStep { lines.append("keep_best: the model is the weights of step \(best)") }
            var time = String(format: "%.2f s", seconds)
            if let closed, closed.resumedAt != nil, let training = closed.trainingSeconds {
                let wallClock = RunText.seconds(from: closed.startedAt, to: closed.endedAt)
                time += " this time; in all \(RunText.duration(training)) training, \(RunText.duration(wallClock)) wall-clock"
            }
            // One part per split, so a split's loss and accuracy stay on one line.
            let splits = summary.enumerated().map { $1 + ($0 == summary.count - 1 ? " " : ", ") }
            // The run's details stay together on a line of their own when they can.
            let details = "(run \(report.runID), \(report.result.steps) steps, \(time))"
            let run = TerminalColumns.columns("  " + details) <= TerminalColumns.summary ? [details] : TerminalColumns.parts(details, after: [", ", "; "])
            lines += TerminalColumns.wrap(["finished: "] + splits + run)
            output.lastLine(lines.joined(separator: "\n"))
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
