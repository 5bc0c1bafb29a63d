/// Runs mini-batch SGD over a training set, evaluating and reporting at the log interval.
///
/// Reporting goes through a closure so the trainer knows nothing of printing or databases.
public final class Trainer<Scalar: NetScalar> {
    public let network: Network<Scalar>
    public let settings: TrainingSettings
    public let optimizer: any Optimizer<Scalar>
    public private(set) var generator: SplitMix64
    /// How far the current or last `run` got: updates applied and epochs completed. A caller reads
    /// it when `run` throws (a full disk at a log point) to record where training stopped.
    public private(set) var reached = (steps: 0, epochs: 0)

    private let parameters: [Parameter<Scalar>]
    private var sharded: ShardedNetwork<Scalar>?
    /// Rows evaluated at once: bounds the layers' buffers when measuring a large split.
    private let evaluationChunk = 4096

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(network: Network<Scalar>, settings: TrainingSettings, generator: SplitMix64) {
        self.network = network
        self.settings = settings
        self.optimizer = settings.optimizer.makeOptimizer(Scalar.self)
        self.generator = generator
        parameters = network.parameters.map(\.parameter)
    }

    /// The shards for batches of `batchSize` rows, made once and kept.
    private func shards(batchSize: Int) -> ShardedNetwork<Scalar> {
        let count = ShardedNetwork.count(batchSize: batchSize, network: network)
        if let sharded, sharded.count == count { return sharded }
        let made = ShardedNetwork(network: network, shards: count)
        sharded = made
        return made
    }

    /// Trains on `train`, measuring `train` and `validation` (if any) at step 0, at the log
    /// interval and at the end, and `test` (if any) once at the end of a finished run.
    ///
    /// - `resumingFrom` continues a checkpoint exactly: same parameters, optimizer state, rate, batch order.
    /// - `save` receives a checkpoint every `settings.checkpointEvery`, at the end, and when
    ///   `shouldStop` (asked after every step) returns true, after which training returns
    ///   `.interrupted`.
    /// - Stops at the first non-finite objective.
    /// - `stepped` hears of every finished step, for progress displays; keep it cheap.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func run(train: Dataset<Scalar>, validation: Dataset<Scalar>? = nil, test: Dataset<Scalar>? = nil,
                    resumingFrom checkpoint: Checkpoint<Scalar>? = nil,
                    save: (Checkpoint<Scalar>) throws -> Void = { _ in },
                    shouldStop: () -> Bool = { false },
                    stepped: (_ step: Int, _ totalSteps: Int) -> Void = { _, _ in },
                    report: (LogPoint) throws -> Void) throws -> TrainingResult {
        let n = train.count
        let batchSize = min(settings.batchSize ?? n, n)
        let drawsBatches = settings.sampling == .withReplacement
        let fullBatch = batchSize == n && !drawsBatches
        // With replacement each step's rows are drawn into this, from `progress.generator`: a resumed
        // run draws the same batches, and `progress.order` stays 0..<n.
        var drawn = [Int](repeating: 0, count: drawsBatches ? batchSize : 0)
        let stepsPerEpoch = (n + batchSize - 1) / batchSize
        let totalSteps = settings.iterations ?? settings.epochs * stepsPerEpoch
        let sharded = shards(batchSize: batchSize)
        var progress = TrainingProgress(step: 0, epoch: 0, learningRate: settings.learningRate, generator: generator,
                                        order: Array(0..<n))
        var last: LogPoint?
        if let checkpoint {
            // Callers check a stored checkpoint against the model and data first (`TrainingRun`
            // refuses one that does not fit); past here its indices reach raw pointers.
            if let problem = checkpoint.progress.orderMismatch(samples: n) {
                preconditionFailure("checkpoint does not fit the training data: \(problem)")
            }
            restore(checkpoint)
            progress = checkpoint.progress
            reached = (progress.step, progress.epoch)
        } else {
            reached = (0, 0)
            last = measure(epoch: 0, step: 0, train: train, validation: validation)
            try report(last!)
        }

        while progress.step < totalSteps {
            let step = progress.step + 1
            let position = (step - 1) % stepsPerEpoch
            let rows: ArraySlice<Int>?
            if drawsBatches {
                drawIndices(&drawn, below: n, using: &progress.generator)
                rows = drawn[...]
            } else {
                if position == 0, settings.shuffle, !fullBatch { shuffle(&progress.order, using: &progress.generator) }
                let start = position * batchSize
                rows = fullBatch ? nil : progress.order[start..<min(start + batchSize, n)]
            }
            let (objective, dataLoss) = sharded.computeGradients(train, rows: rows, reg: settings.reg)
            guard objective.isFinite else {
                let point = LogPoint(epoch: progress.epoch + 1, step: step,
                                     metrics: [Metric(split: "train", name: "loss", value: dataLoss)])
                try report(point)
                generator = progress.generator
                return TrainingResult(outcome: .diverged(step: step, epoch: progress.epoch + 1), steps: step - 1,
                                      epochs: progress.epoch, final: point)
            }
            optimizer.step(parameters, learningRate: progress.learningRate)
            progress.step = step

            let endsEpoch = step % stepsPerEpoch == 0
            if endsEpoch {
                progress.epoch += 1
                progress.learningRate *= settings.learningRateDecay
            }
            reached = (progress.step, progress.epoch)
            let unit = settings.iterations == nil ? (endsEpoch ? progress.epoch : nil) : step
            func due(_ every: Int?) -> Bool {
                guard let unit, let every else { return false }
                return unit % every == 0
            }

            if due(settings.logEvery) || step == totalSteps {
                var point = measure(epoch: progress.epoch, step: step, train: train, validation: validation)
                if step == totalSteps, let test, point.value("train", "loss")?.isFinite ?? false {
                    point.metrics += evaluate(test).metrics(split: "test", extra: settings.metrics)
                }
                last = point
                try report(point)
                // Updates can overflow the weights after the last finite objective.
                if let loss = point.value("train", "loss"), !loss.isFinite {
                    generator = progress.generator
                    return TrainingResult(outcome: .diverged(step: step, epoch: progress.epoch), steps: step,
                                          epochs: progress.epoch, final: point)
                }
            }
            stepped(step, totalSteps)
            let stopping = step < totalSteps && shouldStop()
            if due(settings.checkpointEvery) || step == totalSteps || stopping {
                try save(snapshot(progress))
            }
            if stopping {
                generator = progress.generator
                return TrainingResult(outcome: .interrupted(step: step), steps: step, epochs: progress.epoch, final: last)
            }
        }
        if last == nil {
            // Resumed from the final checkpoint (the process died before recording the end): the
            // final metrics were logged before that checkpoint was saved, so measure, don't report.
            last = measure(epoch: progress.epoch, step: progress.step, train: train, validation: validation)
            if let test { last!.metrics += evaluate(test).metrics(split: "test", extra: settings.metrics) }
        }
        generator = progress.generator
        return TrainingResult(outcome: .finished, steps: totalSteps, epochs: progress.epoch, final: last)
    }

    /// The current parameters and optimizer state with `progress`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func snapshot(_ progress: TrainingProgress) -> Checkpoint<Scalar> {
        Checkpoint(progress: progress, parameters: parameters.map(\.value.values),
                   optimizerState: optimizer.state.mapValues { $0.map(\.values) })
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func restore(_ checkpoint: Checkpoint<Scalar>) {
        if let problem = checkpoint.mismatch(parameterSizes: parameters.map(\.value.count), optimizer: settings.optimizer) {
            preconditionFailure("checkpoint does not fit the network: \(problem)")
        }
        for (parameter, values) in zip(parameters, checkpoint.parameters) {
            values.withUnsafeBufferPointer { parameter.value.storage.update(from: $0.baseAddress!, count: values.count) }
        }
        optimizer.restore(checkpoint.optimizerState, steps: checkpoint.progress.step, parameters: parameters)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func measure(epoch: Int, step: Int, train: Dataset<Scalar>, validation: Dataset<Scalar>?) -> LogPoint {
        var metrics = evaluate(train).metrics(split: "train", extra: settings.metrics)
        if let validation { metrics += evaluate(validation).metrics(split: "val", extra: settings.metrics) }
        return LogPoint(epoch: epoch, step: step, metrics: metrics)
    }

    /// The mean data loss, the accuracy and the counts for `settings.metrics` of the current model
    /// over a whole data set.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(_ data: Dataset<Scalar>) -> Evaluation {
        let topK = settings.metrics.compactMap { if case .topK(let k) = $0 { k } else { nil } }
        return (sharded ?? shards(batchSize: settings.batchSize ?? evaluationChunk))
            .evaluate(data, chunk: evaluationChunk, topK: topK)
    }
}

/// A model's measured quality on one data set, with the counts its other metrics follow from.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double?
    public var counts: MetricCounts

    public init(loss: Double, accuracy: Double?, counts: MetricCounts) {
        self.loss = loss
        self.accuracy = accuracy
        self.counts = counts
    }
}
