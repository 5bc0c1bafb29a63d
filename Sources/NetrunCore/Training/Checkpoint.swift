/// Where training stands, besides the parameters: enough to continue as if it never stopped.
public struct TrainingProgress: Sendable, Equatable {
    /// Updates applied so far.
    public var step: Int
    /// Epochs completed.
    public var epoch: Int
    /// The main schedule's rate for the next step (warmup scales it: `ScheduleSettings.rate(for:)`):
    /// the one place the current rate is kept.
    public var learningRate: Double
    /// The batch-order stream, positioned after the last shuffle.
    public var generator: SplitMix64
    /// The sample order of the current epoch; shuffles permute it in place, so each epoch's
    /// order depends on the one before and must be kept, not re-derived. With sampling
    /// `with_replacement` it stays 0..<n: each batch is drawn from `generator` instead.
    public var order: [Int]
    /// `plateau`'s record of its metric.
    public var plateau = MetricWatch()
    /// `early_stopping`'s record of its metric.
    public var earlyStopping = MetricWatch()
    /// `keep_best`'s record: the best value and its step.
    public var best = MetricWatch()

    public init(step: Int, epoch: Int, learningRate: Double, generator: SplitMix64, order: [Int],
                plateau: MetricWatch = MetricWatch(), earlyStopping: MetricWatch = MetricWatch(),
                best: MetricWatch = MetricWatch()) {
        self.step = step
        self.epoch = epoch
        self.learningRate = learningRate
        self.generator = generator
        self.order = order
        self.plateau = plateau
        self.earlyStopping = earlyStopping
        self.best = best
    }
}

/// A snapshot a run can be continued from: progress, every parameter and every momentum buffer,
/// in the network's parameter order.
public struct Checkpoint<Scalar: NetScalar>: Sendable {
    public var progress: TrainingProgress
    public var parameters: [[Scalar]]
    /// Empty without momentum, or before the first step.
    public var velocities: [[Scalar]]
    /// With `keep_best`, the weights of the best log point so far; else empty.
    public var bestParameters: [[Scalar]]

    public init(progress: TrainingProgress, parameters: [[Scalar]], velocities: [[Scalar]], bestParameters: [[Scalar]] = []) {
        self.progress = progress
        self.parameters = parameters
        self.velocities = velocities
        self.bestParameters = bestParameters
    }
}

extension TrainingProgress {
    /// Why `order` cannot be an epoch's order of `count` training samples (every sample once), or
    /// nil when it can. The trainer gathers batches through it straight from memory.
    public func orderMismatch(samples count: Int) -> String? {
        guard order.count == count else {
            return "its sample order has \(order.count) samples, the training data \(count)"
        }
        var seen = [Bool](repeating: false, count: count)
        for index in order {
            guard (0..<count).contains(index) else {
                return "its sample order names sample \(index), out of range for \(count) training samples"
            }
            guard !seen[index] else { return "its sample order names sample \(index) twice" }
            seen[index] = true
        }
        return nil
    }
}

extension Checkpoint {
    /// Why the tensors do not fit parameters of `sizes` values each (and momentum buffers, when
    /// kept, the same), or nil when they do.
    public func mismatch(parameterSizes sizes: [Int]) -> String? {
        guard parameters.count == sizes.count else {
            return "\(parameters.count) parameter tensors for \(sizes.count) parameters"
        }
        guard velocities.isEmpty || velocities.count == sizes.count else {
            return "\(velocities.count) momentum tensors for \(sizes.count) parameters"
        }
        guard bestParameters.isEmpty || bestParameters.count == sizes.count else {
            return "\(bestParameters.count) best-weight tensors for \(sizes.count) parameters"
        }
        for (position, size) in sizes.enumerated() {
            guard parameters[position].count == size else {
                return "parameter \(position) has \(parameters[position].count) values, the model's \(size)"
            }
            guard velocities.isEmpty || velocities[position].count == size else {
                return "momentum \(position) has \(velocities[position].count) values, the model's \(size)"
            }
            guard bestParameters.isEmpty || bestParameters[position].count == size else {
                return "best weights \(position) have \(bestParameters[position].count) values, the model's \(size)"
            }
        }
        return nil
    }
}
