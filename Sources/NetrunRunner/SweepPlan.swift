import NetrunConfig
import NetrunCore
import NetrunStore

/// A sweep's trials, each decoded and checked before anything runs, so a bad grid value fails
/// the sweep up front instead of in trial 17.
public struct SweepPlan {
    /// One grid point: what the store records about it and the config it trains.
    public struct Trial {
        public var spec: TrialSpec
        public var config: Config
        /// Each swept path with its value as written, in grid order.
        public var values: [(path: String, text: String)]
    }

    public let config: Config
    public let sweep: SweepConfig
    public let trials: [Trial]

    /// Plans the sweep of `config`; throws a located error when it has no `sweep:` block, a grid
    /// value does not decode, or the metric's split does not exist.
    public init(config: Config) throws {
        guard let sweep = config.sweep else {
            throw ConfigError("\(config.path): no 'sweep:' block; add one, e.g. sweep: {grid: {training.learning_rate: [0.1, 0.01]}}",
                              at: nil)
        }
        self.config = config
        self.sweep = sweep
        trials = try sweep.trials().enumerated().map { index, overrides in
            var trialConfig = try ConfigLoader.decode(text: config.text, path: config.path,
                                                      overrides: config.overrides + overrides)
            trialConfig.name = "\(config.name)#\(index)"
            let values = overrides.map { ($0.path, Self.text(of: $0.value)) }
            let spec = TrialSpec(
                trial: index,
                assignment: values.map { "\($0.0)=\($0.1)" }.joined(separator: ", "),
                learningRate: trialConfig.training.learningRate, reg: trialConfig.training.reg,
                params: overrides.map { ($0.path, Self.number(in: $0.value), Self.text(of: $0.value)) })
            return Trial(spec: spec, config: trialConfig, values: values)
        }
        try checkMetricSplit()
    }

    private func checkMetricSplit() throws {
        let metric = sweep.metric
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
