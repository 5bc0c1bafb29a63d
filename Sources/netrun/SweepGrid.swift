import NetrunPlot
import NetrunStore

/// A recorded sweep laid out as a two-dimensional grid for `netrun plot --sweep`: the learning rate
/// across when it was swept, the other swept key up; a sweep of one numeric key as a line.
struct SweepGrid {
    struct Unplottable: Error {
        var message: String
    }

    let sweep: SweepSummary

    init(_ sweep: SweepSummary) {
        self.sweep = sweep
    }

    /// The swept key paths in the order the heatmap uses them: x first.
    var axes: [String] {
        var paths: [String] = []
        for param in sweep.trials.flatMap(\.params) where !paths.contains(param.path) { paths.append(param.path) }
        if let rate = paths.firstIndex(of: "training.learning_rate") { paths.insert(paths.remove(at: rate), at: 0) }
        return paths
    }

    /// The sweep's picture: a line of the metric against the swept value when one numeric key was
    /// swept, else a heatmap.
    func chart() throws -> any Chart {
        let paths = axes
        if paths.count == 1, !sweep.trials.isEmpty, case .numbers = Axis(path: paths[0], sweep: sweep).values {
            return lineChart(path: paths[0])
        }
        return try heatmap()
    }

    /// The trials with the best score: more than one when they tie (exactly equal scores).
    var bestTrials: [SweptTrial] {
        let scores = sweep.trials.compactMap(\.score).filter(\.isFinite)
        guard let best = sweep.maximize ? scores.max() : scores.min() else { return [] }
        return sweep.trials.filter { $0.score == best }
    }

    var metricName: String { sweep.metric.replacingOccurrences(of: "_", with: " ") }

    /// "best: learning rate 0.1, regularisation strength 1e-4: val accuracy 0.95 (run 7)", naming the
    /// first of tied trials, as the sweep's own ranking does.
    var caption: String? {
        bestTrials.first.map { best in
            let settings = best.params.map { "\(Axis.name(of: $0.path)) \($0.text)" }.joined(separator: ", ")
            let run = best.runID.map { " (run \($0))" } ?? ""
            return "best: \(settings.isEmpty ? "trial \(best.trial)" : settings): \(metricName) \(Heatmap.format(best.score!))\(run)"
        }
    }

    func heatmap() throws -> Heatmap {
        guard !sweep.trials.isEmpty else { throw Unplottable(message: "has no trials yet") }
        let paths = axes
        guard paths.count <= 2 else {
            throw Unplottable(message: "varies \(paths.count) keys (\(paths.joined(separator: ", "))); a heatmap shows two — "
                              + "compare its runs with netrun runs --sweep \(sweep.id) or netrun plot RUN…")
        }
        let x = paths.count > 0 ? Axis(path: paths[0], sweep: sweep) : Axis.single
        let y = paths.count > 1 ? Axis(path: paths[1], sweep: sweep) : Axis.single
        var cells = Array(repeating: Array(repeating: Heatmap.Cell(value: nil, note: "not run"), count: x.count),
                          count: y.count)
        for trial in sweep.trials {
            guard let column = x.index(of: trial), let row = y.index(of: trial) else { continue }
            cells[row][column] = Heatmap.Cell(value: trial.score, note: trial.status?.rawValue ?? "not run")
        }
        let best = bestTrials.compactMap { trial in x.index(of: trial).flatMap { column in y.index(of: trial).map { (column, $0) } } }
        return Heatmap(title: "sweep \(sweep.id) \(sweep.name): \(metricName)", x: x.axis, y: y.axis, cells: cells,
                       best: best, valueLabel: metricName, caption: caption, higherIsBetter: sweep.maximize)
    }

    /// The metric against the one swept key, a marker on every trial: on a log axis when the values
    /// span a factor of ten or more and none is 0 or below. Trials without a score leave a gap.
    func lineChart(path: String) -> LineChart {
        let points = sweep.trials.compactMap { trial -> (x: Double, y: Double)? in
            guard let value = trial.params.first(where: { $0.path == path })?.value else { return nil }
            return (value, trial.score ?? .nan)
        }.sorted { $0.x < $1.x }
        let xs = points.map(\.x)
        let log = (xs.min() ?? 0) > 0 && (xs.max() ?? 0) >= 10 * (xs.min() ?? 0)
        let best = bestTrials.compactMap { trial -> (x: Double, y: Double)? in
            guard let value = trial.params.first(where: { $0.path == path })?.value, let score = trial.score else { return nil }
            return (value, score)
        }
        let ties = best.count > 1 ? " (\(best.count) tied for best)" : ""
        let title = "sweep \(sweep.id) \(sweep.name): \(metricName) by \(Axis.name(of: path))\(ties)"
        let line = LineChart.Series(name: metricName, points: points, colour: ChartColours.series[0], marker: .circle)
        var chart = LineChart(title: title, xLabel: Axis.name(of: path), yLabel: metricName, series: [line], logX: log)
        chart.best = best
        chart.bestLabel = best.count > 1 ? "best (tied)" : "best"
        return chart
    }

    /// One swept key: its distinct values, numeric and ascending when they are all numbers.
    struct Axis {
        /// The values in axis order: numbers match a trial by value, anything else by the text written.
        enum Values {
            case numbers([Double]), texts([String])
        }

        let path: String
        let values: Values
        let axis: HeatmapAxis

        static let single = Axis(path: "", values: .texts([""]), axis: HeatmapAxis(label: "", categories: [""]))

        private init(path: String, values: Values, axis: HeatmapAxis) {
            self.path = path
            self.values = values
            self.axis = axis
        }

        init(path: String, sweep: SweepSummary) {
            let params = sweep.trials.compactMap { $0.params.first { $0.path == path } }
            self.path = path
            if params.allSatisfy({ $0.value?.isFinite ?? false }) {
                let numbers = Array(Set(params.map { $0.value! })).sorted()
                values = .numbers(numbers)
                axis = HeatmapAxis(label: Self.name(of: path), values: numbers)
            } else {
                var texts: [String] = []
                for param in params where !texts.contains(param.text) { texts.append(param.text) }
                values = .texts(texts)
                axis = HeatmapAxis(label: Self.name(of: path), categories: texts)
            }
        }

        var count: Int { axis.count }

        func index(of trial: SweptTrial) -> Int? {
            guard !path.isEmpty else { return 0 }
            guard let param = trial.params.first(where: { $0.path == path }) else { return nil }
            switch values {
            case .numbers(let numbers): return param.value.flatMap { numbers.firstIndex(of: $0) }
            case .texts(let texts): return texts.firstIndex(of: param.text)
            }
        }

        /// What people call the two keys a cs231n grid sweeps; other keys by their path.
        static func name(of path: String) -> String {
            switch path {
            case "training.learning_rate": "learning rate"
            case "training.reg": "regularisation strength"
            default: path
            }
        }
    }
}
