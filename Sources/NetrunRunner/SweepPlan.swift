import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// A sweep's grid and random keys, checked before anything runs, with each trial worked out from its
/// index when it is wanted: a grid of a million points costs no more to start than one of nine.
public struct SweepPlan: Sendable {
    /// One grid point: what the store records about it and the config it trains.
    public struct Trial: Sendable {
        public var spec: TrialSpec
        public var config: Config
        /// Each swept path with its value as written (as drawn, for a random key), in `sweep.paths` order.
        public var values: [(path: String, text: String)]
    }

    /// More trials than anyone can run; a grid this big is a mistake, refused with its size.
    public static let maxTrials = 10_000_000

    public let config: Config
    public let sweep: SweepConfig
    /// The number of trials: the product of the axes' lengths, times the random trials per grid cell.
    public let count: Int
    /// `config.text` parsed once: a big grid's text is long, and every trial decodes it.
    private let root: YAMLNode

    /// Plans the sweep of `config`; throws a located error when it has no `sweep:` block, the grid
    /// is too big, a grid value does not decode, or the metric's split does not exist.
    ///
    /// Each value is decoded once, with the other axes as the config has them, so a bad value
    /// fails the sweep up front instead of in trial 17 (or trial 400 000).
    public init(config: Config) throws {
        guard let sweep = config.sweep else {
            throw ConfigError("\(config.path): no 'sweep:' block; add one, e.g. sweep: {grid: {training.learning_rate: [0.1, 0.01]}}",
                              at: nil)
        }
        self.config = config
        self.sweep = sweep
        let sizes = (sweep.axes.map { String($0.values.count) } + (sweep.random.map { ["\($0.trials) random"] } ?? []))
            .joined(separator: " × ")
        guard let count = sweep.trialCount, count <= Self.maxTrials else {
            let total = sweep.trialCount.map { "\($0) trials" } ?? "more trials than a 64-bit count holds"
            let what = sweep.random == nil ? "grid" : "sweep"
            throw ConfigError("the \(what) has \(sizes) = \(total); a sweep runs at most \(Self.maxTrials): "
                              + "split it into several sweeps or sweep fewer values", at: sweep.location,
                              path: sweep.axes.isEmpty ? "sweep.random" : "sweep.grid")
        }
        self.count = count
        try sweep.checkDistinctValues()
        root = try YAMLLoader.parse(config.text, file: config.path)
        for (path, value) in triedValues {
            _ = try decode(overrides: [try ConfigOverride(path: path, value: value, location: value.location)])
        }
        try checkMetricSplit(sweep.metric)
        if let halving = sweep.halving {
            try halving.check(config.training, sweeping: sweep.paths)
            try checkMetricSplit(halving.metric)
        }
    }

    /// Builds the network of each value of each `model.` axis on `data`, so a shape error stops
    /// the sweep before its first trial; `database` is where `init_from: {run: ID}` is looked up.
    func checkModels<Scalar>(data: Datasets<Scalar>, database: String? = nil) throws {
        for (path, value) in triedValues where path.hasPrefix("model.") {
            let override = try ConfigOverride(path: path, value: value, location: value.location)
            _ = try PreparedRun<Scalar>(config: try decode(overrides: [override]), data: data, database: database)
        }
    }

    /// Each grid value, and each random key's bounds (or choices): the values whose decoding is
    /// checked before the first trial. A draw lies between its bounds, so it decodes if they do.
    private var triedValues: [(path: String, value: YAMLNode)] {
        sweep.axes.flatMap { axis in axis.values.map { (axis.path, $0) } }
            + (sweep.random?.keys ?? []).flatMap { key in key.distribution.extremes.map { (key.path, $0) } }
    }

    /// Trial `index`'s swept values as written (or drawn), in `sweep.paths` order; cheap (no decoding).
    public func values(ofTrial index: Int) -> [(path: String, text: String)] {
        zip(sweep.paths, sweep.values(ofTrial: index, seed: config.seed)).map { path, value in (path, Self.text(of: value)) }
    }

    /// `training.learning_rate=1e-07, training.reg=25000`: identifies the trial in the store. A
    /// random search names its draw too (`…, draw 3`): discrete keys can draw the same values twice,
    /// and each draw is its own trial.
    public func assignment(ofTrial index: Int) -> String {
        let values = values(ofTrial: index).map { "\($0.path)=\($0.text)" }.joined(separator: ", ")
        guard let random = sweep.random else { return values }
        return values + ", draw \(index % random.trials)"
    }

    /// Trial `index` decoded: its config (named `NAME#index`) and its record for the store.
    public func trial(_ index: Int) throws -> Trial {
        let overrides = try sweep.overrides(forTrial: index, seed: config.seed)
        var trialConfig = try decode(overrides: overrides)
        trialConfig.name = "\(config.name)#\(index)"
        let values = values(ofTrial: index)
        let spec = TrialSpec(
            trial: index, assignment: assignment(ofTrial: index),
            learningRate: trialConfig.training.learningRate, reg: trialConfig.training.reg,
            params: zip(overrides, values).map { ($0.path, Self.number(in: $0.value), $1.text) })
        return Trial(spec: spec, config: trialConfig, values: values)
    }

    /// Swept keys whose value never changes how much memory a trial needs.
    private static let sizeFreeKeys: Set<String> = [
        "seed", "training.learning_rate", "training.reg", "training.momentum", "training.epochs",
        "training.iterations", "training.learning_rate_decay",
    ]

    /// The configs a sweep's memory check must size: among the first `limit` trials, one per
    /// distinct combination of the values that can change a trial's size (units, batch size,
    /// optimizer, data…), so a million-point grid over learning rate and reg decodes one config
    /// rather than ten thousand. A huge grid's size-changing axes take all their values early.
    public func sizingTrials(limit: Int = 10_000) -> [Config] {
        var seen = Set<[String]>(), configs: [Config] = []
        for index in 0..<min(count, limit) {
            let key = values(ofTrial: index).filter { !Self.sizeFreeKeys.contains($0.path) }.map(\.text)
            guard seen.insert(key).inserted, let trial = try? trial(index) else { continue }
            configs.append(trial.config)
        }
        return configs
    }

    /// Refuses a metric that the targets of `data` do not have, so a sweep ranked by `val_rmse` of
    /// class labels, or `val_macro_f1` of real values, stops before its first trial.
    func checkMetricFits<Scalar>(data: Datasets<Scalar>) throws {
        guard let measure = sweep.metric.value.measure else { return }
        let real = data.train.kind == .real
        guard measure.isRegression != real else { return }
        throw sweep.metric.error("\(sweep.metric.value.label) is not measured for "
                                 + (real ? "real-valued targets; rank by loss, mae, rmse or r2"
                                         : "class labels; rank by loss, accuracy, top<k> or a macro_ metric"))
    }

    /// The config with `overrides` put over it (after the command line's).
    private func decode(overrides: [ConfigOverride]) throws -> Config {
        try ConfigLoader.decode(root: root, text: config.text, path: config.path, overrides: config.overrides + overrides)
    }

    private func checkMetricSplit(_ metric: Located<SweepMetric>) throws {
        let data = config.data
        let available = switch metric.value.split {
        case "val": data.validation != nil || data.split.validation != nil
        case "test": data.test != nil || data.split.test != nil
        default: true
        }
        guard available else {
            let key = metric.value.split
            throw metric.error("\(metric.value.label) needs a \(key == "val" ? "validation" : "test") set; "
                               + "add data.split.\(key) or data.\(key)")
        }
    }

    /// A scalar's text; `…` for a list or mapping.
    private static func text(of node: YAMLNode) -> String {
        if case .scalar(let scalar) = node.kind { return scalar.text }
        return "…"
    }

    private static func number(in node: YAMLNode) -> Double? {
        guard case .scalar(let scalar) = node.kind else { return nil }
        switch scalar.value {
        case .int(let n): return Double(n)
        case .double(let x): return x
        default: return nil
        }
    }
}
