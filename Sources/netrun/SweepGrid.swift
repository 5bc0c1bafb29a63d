import NetrunPlot
import NetrunStore

/// A recorded sweep laid out as a two-dimensional grid for `netrun plot --sweep`: the learning rate
/// across when it was swept, the other swept key up.
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
        var best: (column: Int, row: Int, score: Double, trial: SweptTrial)?
        for trial in sweep.trials {
            guard let column = x.index(of: trial), let row = y.index(of: trial) else { continue }
            cells[row][column] = Heatmap.Cell(value: trial.score, note: trial.status?.rawValue ?? "not run")
            // Ties go to the earlier trial, as the sweep's own ranking does.
            if let score = trial.score, score.isFinite,
               best == nil || (sweep.maximize ? score > best!.score : score < best!.score) {
                best = (column, row, score, trial)
            }
        }
        let metric = sweep.metric.replacingOccurrences(of: "_", with: " ")
        let caption = best.map { best in
            let settings = best.trial.params.map { "\(Axis.name(of: $0.path)) \($0.text)" }.joined(separator: ", ")
            let run = best.trial.runID.map { " (run \($0))" } ?? ""
            return "best: \(settings.isEmpty ? "trial \(best.trial.trial)" : settings): \(metric) \(Heatmap.format(best.score))\(run)"
        }
        return Heatmap(title: "sweep \(sweep.id) \(sweep.name): \(metric)", x: x.axis, y: y.axis, cells: cells,
                       best: best.map { ($0.column, $0.row) }, valueLabel: metric, caption: caption,
                       higherIsBetter: sweep.maximize)
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
