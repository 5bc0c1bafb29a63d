import NetrunConfig
import NetrunCore
import NetrunData

/// What a training run holds in memory, estimated from its config and the shape of its data
/// before anything is allocated, in saturating arithmetic so that no size can trap on overflow.
///
/// It counts what grows with the config (4-byte Floats throughout; 8-byte Doubles for the model
/// and activations of a float64 run, whose data is read as Floats and held as Doubles too):
/// - model: parameters, a gradient per shard, the optimizer's state (SGD's momentum, Adam's two
///   moments, three with amsgrad), and the copies a checkpoint makes;
/// - activations: each layer's output and input gradient for the rows of one batch shard (or of
///   an evaluation chunk, when larger), in every shard;
/// - data: inputs and targets of every part, and the training order (with its checkpoint copies).
public struct MemoryEstimate: Sendable {
    public var model: ByteCount
    public var activations: ByteCount
    public var data: ByteCount
    /// Trainable values; `Int.max` when the count overflows.
    public var parameters: Int
    /// Rows each shard's layer buffers hold.
    public var rows: Int
    /// Samples of every part.
    public var samples: Int
    /// The model's input width.
    var inputs: Int

    public var total: ByteCount { model + activations + data }

    /// The rows a shard evaluates at once (the trainer's evaluation chunk).
    static var evaluationChunk: Int { Trainer<Float>.evaluationChunk }

    /// `config`'s run on parts of `samples` samples (training first) of `inputWidth` features.
    public init(_ config: Config, samples: [Int], inputWidth: Int) {
        let inputs = config.model.inputs?.value ?? inputWidth
        self.inputs = inputs
        var width = inputs, parameters = ByteCount.zero, perRow = ByteCount.zero
        for layer in config.model.layers {
            switch layer.kind {
            case .dense(let units, let activation, _):
                parameters = parameters + ByteCount(ByteCount.product([width, units])) + ByteCount(units)
                perRow = perRow + ByteCount(units) + ByteCount(width)  // output, input gradient
                if let activation, activation != .identity { perRow = perRow + ByteCount(units) * 2 }
                width = units
            case .activation(let activation):
                if activation != .identity { perRow = perRow + ByteCount(width) * 2 }
            case .dropout:
                perRow = perRow + ByteCount(width) * 3  // mask, output, input gradient
            }
        }
        let outputs = width
        // The loss's buffers, and each shard's gathered batch.
        perRow = perRow + ByteCount(outputs) * 3 + ByteCount(inputs)

        let train = samples.first ?? 0
        let batch = max(1, min(config.training.batchSize ?? train, train))
        let shards = batch >= 64 ? 2 : 1
        rows = max((batch + shards - 1) / shards, min(Self.evaluationChunk, samples.max() ?? 0))
        // SGD's velocity (with momentum), Adam's exp_avg and exp_avg_sq (and max_exp_avg_sq with amsgrad)
        let state = config.training.optimizer.stateNames.count
        // value + one gradient per shard + optimizer state + checkpoint copies of values and state (twice)
        let size = config.training.dtype.size
        model = parameters * size * (1 + shards + state + 2 * (1 + state))
        activations = perRow * size * rows * shards
        var data = ByteCount(train) * 8 * 3
        let copies = size / 4 + (size > 4 ? 1 : 0)  // float64: the Floats read, then their Doubles
        for count in samples { data = data + (ByteCount.floats(count, inputs) + ByteCount.floats(count, outputs)) * copies }
        self.data = data
        self.parameters = parameters.value
        self.samples = samples.reduce(ByteCount.zero) { $0 + ByteCount($1) }.value
    }

    /// The estimate for `config` before its data is loaded: sizes written in the config, declared
    /// by file headers or implied by file lengths (a CSV file's rows count as none).
    public init(_ config: Config) {
        let (samples, width) = Self.dataShape(config)
        self.init(config, samples: samples, inputWidth: width)
    }

    /// Samples of each part and the width of `config`'s data, as far as known before loading it.
    static func dataShape(_ config: Config) -> (samples: [Int], width: Int) {
        let main = SourceSize(config.data.source)
        let parts = [main] + [config.data.validation, config.data.test].compactMap { $0.map(SourceSize.init) }
        return (parts.map { $0.rows ?? 0 }, main.width ?? 1)
    }

    /// The estimate for `config` on its loaded data.
    public init<Scalar>(_ config: Config, data: Datasets<Scalar>) {
        let samples = [data.train.count, data.validation?.count, data.test?.count].compactMap { $0 }
        self.init(config, samples: samples, inputWidth: data.train.inputs.cols)
    }

    /// Throws a `ConfigError` at the setting that made the estimate too large when it is over
    /// `budget`; `running` describes the run (a sweep's several trials at once).
    public func check(against budget: MemoryBudget, _ config: Config, running: String = "the run") throws {
        guard !budget.allows(total) else { return }
        let count = parameters == .max ? "more than \(Int.max)" : String(parameters)
        let parts = "model \(model) (\(count) parameters with gradients, checkpoint copies and optimizer state), "
            + "activations \(activations) (\(rows) rows per layer buffer), data \(data) (\(samples) samples)"
        let message = "\(running) needs \(total.isSaturated ? "" : "about ")\(total) of memory — \(parts) — "
            + "more than the memory budget of \(budget)"
        let source = config.data.source
        switch culprit(budget, config) {
        case .layer(let layer):
            throw ConfigError(message + "; use fewer units", at: layer.location, path: layer.path)
        case .batchSize(let batch):
            throw batch.error(message + "; a smaller batch_size needs less")
        case .wholeSetAsBatch:
            throw ConfigError(message + "; set training.batch_size to train on part of the data at a time",
                              at: source.location, path: source.path)
        case .data:
            throw ConfigError(message + "; data.limit or data.split.train takes fewer samples",
                              at: source.location, path: source.path)
        }
    }

    /// The setting an over-budget estimate is reported at.
    private enum Culprit {
        case layer(LayerConfig), batchSize(Located<Int>), wholeSetAsBatch, data
    }

    /// The largest part's cause. Activations grow with the batch and with the layers' widths:
    /// the widths are to blame when even one evaluation chunk's rows would not fit.
    private func culprit(_ budget: MemoryBudget, _ config: Config) -> Culprit {
        if model >= activations, model >= data, let layer = largestLayer(config, by: \.weights) { return .layer(layer) }
        // Data that alone does not fit is too much whatever the batch.
        guard activations >= data, budget.allows(data) else { return .data }
        let chunk = ByteCount(activations.value / max(rows, 1)) * Self.evaluationChunk
        if !budget.allows(chunk), let layer = largestLayer(config, by: \.units) { return .layer(layer) }
        return config.trainingPlaces.batchSize.map(Culprit.batchSize) ?? .wholeSetAsBatch
    }

    /// The dense layer with the most weights (or units); the first of equals.
    private func largestLayer(_ config: Config, by size: KeyPath<(weights: Int, units: Int), Int>) -> LayerConfig? {
        var width = inputs, largest: (layer: LayerConfig, size: Int)?
        for layer in config.model.layers {
            guard case .dense(let units, _, _) = layer.kind else { continue }
            let sizes = (weights: ByteCount.product([width, units]), units: units)
            if sizes[keyPath: size] > (largest?.size ?? -1) { largest = (layer, sizes[keyPath: size]) }
            width = units
        }
        return largest?.layer
    }
}

extension MemoryEstimate {
    /// Checks a sweep running `jobs` trials at once: the data once when the trials share it (else
    /// once per running trial), and the model and activations of the largest trial per running
    /// trial. Sizes come from the config and file headers; nothing is loaded or allocated.
    /// `budget` nil: the environment's.
    /// `trialCount`: the sweep's number of trials when `trials` are only the distinct sizes
    /// (`SweepPlan.sizingTrials`); nil: as many as `trials`.
    public static func checkSweep(_ config: Config, trials: some Sequence<Config>, trialCount: Int? = nil, jobs: Int,
                                  sharesData: Bool, budget: MemoryBudget? = nil) throws {
        let budget = try budget ?? MemoryBudget.fromEnvironment()
        let (samples, width) = dataShape(config)
        var largest: (trial: Config, estimate: MemoryEstimate, perTrial: ByteCount)?, count = 0
        for trial in trials {
            let estimate = MemoryEstimate(trial, samples: samples, inputWidth: width)
            let perTrial = estimate.model + estimate.activations + (sharesData ? .zero : estimate.data)
            if largest.map({ perTrial > $0.perTrial }) ?? true { largest = (trial, estimate, perTrial) }
            count += 1
        }
        guard let largest else { return }
        let running = min(max(jobs, 1), trialCount ?? count)
        // Scale the per-trial parts so the message's parts add up to the sweep's total.
        var sweep = largest.estimate
        sweep.model = sweep.model * running
        sweep.activations = sweep.activations * running
        if !sharesData { sweep.data = sweep.data * running }
        try sweep.check(against: budget, largest.trial,
                        running: "the sweep, running \(running) trial\(running == 1 ? "" : "s") at once (--jobs),")
    }
}
