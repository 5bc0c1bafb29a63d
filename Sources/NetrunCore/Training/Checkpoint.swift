/// Where training stands, besides the parameters: enough to continue as if it never stopped.
public struct TrainingProgress: Sendable, Equatable {
    /// Updates applied so far.
    public var step: Int
    /// Epochs completed.
    public var epoch: Int
    /// The rate after the decays so far.
    public var learningRate: Double
    /// The batch-order stream, positioned after the last shuffle.
    public var generator: SplitMix64
    /// The sample order of the current epoch; shuffles permute it in place, so each epoch's
    /// order depends on the one before and must be kept, not re-derived.
    public var order: [Int]

    public init(step: Int, epoch: Int, learningRate: Double, generator: SplitMix64, order: [Int]) {
        self.step = step
        self.epoch = epoch
        self.learningRate = learningRate
        self.generator = generator
        self.order = order
    }
}

/// A snapshot a run can be continued from: progress, every parameter and every momentum buffer,
/// in the network's parameter order.
public struct Checkpoint<Scalar: NetScalar>: Sendable {
    public var progress: TrainingProgress
    public var parameters: [[Scalar]]
    /// Empty without momentum, or before the first step.
    public var velocities: [[Scalar]]

    public init(progress: TrainingProgress, parameters: [[Scalar]], velocities: [[Scalar]]) {
        self.progress = progress
        self.parameters = parameters
        self.velocities = velocities
    }
}
