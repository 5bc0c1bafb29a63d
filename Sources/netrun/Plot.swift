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
            its own colour, training lines are solid and validation lines dashed; --metric adds a chart \
            of any other logged metric (lr, top5, macro_f1, rmse…). With --sweep: the grid
            coloured by the sweep's metric (e.g. validation accuracy), the best trial outlined in red,
            learning rates and strengths on log scales. A sweep with random keys is drawn as a scatter of
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

    @OptionGroup var storage: StoreOptions

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case iteration, epoch
    }

    func validate() throws {
        guard Self.format(of: output) != nil else {
            throw ValidationError("-o must name a .svg or .png file")
        }
        guard sweep == nil || metrics.isEmpty else { throw ValidationError("--metric charts runs; a sweep's chart uses its metric") }
        guard (sweep == nil) != runIDs.isEmpty else {
            throw ValidationError(sweep == nil ? "give run ids, or --sweep ID" : "give either run ids or --sweep, not both")
        }
    }

    func run() throws {
        let store = try storage.openForReading()
        let page = try sweep.map { ChartPage(charts: [try sweepChart($0, store)]) } ?? runCharts(store)
        let bytes = try Self.format(of: output) == "png" ? Data(page.png()) : Data(page.svg().utf8)
        try writeOutputFile(bytes, to: output)
        print("wrote \(output)")
    }

    static func format(of path: String) -> String? {
        let suffix = (path as NSString).pathExtension.lowercased()
        return ["svg", "png"].contains(suffix) ? suffix : nil
    }

    func runCharts(_ store: RunStore) throws -> ChartPage {
        var losses: [LineChart.Series] = [], accuracies: [LineChart.Series] = [], names: [String] = []
        var extra = [String: [LineChart.Series]]()
        for (index, id) in runIDs.enumerated() {
            let (run, metricsRows) = try loadRunRecord(id, from: store, storage: storage)
            names.append("run \(id) \(DisplayText.line(run.name))")
            let colour = ChartColours.series[index % ChartColours.series.count]
            for split in ["train", "val"] {
                for name in ["loss", "accuracy"] {
                    let points = metrics(metricsOf: name, split: split, in: metricsRows)
                    guard !points.isEmpty else { continue }
                    let label = runIDs.count == 1 ? split : "\(names[index]) \(split)"
                    let series = LineChart.Series(name: label, points: points, colour: colour, dashed: split == "val")
                    if name == "loss" { losses.append(series) } else { accuracies.append(series) }
                }
                for name in metrics {
                    let points = metrics(metricsOf: name, split: split, in: metricsRows)
                    guard !points.isEmpty else { continue }
                    let label = runIDs.count == 1 ? split : "\(names[index]) \(split)"
                    extra[name, default: []].append(LineChart.Series(name: label, points: points, colour: colour,
                                                                     dashed: split == "val"))
                }
            }
        }
        for name in metrics where extra[name] == nil {
            printError("no run of \(runIDs.map(String.init).joined(separator: ", ")) logged a train or val '\(name)'; "
                       + "sqlite3 \(storage.db) 'select distinct split, name from metrics' lists what was logged")
            throw ExitStatus.badInput
        }
        let title = names.count == 1 ? names[0] : "runs " + runIDs.map(String.init).joined(separator: ", ")
        var charts = [LineChart(title: "\(title): loss", xLabel: x.rawValue,
                                yLabel: "loss (data, without regularisation)", series: losses)]
        if !accuracies.isEmpty {
            charts.append(LineChart(title: "\(title): accuracy", xLabel: x.rawValue, yLabel: "accuracy",
                                    series: accuracies))
        }
        for name in metrics {
            charts.append(LineChart(title: "\(title): \(name)", xLabel: x.rawValue,
                                    yLabel: name == "lr" ? "learning rate (the next step's)" : name, series: extra[name]!))
        }
        return ChartPage(charts: charts)
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
            return try SweepGrid(sweep).heatmap()
        } catch let error as SweepGrid.Unplottable {
            printError("sweep \(id): \(error.message)")
            throw ExitStatus.badInput
        }
    }
}
