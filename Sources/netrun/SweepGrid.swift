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
        var cells = Array(repeating: Array(repeating: Heatmap.Cell(value: nil, note: "not run"), count: x.keys.count),
                          count: y.keys.count)
        var best: (column: Int, row: Int, score: Double, trial: SweptTrial)?
        for trial in sweep.trials {
            guard let column = x.index(of: trial), let row = y.index(of: trial) else { continue }
            cells[row][column] = Heatmap.Cell(value: trial.score, note: Self.note(trial.status))
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

    static func note(_ status: RunStatus?) -> String {
        switch status {
        case nil: "not run"
        case .some(let status): status.rawValue
        }
    }

    /// One swept key: its distinct values, numeric and ascending when they are all numbers.
    struct Axis {
        let path: String
        let keys: [String]
        let axis: HeatmapAxis

        static let single = Axis(path: "", keys: [""], axis: HeatmapAxis(label: "", categories: [""]))

        private init(path: String, keys: [String], axis: HeatmapAxis) {
            self.path = path
            self.keys = keys
            self.axis = axis
        }

        init(path: String, sweep: SweepSummary) {
            let values = sweep.trials.compactMap { $0.params.first { $0.path == path } }
            self.path = path
            if values.allSatisfy({ $0.value?.isFinite ?? false }) {
                let numbers = Array(Set(values.map { $0.value! })).sorted()
                keys = numbers.map { "\($0)" }
                axis = HeatmapAxis(label: Self.name(of: path), values: numbers)
            } else {
                var texts: [String] = []
                for value in values where !texts.contains(value.text) { texts.append(value.text) }
                keys = texts
                axis = HeatmapAxis(label: Self.name(of: path), categories: texts)
            }
        }

        func index(of trial: SweptTrial) -> Int? {
            guard !path.isEmpty else { return 0 }
            guard let param = trial.params.first(where: { $0.path == path }) else { return nil }
            if case .categorical = axis.scale { return keys.firstIndex(of: param.text) }
            return param.value.flatMap { keys.firstIndex(of: "\($0)") }
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
