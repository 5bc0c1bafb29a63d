import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// A config with its data loaded and its network built in `Scalar`, the config's
/// `training.dtype`: everything that can fail on bad input, done before anything is written to
/// the database.
///
/// Commands read the dtype from the config and prepare in it (`Config.scalarType`); everything
/// after is generic, so a float64 run trains, checkpoints, stores and resumes in Double.
public struct PreparedRun<Scalar: NetScalar> {
    public let config: Config
    public let network: Network<Scalar>
    public let data: Datasets<Scalar>
    /// The seeded stream, already advanced past weight initialisation; the trainer continues it.
    public let generator: SplitMix64
    /// The config's folder and the fingerprints of the data files it read, recorded with the run.
    public let dataFiles: RecordedData


    /// Builds `config`'s network; `data` is loaded from the config and `dataFiles` fingerprinted
    /// unless given (a sweep loads and fingerprints once for all its trials); given data is used
    /// only when its targets were made for this model's output width and loss.
    public init(config: Config, data: Datasets<Scalar>? = nil, dataFiles: RecordedData? = nil,
                database: String? = nil) throws {
        precondition(config.training.dtype == Scalar.dtype, "a \(config.training.dtype) config prepared in \(Scalar.self)")
        var config = config
        // Sizes are checked against the memory budget before anything is allocated: first what the
        // config and file headers tell, then the data as loaded; a run too long to count is refused too.
        let budget = try MemoryBudget.fromEnvironment()
        let shared = data.flatMap { $0.targetSpec == TargetSpec(config, dataWidth: $0.train.inputs.cols) ? $0 : nil }
        if shared == nil { try MemoryEstimate(config).check(against: budget, config) }
        self.data = try shared ?? DataLoader.load(config, as: Scalar.self)
        var files = try dataFiles ?? DataFingerprints.of(config)
        _ = try RunLength.steps(config, trainingSamples: self.data.train.count)
        try MemoryEstimate(config, data: self.data).check(against: budget, config)
        if let balanced = config.balancedClassWeights {
            let weights = try BalancedClassWeights.of(self.data.train, written: balanced, loss: config.loss.value)
            config.lossOptions.classWeights = weights
            config.balancedClassWeights = nil
            config.overrides.append(try BalancedClassWeights.override(weights, loss: config.loss.value))
        }
        self.config = config
        var generator = SplitMix64(seed: config.seed)
        network = try NetworkBuilder.build(config, inputSize: self.data.train.inputs.cols, generator: &generator)
        // After the seeded initialisation, so the stream the trainer continues is the same either way.
        try WarmStart.apply(config, to: network, database: database)
        // Fingerprinted per run, not shared: a sweep may give each trial its own init_from file.
        files.files.removeAll { $0.role == DataFingerprints.warmStartRole }
        if let warmStart = try DataFingerprints.warmStart(of: config) { files.files.append(warmStart) }
        self.dataFiles = files
        self.generator = generator
        // The loader made the targets for this width and refuses a mismatch with a located error;
        // this guard only keeps a loss from ever reading past its targets.
        guard network.outputSize == self.data.train.targets.cols else {
            throw RunnerError("the model has \(network.outputSize) outputs but the data has "
                              + "\(self.data.train.targets.cols) targets per sample")
        }
    }

    /// `2 → dense 4 → tanh → dense 2 | softmax_cross_entropy, 22 parameters`
    public var modelSummary: String {
        let stages = network.layers.map { layer in
            layer is Dense<Scalar> ? "dense \(layer.outputSize)" : layer.kind
        }
        let count = network.parameters.reduce(0) { $0 + $1.parameter.value.count }
        return "\(network.inputSize) → " + stages.joined(separator: " → ")
            + " | \(config.loss.value.rawValue), \(count) parameters"
            + (Scalar.dtype == .float32 ? "" : ", \(Scalar.dtype)")
    }
}

extension PreparedRun {
    /// Rebuilds a stored run: its config text with its overrides, decoded in its `recorded` config
    /// folder so data files resolve as they did, whatever the current folder.
    public init(stored run: RunSummary, recorded: RecordedData?, data: Datasets<Scalar>? = nil,
                database: String? = nil) throws {
        try self.init(config: try run.config(recorded: recorded), data: data, dataFiles: recorded, database: database)
    }

    /// Where each parameter a checkpoint holds sits, in the network's parameter order: the trained
    /// ones (frozen parameters are rebuilt from the config, so the trainer keeps them out).
    public var tensorLayout: [TensorLayout] {
        network.parameters.filter { !$0.parameter.isFrozen }.map {
            TensorLayout(layer: $0.layer, name: $0.parameter.name, shape: $0.parameter.shape)
        }
    }

    /// The store's record of what this run trains on.
    public var dataDescription: DataDescription {
        var preprocessing: [(name: String, values: [Double])] = []
        if data.preprocessing.scale != 1 { preprocessing.append(("scale", [data.preprocessing.scale])) }
        if let mean = data.preprocessing.mean { preprocessing.append(("mean", mean)) }
        if let std = data.preprocessing.std { preprocessing.append(("std", std)) }
        return DataDescription(trainSamples: data.train.count, validationSamples: data.validation?.count,
                               testSamples: data.test?.count, classNames: data.classNames, preprocessing: preprocessing,
                               dtype: Scalar.dtype)
    }
}

extension PreparedRun where Scalar == Float {
    /// Reads, validates and builds `configPath` with `overrides` put over it in float32; throws a
    /// located `ConfigError` on bad input.
    /// `database` is where `model.init_from: {run: ID}` is looked up.
    public init(configPath: String, overrides: [ConfigOverride] = [], database: String? = nil) throws {
        let config = try ConfigLoader.load(path: configPath, overrides: overrides)
        guard config.training.dtype == .float32 else {
            throw RunnerError("\(configPath) trains in \(config.training.dtype); prepare it as PreparedRun<Double>")
        }
        try self.init(config: config, database: database)
    }
}

extension RunSummary {
    /// The run's config: its config text with its overrides, decoded in its `recorded` config
    /// folder so data files resolve as they did, whatever the current folder.
    public func config(recorded: RecordedData?) throws -> Config {
        let overrides = try ConfigOverride.parse(text: configOverrides, source: "overrides of run \(id)")
        var config = try ConfigLoader.decode(text: configText, path: DataFingerprints.configPath(of: self, recorded: recorded),
                                             overrides: overrides)
        config.name = name
        return config
    }
}
