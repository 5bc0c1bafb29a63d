import NetrunCore

/// `sweep:` — a grid of values over key paths of the config and/or random samples of others, and
/// the metric that picks the winner.
public struct SweepConfig: Sendable {
    /// One swept key path and its values, in the order written.
    public struct Axis: Sendable {
        public var path: String
        public var values: [YAMLNode]
        public var location: SourceLocation?

        /// Each value as written (`…` for a list or mapping).
        public var texts: [String] {
            values.map { value in
                if case .scalar(let scalar) = value.kind { return scalar.text }
                return "…"
            }
        }
    }

    /// In document order; the first axis varies slowest. Empty for a purely random sweep.
    public var axes: [Axis]
    /// `random:`, sampled in every grid cell; nil for a grid alone.
    public var random: RandomSearch? = nil
    public var metric: Located<SweepMetric>
    /// Where `grid:` (or `random:`) is written, for errors about the sweep's size.
    public var location: SourceLocation?
    /// `halving:`, when the trials are pruned by successive halving.
    public var halving: SweepHalving?

    /// The number of grid points (1 without a grid), or nil when the product overflows.
    public var gridCells: Int? {
        var count = 1
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The number of trials, grid cells × random trials, or nil when the product overflows.
    public var trialCount: Int? {
        guard let cells = gridCells else { return nil }
        let (product, overflow) = cells.multipliedReportingOverflow(by: samplesPerCell)
        return overflow ? nil : product
    }

    /// Consecutive trials share a grid cell: trial k is cell k / samplesPerCell.
    public var samplesPerCell: Int { random?.trials ?? 1 }

    /// Every swept key path: the grid's, then the random ones, each in document order.
    public var paths: [String] { axes.map(\.path) + (random?.keys.map(\.path) ?? []) }

    /// Trial `index`'s position on each axis, first axis slowest: computed from the index alone,
    /// so a grid of a million points is never listed.
    public func positions(ofTrial index: Int) -> [Int] {
        var rest = index / samplesPerCell
        var positions = [Int](repeating: 0, count: axes.count)
        for axis in axes.indices.reversed() {
            positions[axis] = rest % axes[axis].values.count
            rest /= axes[axis].values.count
        }
        return positions
    }

    /// Trial `index`'s value of each swept key, in `paths` order: its grid point, then its random
    /// draws from `seed` (the sweep's).
    public func values(ofTrial index: Int, seed: UInt64) -> [YAMLNode] {
        zip(axes, positions(ofTrial: index)).map { axis, position in axis.values[position] }
            + (random?.sample(trial: index, seed: seed) ?? [])
    }

    /// Trial `index`'s values as overrides, in `paths` order.
    public func overrides(forTrial index: Int, seed: UInt64) throws -> [ConfigOverride] {
        try zip(paths, values(ofTrial: index, seed: seed)).map { path, value in
            try ConfigOverride(path: path, value: value, location: value.location)
        }
    }

    /// Refuses a grid value listed twice: two trials with one assignment would be the same run twice.
    /// Checked once per sweep (`SweepPlan`), not at every trial's decoding of the config.
    public func checkDistinctValues() throws {
        for axis in axes {
            var seen = Set<String>()
            for (position, text) in axis.texts.enumerated() where text != "…" && !seen.insert(text).inserted {
                throw ConfigError("\(text) is listed twice; each value of a grid is one trial",
                                  at: axis.values[position].location, path: "sweep.grid.\(axis.path)")
            }
        }
    }

    /// Whether a trial's data differs from the base config's, so it cannot share the loaded data.
    public var changesData: Bool {
        paths.contains { $0 == "seed" || $0.hasPrefix("data.") || $0 == "data" || $0.hasPrefix("model.inputs")
            || $0 == "training.dtype" }
    }
}

/// The metric a sweep ranks trials by: a split and a measure, e.g. `val_accuracy`, `val_macro_f1`.
public struct SweepMetric: Sendable, Equatable {
    public var split: String
    /// `loss` or a `MetricName`'s name.
    public var name: String

    public init(split: String, name: String) {
        self.split = split
        self.name = name
    }

    /// The measure beside the loss, or nil for the loss.
    public var measure: MetricName? { MetricName(name) }
    /// Loss and errors (mae, rmse) are better lower; accuracy, top-k, F1 and R² higher.
    public var maximize: Bool { measure?.maximize ?? false }
    public var label: String { "\(split)_\(name)" }

    public static let splits = ["val", "train", "test"]

    /// The metric `label` names, `SPLIT_NAME`, or nil.
    public init?(label: String) {
        for split in Self.splits where label.hasPrefix(split + "_") {
            let name = String(label.dropFirst(split.count + 1))
            guard name == "loss" || MetricName(name) != nil else { return nil }
            self.init(split: split, name: name)
            return
        }
        return nil
    }

    /// Every fixed label, for suggestions: each split with loss and each fixed metric name, and top5.
    static var labels: [String] {
        splits.flatMap { split in (["accuracy", "loss", "top5"] + MetricName.fixed.dropFirst().map(\.name)).map { "\(split)_\($0)" } }
    }
}

extension ConfigLoader {
    /// `sweep: {grid: {PATH: [VALUES], …}, random: {trials: N, PATH: {DISTRIBUTION: …}}, metric: val_accuracy}`,
    /// with a grid, random keys or both.
    static func decodeSweep(_ value: ConfigValue) throws -> SweepConfig {
        let sweep = try value.mapping()
        if !sweep.contains("grid"), let randomValue = sweep.optional("random") {
            return try decodeRandomSweep(sweep, random: randomValue, at: value)
        }
        let gridValue = try sweep.required("grid")
        guard case .mapping(let entries) = gridValue.node.kind, !entries.isEmpty else {
            throw gridValue.error("expected a mapping of key paths to lists of values, e.g. training.learning_rate: [0.1, 0.01]")
        }
        let axes = try entries.map { entry -> SweepConfig.Axis in
            let path = "\(gridValue.path).\(entry.key)"
            guard case .sequence(let values) = entry.value.kind, !values.isEmpty else {
                throw ConfigError("expected a non-empty list of values to try", at: entry.value.location, path: path)
            }
            // Check the path's syntax now; whether the decoder accepts each value is checked per trial.
            _ = try ConfigOverride.parse(entry.key, location: entry.keyLocation)
            if entry.key == "sweep" || entry.key.hasPrefix("sweep.") || entry.key == "name" {
                throw ConfigError("'\(entry.key)' cannot be swept", at: entry.keyLocation, path: path)
            }
            return SweepConfig.Axis(path: entry.key, values: values, location: entry.keyLocation)
        }
        let metricValue = sweep.optional("metric")
        let metric = try metricValue.map { Located(try decodeSweepMetric($0), at: $0) }
            ?? Located(SweepMetric(split: "val", name: "accuracy"), location: value.location, path: value.path + ".metric")
        let random = try sweep.optional("random").map { try decodeRandomSearch($0, grid: axes) }
        let halving = try sweep.optional("halving").map { try decodeHalving($0, sweepMetric: metric) }
        try sweep.finish()
        return SweepConfig(axes: axes, random: random, metric: metric, location: gridValue.node.location, halving: halving)
    }
}

extension ConfigLoader {
    /// `metric: SPLIT_NAME`: a split (val, train, test) and loss or a metric's name, e.g. `val_top5`.
    static func decodeSweepMetric(_ value: ConfigValue) throws -> SweepMetric {
        let text = try value.string()
        if let metric = SweepMetric(label: text) { return metric }
        var message = "unknown metric '\(text)'"
        if let guess = suggestion(for: text, among: SweepMetric.labels + topKGuess(text).map { "val_\($0)" }) {
            message += " (did you mean '\(guess)'?)"
        }
        throw value.error(message + "; expected SPLIT_METRIC (e.g. val_accuracy, val_macro_f1): SPLIT one of "
                          + SweepMetric.splits.joined(separator: ", ") + "; METRIC one of loss, \(MetricName.listed)")
    }

    /// `top` with the digits of `text`, when it has any: the likely meaning of `top_5` or `Top-5`.
    static func topKGuess(_ text: String) -> [String] {
        let digits = text.filter(\.isNumber)
        return digits.isEmpty ? [] : ["top" + digits]
    }
}
