import NetrunConfig
import NetrunCore
import NetrunData

/// `netrun gradcheck`: the config's model in Float64 on a few of its training samples, every
/// parameter's analytic gradient against centered differences (cs231n's check).
public struct GradientCheckRun {
    public let config: Config
    public let network: Network<Double>
    public let samples: Int
    /// The objective (data loss + regularisation) at the checked weights; a check of gradients
    /// means nothing where it is NaN or infinite.
    public let loss: Double
    public let results: [GradientCheckResult]
    /// The centered differences' h and the test each entry must pass.
    public let step: Double
    public let tolerance: GradientTolerance

    /// Checks up to `entries` randomly chosen entries of every parameter on the first `samples`
    /// training samples, with the config's regularisation. The defaults are
    /// torch.autograd.gradcheck's: h = 1e-6, |a − n| ≤ 1e-5 + 1e-3·|n|.
    public init(config: Config, samples: Int, entries: Int, tolerance: GradientTolerance = .torch,
                step: Double = GradientCheck.torchStep) throws {
        self.config = config
        self.step = step
        self.tolerance = tolerance
        // Sizes are checked against the memory budget before anything is loaded or built.
        try MemoryEstimate(config).check(against: try MemoryBudget.fromEnvironment(), config)
        let data = try DataLoader.load(config, as: Double.self)
        var generator = SplitMix64(seed: config.seed)
        network = try NetworkBuilder.build(config, inputSize: data.train.inputs.cols, generator: &generator)
        let batch = data.train.subset(Array(0..<min(samples, data.train.count)))
        self.samples = batch.count
        loss = network.dataLoss(batch.inputs, batch.targets) + network.regularizationLoss(strength: config.training.reg)
        results = GradientCheck(step: step, entriesPerParameter: entries, tolerance: tolerance)
            .run(network, input: batch.inputs, target: batch.targets, reg: config.training.reg, generator: &generator)
    }

    /// Each parameter's shape, in the order of `results`.
    public var shapes: [[Int]] { network.parameters.map(\.parameter.shape) }
}
