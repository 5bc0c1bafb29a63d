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
    /// `train_metrics: running`: what the batches since the last log point counted, so a run
    /// resumed between log points logs the same mean as one that never stopped; nil at a log point.
    public var running: RunningCounts?

    public init(step: Int, epoch: Int, learningRate: Double, generator: SplitMix64, order: [Int],
                plateau: MetricWatch = MetricWatch(), earlyStopping: MetricWatch = MetricWatch(),
                best: MetricWatch = MetricWatch(), running: RunningCounts? = nil) {
        self.step = step
        self.epoch = epoch
        self.learningRate = learningRate
        self.generator = generator
        self.order = order
        self.plateau = plateau
        self.earlyStopping = earlyStopping
        self.best = best
        self.running = running
    }
}

/// Each batch shard's counts (loss sums, hits, confusion) over the training batches since the last
/// log point, and the rows they covered: `train_metrics: running`'s state between log points.
/// Kept per shard, as computed, so merging them at the log point adds in the same order as ever.
public struct RunningCounts: Sendable, Equatable, Codable {
    public var shards: [MetricCounts]
    public var rows: Int

    public init(shards: [MetricCounts], rows: Int) {
        self.shards = shards
        self.rows = rows
    }
}

/// A snapshot a run can be continued from: progress, every parameter and the optimizer's state,
/// in the network's parameter order.
public struct Checkpoint<Scalar: NetScalar>: Sendable {
    public var progress: TrainingProgress
    public var parameters: [[Scalar]]
    /// The optimizer's state tensors by checkpoint name (`velocity` for SGD's momentum_buffer,
    /// `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` for Adam's), one per parameter each. Empty
    /// before the first step and for plain SGD. Adam's step count is `progress.step`.
    public var optimizerState: [String: [[Scalar]]]
    /// With `keep_best`, the weights of the best log point so far; else empty.
    public var bestParameters: [[Scalar]]

    public init(progress: TrainingProgress, parameters: [[Scalar]], optimizerState: [String: [[Scalar]]] = [:],
                bestParameters: [[Scalar]] = []) {
        self.progress = progress
        self.parameters = parameters
        self.optimizerState = optimizerState
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
    /// Why the tensors do not fit parameters of `sizes` values each trained by `optimizer` (its
    /// state, once it has stepped, one tensor per parameter under each of its names and nothing
    /// else), or nil when they do.
    public func mismatch(parameterSizes sizes: [Int], optimizer: OptimizerChoice) -> String? {
        guard parameters.count == sizes.count else {
            return "\(parameters.count) parameter tensors for \(sizes.count) parameters"
        }
        for (position, size) in sizes.enumerated() where parameters[position].count != size {
            return "parameter \(position) has \(parameters[position].count) values, the model's \(size)"
        }
        guard bestParameters.isEmpty || bestParameters.count == sizes.count else {
            return "\(bestParameters.count) best-weight tensors for \(sizes.count) parameters"
        }
        for (position, size) in sizes.enumerated() where !bestParameters.isEmpty && bestParameters[position].count != size {
            return "best weights \(position) have \(bestParameters[position].count) values, the model's \(size)"
        }
        for name in optimizerState.keys.sorted() where !optimizer.stateNames.contains(name) {
            return "it holds optimizer state '\(name)', which \(optimizer.name) does not keep"
        }
        if progress.step == 0, let name = optimizerState.keys.sorted().first {
            return "it holds optimizer state '\(name)' before any step"
        }
        if progress.step > 0, let name = optimizer.stateNames.first(where: { optimizerState[$0] == nil }) {
            return "it has no optimizer state '\(name)', which \(optimizer.name) keeps after step \(progress.step)"
        }
        for name in optimizerState.keys.sorted() {
            let tensors = optimizerState[name]!
            guard tensors.count == sizes.count else {
                return "\(tensors.count) \(name) tensors for \(sizes.count) parameters"
            }
            for (position, size) in sizes.enumerated() where tensors[position].count != size {
                return "\(name) \(position) has \(tensors[position].count) values, the model's \(size)"
            }
        }
        return nil
    }
}
