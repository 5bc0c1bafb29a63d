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
    /// With `keep_best`, the weights of the best log point so far (the model the run keeps), in
    /// the network's parameter order; empty without it or before any log point measured it.
    public private(set) var bestParameters: [[Scalar]] = []
    /// Wall-clock seconds spent measuring whole data sets (`evaluate`) since the trainer was made:
    /// the log points' passes over the training split (`train_metrics: full`), validation and test.
    public private(set) var evaluationSeconds = 0.0

    private let parameters: [Parameter<Scalar>]
    private var sharded: ShardedNetwork<Scalar>?
    /// Rows evaluated at once, whatever the batch size: large enough that the products run near
    /// their best speed, small enough to bound the layers' buffers when measuring a large split.
    /// A constant, so the chunks, and with them every measured value, never depend on the machine.
    public static var evaluationChunk: Int { 4096 }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(network: Network<Scalar>, settings: TrainingSettings, generator: SplitMix64) {
        self.network = network
        self.settings = settings
        self.optimizer = settings.optimizer.makeOptimizer(Scalar.self)
        self.generator = generator
        parameters = network.parameters.map(\.parameter).filter { !$0.isFrozen }
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
    /// interval and at the end, and `test` (if any) once at the end of a finished run. With
    /// `train_metrics: running`, `train` is measured from the batches since the last log point
    /// (and in full where there were none: at step 0, or at the end of a run resumed there).
    ///
    /// - `resumingFrom` continues a checkpoint exactly: same parameters, optimizer state, rate, batch
    ///   order, and what `plateau`, `early_stopping` and `keep_best` remember.
    /// - `save` receives a checkpoint every `settings.checkpointEvery`, at the end, and when
    ///   `shouldStop` (asked after every step) returns true, after which training returns
    ///   `.interrupted`.
    /// - Stops at the first non-finite objective, and early when `settings.earlyStopping` says so
    ///   (the outcome is `.finished`, with `stoppedEarly` set).
    /// - `stepped` hears of every finished step, for progress displays; keep it cheap.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func run(train: Dataset<Scalar>, validation: Dataset<Scalar>? = nil, test: Dataset<Scalar>? = nil,
                    resumingFrom checkpoint: Checkpoint<Scalar>? = nil,
                    save: (Checkpoint<Scalar>) throws -> Void = { _ in },
                    shouldStop: () -> Bool = { false },
                    stepped: (_ step: Int, _ totalSteps: Int) -> Void = { _, _ in },
                    report: (LogPoint) throws -> Void) throws -> TrainingResult {
        let shape = RunShape(settings, samples: train.count)
        let splits = Splits(train: train, validation: validation, test: test)
        var batch = BatchPicker(shape)
        let sharded = shards(batchSize: shape.batchSize)
        if settings.trainMetrics == .running { sharded.countBatches(kind: train.kind, topK: topK) }
        var progress = TrainingProgress(step: 0, epoch: 0, learningRate: settings.learningRate, generator: generator,
                                        order: Array(0..<shape.samples))
        var last: LogPoint?
        defer { generator = progress.generator }
        if let checkpoint {
            // Callers check a stored checkpoint against the model and data first (`TrainingRun`
            // refuses one that does not fit); past here its indices reach raw pointers.
            if let problem = checkpoint.progress.orderMismatch(samples: shape.samples) {
                preconditionFailure("checkpoint does not fit the training data: \(problem)")
            }
            restore(checkpoint)
            progress = checkpoint.progress
            // Resumed between log points: the batches counted before the stop still count.
            if let running = progress.running { sharded.continueCounting(from: running) }
            progress.running = nil
        } else {
            bestParameters = []
            last = logPoint(&progress, splits, final: false)
            try report(last!)
        }
        reached = (progress.step, progress.epoch)
        // A checkpoint saved where early stopping ended the run: it is over.
        var stopReason = stoppedEarly(progress, shape) ? settings.earlyStopping!.reason(step: progress.step) : nil

        while stopReason == nil, progress.step < shape.totalSteps {
            let step = progress.step + 1
            let rows = batch.rows(forStep: step, &progress)
            if let diverged = try trainStep(rows, sharded, splits, &progress, report) { return diverged }
            advance(&progress, shape)

            if isLogPointDue(step, progress, shape) {
                let isLast = step == shape.totalSteps
                var point = logPoint(&progress, splits, final: isLast)
                if !isLast, stoppedEarly(progress, shape) {
                    stopReason = settings.earlyStopping!.reason(step: step)
                    point.metrics += testMetrics(point, splits)
                }
                last = point
                try report(point)
                // Updates can overflow the weights after the last finite objective.
                if !isFinite(point) {
                    return TrainingResult(outcome: .diverged(step: step, epoch: progress.epoch), steps: step,
                                          epochs: progress.epoch, final: point)
                }
            }
            stepped(step, shape.totalSteps)
            let ends = step == shape.totalSteps || stopReason != nil
            let interrupted = !ends && shouldStop()
            if isCheckpointDue(step, progress, shape) || ends || interrupted {
                try save(snapshot(progress))
            }
            if interrupted {
                return TrainingResult(outcome: .interrupted(step: step), steps: step, epochs: progress.epoch, final: last)
            }
        }
        if last == nil {
            // Resumed from the final checkpoint (the process died before recording the end): the
            // final metrics were logged before that checkpoint was saved, so measure, don't report.
            var point = measure(epoch: progress.epoch, step: progress.step, splits)
            point.metrics.append(rateMetric(progress))
            if let test { point.metrics += evaluate(test).metrics(split: "test", extra: settings.metrics) }
            last = point
        }
        return TrainingResult(outcome: .finished, steps: progress.step, epochs: progress.epoch, final: last,
                              stoppedEarly: stopReason, bestStep: bestParameters.isEmpty ? nil : progress.best.bestStep)
    }

    // MARK: - The steps of the loop

    /// One step's forward, backward and update on `rows` (nil: the whole set); a `.diverged`
    /// result, after reporting the loss, when the objective is not finite (no update is made then).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func trainStep(_ rows: ArraySlice<Int>?, _ sharded: ShardedNetwork<Scalar>, _ splits: Splits<Scalar>,
                           _ progress: inout TrainingProgress, _ report: (LogPoint) throws -> Void) throws -> TrainingResult? {
        let step = progress.step + 1
        let (objective, dataLoss) = sharded.computeGradients(splits.train, rows: rows, reg: settings.reg)
        guard objective.isFinite else {
            let point = LogPoint(epoch: progress.epoch + 1, step: step,
                                 metrics: [Metric(split: "train", name: "loss", value: dataLoss)])
            try report(point)
            return TrainingResult(outcome: .diverged(step: step, epoch: progress.epoch + 1), steps: step - 1,
                                  epochs: progress.epoch, final: point)
        }
        // The rate's one owner is `progress` (with the schedule); the optimizer borrows it for this step.
        optimizer.step(parameters, learningRate: settings.schedule.rate(for: progress))
        return nil
    }

    /// Counts the step just made, ends the epoch it completes, and moves the rate by the schedule.
    private func advance(_ progress: inout TrainingProgress, _ shape: RunShape) {
        progress.step += 1
        let endedEpoch = progress.step % shape.stepsPerEpoch == 0
        if endedEpoch { progress.epoch += 1 }
        if let main = settings.schedule.main {
            let clock = ScheduleClock(step: progress.step, epoch: progress.epoch, endedEpoch: endedEpoch,
                                      totalSteps: shape.totalSteps, baseRate: settings.learningRate)
            progress.learningRate = main.rate(after: clock, current: progress.learningRate)
        }
        reached = (progress.step, progress.epoch)
    }

    /// Every `log_every` epochs (steps, when training by iterations), and after the last step.
    private func isLogPointDue(_ step: Int, _ progress: TrainingProgress, _ shape: RunShape) -> Bool {
        step == shape.totalSteps || shape.isDue(settings.logEvery, step: step, progress)
    }

    /// Every `checkpoint_every` epochs (or steps); the end and interruptions save one regardless.
    private func isCheckpointDue(_ step: Int, _ progress: TrainingProgress, _ shape: RunShape) -> Bool {
        shape.isDue(settings.checkpointEvery, step: step, progress)
    }

    /// Whether `early_stopping` has seen its patience run out, at a step before the last.
    private func stoppedEarly(_ progress: TrainingProgress, _ shape: RunShape) -> Bool {
        guard let stopping = settings.earlyStopping, progress.step > 0, progress.step < shape.totalSteps else { return false }
        return progress.earlyStopping.badCount >= stopping.patience
    }

    /// Measures a log point and lets the watchers see it: `plateau` may lower the rate,
    /// `keep_best` may keep these weights, `early_stopping` counts it. Step 0 only measures, as
    /// PyTorch and Keras look at metrics after each epoch of training. The point ends with the
    /// rate the next step uses, and, at the end, the test metrics.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func logPoint(_ progress: inout TrainingProgress, _ splits: Splits<Scalar>, final: Bool) -> LogPoint {
        var point = measure(epoch: progress.epoch, step: progress.step, splits)
        if progress.step > 0 { watch(point, &progress) }
        point.metrics.append(rateMetric(progress))
        if final { point.metrics += testMetrics(point, splits) }
        return point
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func watch(_ point: LogPoint, _ progress: inout TrainingProgress) {
        if let main = settings.schedule.main {
            progress.learningRate = main.rate(afterLogging: point, current: progress.learningRate, watch: &progress.plateau)
        }
        if let metric = settings.keepBest {
            let improved = progress.best.observe(point, metric) { value, best in
                metric.maximize ? value > best : value < best
            }
            if improved { bestParameters = parameters.map(\.value.values) }
        }
        if let stopping = settings.earlyStopping { _ = stopping.shouldStop(after: point, &progress.earlyStopping) }
    }

    /// Whether the point's training loss is finite, and, when that loss came from the batches
    /// (`running`), the weights too: the last updates may have overflowed them since.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func isFinite(_ point: LogPoint) -> Bool {
        guard let loss = point.value("train", "loss") else { return true }
        guard loss.isFinite else { return false }
        guard settings.trainMetrics == .running else { return true }
        for parameter in parameters {
            let w = parameter.value.storage
            for i in 0..<parameter.value.count where !w[i].isFinite { return false }
        }
        return true
    }

    /// `train` `lr`: the rate the next step uses.
    private func rateMetric(_ progress: TrainingProgress) -> Metric {
        Metric(split: "train", name: "lr", value: settings.schedule.rate(for: progress))
    }

    /// The test split's metrics, measured once at the end of a run whose weights are finite, on the
    /// run's model: with `keep_best`, the kept weights (what eval, predict and export use).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func testMetrics(_ point: LogPoint, _ splits: Splits<Scalar>) -> [Metric] {
        guard let test = splits.test, point.value("train", "loss") != nil, isFinite(point) else { return [] }
        guard settings.keepBest != nil, !bestParameters.isEmpty else {
            return evaluate(test).metrics(split: "test", extra: settings.metrics)
        }
        let last = parameters.map(\.value.values)
        func load(_ values: [[Scalar]]) {
            for (parameter, values) in zip(parameters, values) {
                values.withUnsafeBufferPointer { if let base = $0.baseAddress { parameter.value.storage.update(from: base, count: values.count) } }
            }
        }
        load(bestParameters)
        defer { load(last) }
        return evaluate(test).metrics(split: "test", extra: settings.metrics)
    }

    /// The current parameters, optimizer state and best weights with `progress`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func snapshot(_ progress: TrainingProgress) -> Checkpoint<Scalar> {
        var progress = progress
        progress.running = sharded?.runningCounts
        return Checkpoint(progress: progress, parameters: parameters.map(\.value.values),
                   optimizerState: optimizer.state.mapValues { $0.map(\.values) }, bestParameters: bestParameters)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func restore(_ checkpoint: Checkpoint<Scalar>) {
        if let problem = checkpoint.mismatch(parameterSizes: parameters.map(\.value.count), optimizer: settings.optimizer) {
            preconditionFailure("checkpoint does not fit the network: \(problem)")
        }
        for (parameter, values) in zip(parameters, checkpoint.parameters) {
            values.withUnsafeBufferPointer { if let base = $0.baseAddress { parameter.value.storage.update(from: base, count: values.count) } }
        }
        optimizer.restore(checkpoint.optimizerState, steps: checkpoint.progress.step, parameters: parameters)
        bestParameters = checkpoint.bestParameters
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func measure(epoch: Int, step: Int, _ splits: Splits<Scalar>) -> LogPoint {
        let running = settings.trainMetrics == .running ? sharded?.takeBatchCounts(samples: splits.train.count) : nil
        var metrics = (running ?? evaluate(splits.train)).metrics(split: "train", extra: settings.metrics)
        if let validation = splits.validation {
            metrics += evaluate(validation).metrics(split: "val", extra: settings.metrics)
        }
        return LogPoint(epoch: epoch, step: step, metrics: metrics)
    }

    /// The mean data loss, the accuracy and the counts for `settings.metrics` of the current model
    /// over a whole data set.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(_ data: Dataset<Scalar>) -> Evaluation {
        let clock = ContinuousClock(), start = clock.now
        defer { evaluationSeconds += (clock.now - start) / .seconds(1) }
        return (sharded ?? shards(batchSize: settings.batchSize ?? Self.evaluationChunk))
            .evaluate(data, chunk: Self.evaluationChunk, topK: topK)
    }

    /// The k of each `top<k>` in `settings.metrics`.
    private var topK: [Int] {
        settings.metrics.compactMap { if case .topK(let k) = $0 { k } else { nil } }
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
