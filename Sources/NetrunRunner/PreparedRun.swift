import NetrunConfig
import NetrunCore
import NetrunData

/// A config with its data loaded and its network built: everything that can fail on bad input,
/// done before anything is written to the database.
public struct PreparedRun {
    public let config: Config
    public let network: Network<Float>
    public let data: Datasets<Float>
    /// The seeded stream, already advanced past weight initialisation; the trainer continues it.
    public let generator: SplitMix64

    /// Reads, validates and builds `configPath`; throws a located `ConfigError` on bad input.
    public init(configPath: String) throws {
        try self.init(config: try ConfigLoader.load(path: configPath))
    }

    public init(config: Config) throws {
        self.config = config
        data = try DataLoader.load(config)
        var generator = SplitMix64(seed: config.seed)
        network = try NetworkBuilder.build(config, inputSize: data.train.inputs.cols, generator: &generator)
        self.generator = generator
    }

    /// `2 → dense 4 → tanh → dense 2 | softmax_cross_entropy, 22 parameters`
    public var modelSummary: String {
        let stages = network.layers.map { layer in
            layer is Dense<Float> ? "dense \(layer.outputSize)" : layer.kind
        }
        let count = network.parameters.reduce(0) { $0 + $1.parameter.value.count }
        return "\(network.inputSize) → " + stages.joined(separator: " → ")
            + " | \(config.loss.value.rawValue), \(count) parameters"
    }
}
