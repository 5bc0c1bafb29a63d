import ArgumentParser
import Foundation
import NetrunPlot
import NetrunRunner
import NetrunStore

/// `netrun report RUN… -o report.html` and `netrun report --sweep ID -o report.html`.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page about runs or a sweep: configs, curves, metrics, confusion matrices.",
        discussion: """
            Each run gets its config as it ran, its loss and accuracy curves (the SVG netrun plot draws),
            its final metrics and, for a classifier, its confusion matrix (on test, else val, else train).
            With --sweep: the sweep's config, its heatmap or scatter (as netrun plot --sweep draws it) and
            a trial table that sorts by any column when its header is clicked, then the best trial's run.
            The page needs no network: its CSS, SVG and small script are inline.
            """)

    @Argument(help: "Run ids (see netrun runs).")
    var runIDs: [Int64] = []

    @Option(help: "A sweep id: report the sweep and its best trial instead.")
    var sweep: Int64?

    @Option(name: .shortAndLong, help: "The HTML file to write.")
    var output: String

    @OptionGroup var storage: StoreOptions

    func validate() throws {
        guard ["html", "htm"].contains((output as NSString).pathExtension.lowercased()) else {
            throw ValidationError("-o must name a .html file")
        }
        guard (sweep == nil) != runIDs.isEmpty else {
            throw ValidationError(sweep == nil ? "give run ids, or --sweep ID" : "give either run ids or --sweep, not both")
        }
    }

    func run() throws {
        let store = try storage.openForReading()
        var page: HTMLPage
        if let sweep {
            page = HTMLPage(title: "netrun sweep \(sweep)")
            let best = try addSweep(sweep, store, to: &page)
            if let best { try addRun(best, store, to: &page, heading: "best trial: run \(best)") }
        } else {
            page = HTMLPage(title: "netrun " + (runIDs.count == 1 ? "run \(runIDs[0])"
                                                : "runs " + runIDs.map(String.init).joined(separator: ", ")))
            if runIDs.count > 1 {
                page.heading("all runs")
                page.svg(try plot(runIDs.map(String.init)).runCharts(store).svg())
            }
            for id in runIDs { try addRun(id, store, to: &page) }
        }
        page.paragraph("written by netrun \(NetrunVersion.current) from \(storage.db)", className: "note")
        try writeOutputFile(Data(page.html.utf8), to: output)
        print("wrote \(output)")
    }

    /// `netrun plot` with these arguments, to draw exactly the charts it draws.
    private func plot(_ arguments: [String]) throws -> Plot {
        try Plot.parse(arguments + ["-o", "report.svg", "--db", storage.db])
    }

    private func addRun(_ id: Int64, _ store: RunStore, to page: inout HTMLPage, heading: String? = nil) throws {
        let (run, _) = try loadRunRecord(id, from: store, storage: storage)
        page.heading(heading ?? "run \(id): \(run.name)", id: "run-\(id)")
        page.paragraph("\(run.status.rawValue), \(run.steps) steps, \(run.epochs) epochs, seed \(run.seed), "
                       + "started \(run.startedAt)" + (run.endedAt.map { ", ended \($0)" } ?? ""))
        if let message = run.message { page.paragraph(message, className: "note") }

        page.heading("config (\(run.configPath))", level: 3)
        page.preformatted(run.configText)
        if !run.configOverrides.isEmpty {
            page.paragraph("overrides:")
            page.preformatted(run.configOverrides)
        }

        page.heading("curves", level: 3)
        page.svg(try plot([String(id)]).runCharts(store).svg())

        page.heading("final metrics", level: 3)
        func format(_ value: Double?, percent: Bool) -> String {
            guard let value else { return "-" }
            guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
            return percent ? String(format: "%.2f%%", value * 100) : String(format: "%.6g", value)
        }
        let rows = [("train", run.trainLoss, run.trainAccuracy), ("val", run.validationLoss, run.validationAccuracy),
                    ("test", run.testLoss, run.testAccuracy)]
            .filter { $0.1 != nil || $0.2 != nil }
            .map { [$0.0, format($0.1, percent: false), format($0.2, percent: true)] }
        page.table(["split", "loss", "accuracy"], rows, rightAligned: [1, 2])
        if let step = run.divergedStep { page.paragraph("diverged at step \(step)", className: "note") }

        addConfusion(id, store, to: &page)
    }

    /// The confusion matrix on the run's test part, else val, else train; a regression (or a run
    /// without a model) gets a line saying why there is none.
    private func addConfusion(_ id: Int64, _ store: RunStore, to page: inout HTMLPage) {
        let model: StoredModel
        do {
            model = try StoredModel(runID: id, store: store)
        } catch {
            page.paragraph("no confusion matrix: \(error)", className: "note")
            return
        }
        var failure: Error?
        for split in ["test", "val", "train"] {
            do {
                let report = try model.evaluate(split: split)
                guard let confusion = report.confusion else { return }
                page.heading("confusion on \(split) (\(report.count) samples; rows: true class, columns: predicted)", level: 3)
                let names = confusion.indices.map(model.className)
                page.table(["true \\ predicted"] + names,
                           zip(names, confusion).map { [$0] + $1.map(String.init) },
                           rightAligned: Set(1...max(1, names.count)))
                return
            } catch {
                failure = failure ?? error
            }
        }
        page.paragraph("no confusion matrix: \(failure.map { "\($0)" } ?? "no data")", className: "note")
    }

    /// The sweep's config, chart and trial table; returns the best trial's run.
    private func addSweep(_ id: Int64, _ store: RunStore, to page: inout HTMLPage) throws -> Int64? {
        let sweep = try loadSweep(id, from: store, storage: storage)
        let done = sweep.trials.filter { $0.score != nil }
        let best = sweep.maximize ? done.max { $0.score! < $1.score! } : done.min { $0.score! < $1.score! }
        page.heading("sweep \(id): \(sweep.name)", id: "sweep-\(id)")
        page.paragraph("\(sweep.status), \(done.count) of \(sweep.trials.count) trials scored, metric \(sweep.metric) "
                       + "(\(sweep.maximize ? "higher" : "lower") is better)"
                       + (best.map { ", best: trial \($0.trial)" } ?? ""))
        page.heading("config (\(sweep.configPath))", level: 3)
        page.preformatted(sweep.configText)
        if !sweep.configOverrides.isEmpty {
            page.paragraph("overrides:")
            page.preformatted(sweep.configOverrides)
        }

        page.heading("chart", level: 3)
        do {
            page.svg(try plot(["--sweep", String(id)]).sweepChart(id, store).svg())
        } catch let code as ExitCode where code == ExitStatus.badInput {
            page.paragraph("no chart for this sweep (see the message above)", className: "note")
        }

        page.heading("trials (click a header to sort)", level: 3)
        let paths = sweep.trials.first?.params.map(\.path) ?? []
        let rows = sweep.trials.map { trial in
            [String(trial.trial)] + paths.map { path in trial.params.first { $0.path == path }?.text ?? "-" }
                + [trial.score.map { String(format: "%.6g", $0) } ?? "-", trial.status?.rawValue ?? "not run",
                   trial.runID.map(String.init) ?? "-"]
        }
        page.table(["trial"] + paths + [sweep.metric, "status", "run"], rows, sortable: true, id: "trials",
                   rightAligned: Set(0...paths.count + 1).union([paths.count + 3]))
        return best?.runID
    }
}
