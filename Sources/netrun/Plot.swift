import ArgumentParser
import Foundation
import NetrunPlot
import NetrunStore

/// `netrun plot RUN… -o FILE.svg` and `netrun plot --sweep ID -o FILE.svg` (or `.png`).
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plot runs' loss and accuracy curves, or a sweep as a heatmap (grid) or scatter (random), as SVG or PNG.",
        discussion: """
            With run ids: loss (top) and accuracy (bottom) against the iteration or epoch; each run has
            its own colour (past ten runs, a marker too), training lines are solid and validation lines \
            dashed; a sweep's runs are named by their swept values (lr=0.01 reg=1e-4), a diverged run ends \
            in an ×; --metric adds a chart of any other logged metric (lr, top5, macro_f1, rmse…); \
            --log-y draws the loss and those charts in powers of ten (not the accuracy). With --sweep: the grid, one equal cell per value,
            coloured by the sweep's metric (e.g. validation accuracy), the best trial (all tied ones)
            outlined in red; a sweep of one numeric key is a line of the metric against it (log x when its
            values span a factor of ten), its best trials ringed. A sweep with random keys is drawn as a scatter of
            its two most important numeric keys (|Spearman ρ| with the metric), coloured by the metric,
            log-uniform keys on log scales. The file's extension picks the format.
            """)

    @Argument(help: "Run ids (see netrun runs).")
    var runIDs: [Int64] = []

    @Option(help: "A sweep id: draw its grid instead (see netrun runs --sweep, or the sweeps table).")
    var sweep: Int64?

    @Option(name: .shortAndLong, help: "The file to write: .svg or .png.")
    var output: String

    @Option(help: "The x axis for runs: iteration or epoch.")
    var x: XAxis = .iteration

    @Option(name: .customLong("metric"),
            help: ArgumentHelp("Another logged metric to chart below loss and accuracy, e.g. lr, top5, macro_f1, rmse (repeatable).",
                               valueName: "name"))
    var metrics: [String] = []

    @Flag(name: .customLong("log-y"), help: "Draw the loss and the --metric charts on a log scale, not the accuracy (values at or below 0 are left out, with a warning).")
    var logY = false

    @OptionGroup var storage: StoreOptions

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case iteration, epoch
    }

    func validate() throws {
        guard Self.format(of: output) != nil else {
            throw ValidationError("-o must name a .svg or .png file")
        }
        guard sweep == nil || metrics.isEmpty else { throw ValidationError("--metric charts runs; a sweep's chart uses its metric") }
        guard sweep == nil || !logY else { throw ValidationError("--log-y charts runs' loss; a sweep's chart has no loss axis") }
        guard (sweep == nil) != runIDs.isEmpty else {
            throw ValidationError(sweep == nil ? "give run ids, or --sweep ID" : "give either run ids or --sweep, not both")
        }
    }

    func run() throws {
        let store = try storage.openForReading()
        let page = try sweep.map { ChartPage(charts: [try sweepChart($0, store)]) } ?? runCharts(store)
        let bytes: Data
        do {
            bytes = try Self.format(of: output) == "png" ? Data(page.png()) : Data(page.svg().utf8)
        } catch let error as PictureError {
            throw ExitStatus.failing(error, otherwise: .failure)
        }
        try writeOutputFile(bytes, to: output)
        print("wrote \(output)")
    }

    static func format(of path: String) -> String? {
        let suffix = (path as NSString).pathExtension.lowercased()
        return ["svg", "png"].contains(suffix) ? suffix : nil
    }

    func runCharts(_ store: RunStore) throws -> ChartPage {
        let records = try runIDs.map { try loadRunRecord($0, from: store, storage: storage) }
        let trials: [Int64: RunTrial]
        do {
            trials = try store.trials(ofRuns: runIDs)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        let names = RunLegend.names(of: records.map(\.summary), trials: trials)
        var losses: [LineChart.Series] = [], accuracies: [LineChart.Series] = []
        var extra = [String: [LineChart.Series]]()
        for (index, (run, metricsRows)) in records.enumerated() {
            // One colour per run for both splits; past the palette's ten a marker tells runs apart.
            let colour = ChartColours.series[index % ChartColours.series.count]
            func series(_ name: String, _ split: String) -> LineChart.Series? {
                let points = metrics(metricsOf: name, split: split, in: metricsRows)
                guard !points.isEmpty else { return nil }
                return LineChart.Series(name: runIDs.count == 1 ? split : "\(names[index]) \(split)", points: points,
                                        colour: colour, dashed: split == "val", marker: .forSeries(index),
                                        diverged: run.status == .diverged)
            }
            for split in ["train", "val"] {
                if let loss = series("loss", split) { losses.append(loss) }
                if let accuracy = series("accuracy", split) { accuracies.append(accuracy) }
                for name in metrics {
                    if let line = series(name, split) { extra[name, default: []].append(line) }
                }
            }
        }
        for name in metrics where extra[name] == nil {
            printError("no run of \(runIDs.map(String.init).joined(separator: ", ")) logged a train or val '\(name)'; "
                       + "sqlite3 \(storage.db) 'select distinct split, name from metrics' lists what was logged")
            throw ExitStatus.badInput
        }
        if logY {
            try warnOfValuesALogScaleLeavesOut(losses, of: "loss")
            for name in metrics { try warnOfValuesALogScaleLeavesOut(extra[name]!, of: name) }
        }
        let title = runIDs.count == 1 ? "run \(runIDs[0]) \(DisplayText.line(records[0].summary.name))"
            + (trials[runIDs[0]] == nil ? "" : " (\(names[0]))") : "runs " + runIDs.map(String.init).joined(separator: ", ")
        var charts = [LineChart(title: "\(title): loss", xLabel: x.rawValue,
                                yLabel: "loss (data, without regularisation)", series: losses, logY: logY)]
        if !accuracies.isEmpty {
            charts.append(LineChart(title: "\(title): accuracy", xLabel: x.rawValue, yLabel: "accuracy",
                                    series: accuracies))
        }
        for name in metrics {
            charts.append(LineChart(title: "\(title): \(name)", xLabel: x.rawValue,
                                    yLabel: name == "lr" ? "learning rate (the next step's)" : name, series: extra[name]!,
                                    logY: logY))
        }
        return ChartPage(charts: charts)
    }

    /// A log scale cannot show a value of 0 (a perfect fit's loss, a rate decayed to 0) or below:
    /// say how many values each line of chart `name` loses, and refuse when none is left to draw.
    private func warnOfValuesALogScaleLeavesOut(_ lines: [LineChart.Series], of name: String) throws {
        for line in lines {
            let left = line.points.filter { $0.y.isFinite && $0.y <= 0 }.count
            if left > 0 {
                printError("warning: --log-y leaves out \(left) \(name) value\(left == 1 ? "" : "s") at or below 0 "
                           + "of \(runIDs.count == 1 ? "run \(runIDs[0]) \(line.name)" : line.name) (a log scale has no place for them)")
            }
        }
        guard lines.contains(where: { $0.points.contains { $0.y.isFinite && $0.y > 0 } }) else {
            printError("--log-y: no \(name) of run \(runIDs.map(String.init).joined(separator: ", ")) is above 0; "
                       + (name == "loss" ? "plot without --log-y" : "plot it without --log-y"))
            throw ExitStatus.badInput
        }
    }

    /// The logged values of metric `name` on `split`, against the chosen x axis.
    private func metrics(metricsOf name: String, split: String, in rows: [MetricPoint]) -> [(x: Double, y: Double)] {
        rows.filter { $0.split == split && $0.name == name }
            .map { (x: Double(x == .iteration ? $0.step : $0.epoch), y: $0.value) }
    }

    func sweepChart(_ id: Int64, _ store: RunStore) throws -> any Chart {
        let sweep = try loadSweep(id, from: store, storage: storage)
        do {
            if let config = SweepScatter.randomConfig(of: sweep) { return try SweepScatter(sweep: sweep, config: config).scatter() }
            return try SweepGrid(sweep).chart()
        } catch let error as SweepGrid.Unplottable {
            printError("sweep \(id): \(error.message)")
            throw ExitStatus.badInput
        }
    }
}
