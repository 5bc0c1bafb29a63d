import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// What a finished, diverged, interrupted or failed run reports back to the command line.
public struct RunReport: Sendable {
    public var runID: Int64
    public var status: RunStatus
    public var result: TrainingResult
    /// Why a run did not finish, phrased for the user.
    public var message: String?
    /// Where the time went.
    public var timings = RunTimings()
}

/// Wall-clock seconds of a run's phases, for benchmarks and for the record.
public struct RunTimings: Sendable {
    /// Training, measurement at the log points and database writes, from the first step to the last.
    public var training: Double = 0
    /// Writing metrics, checkpoints and weights to the database (part of `training` except the weights).
    public var store: Double = 0
    /// Measuring whole data sets at the log points and the end (part of `training`): the training
    /// split under `train_metrics: full`, validation and test.
    public var evaluation: Double = 0
}

/// A stored run to continue: its id and its last checkpoint, or nil to train it again from step 0
/// (it was killed or failed before its first checkpoint).
public struct ResumePoint<Scalar: NetScalar>: Sendable {
    public var runID: Int64
    public var checkpoint: Checkpoint<Scalar>?

    /// The step training continues after; 0 when it starts over.
    public var step: Int { checkpoint?.progress.step ?? 0 }
}

/// Trains a prepared config and records the run: config, metrics as they are measured,
/// checkpoints, final weights and outcome.
public enum TrainingRun {
    /// Runs `prepared` (continuing `resume` when given), calling `started` once the run has its id
    /// and `logged` at each log point. Metrics and checkpoints are committed as they are made, so
    /// a failure or a kill later loses nothing already logged. `shouldStop` is asked after every
    /// step; when it says yes, the run checkpoints and ends `interrupted`.
    public static func run<Scalar: NetScalar>(_ prepared: PreparedRun<Scalar>, store: RunStore,
                                              resume: ResumePoint<Scalar>? = nil,
                           shouldStop: () -> Bool = { false },
                           started: (Int64) -> Void = { _ in },
                           stepped: (_ step: Int, _ totalSteps: Int) -> Void = { _, _ in },
                           logged: (LogPoint) -> Void = { _ in }) throws -> RunReport {
        let config = prepared.config
        let runID: Int64
        if let resume {
            runID = resume.runID
            try store.reopenRun(runID: runID, atStep: resume.checkpoint?.progress.step)
        } else {
            runID = try store.beginRun(NewRun(name: config.name, configPath: config.path, configText: config.text,
                                              seed: config.seed, netrunVersion: NetrunVersion.current,
                                              configOverrides: ConfigOverride.text(config.overrides),
                                              configFolder: prepared.dataFiles.configFolder, dataFiles: prepared.dataFiles.files))
            try store.saveDataDescription(runID: runID, prepared.dataDescription)
            try store.saveHyperparameters(runID: runID, Hyperparameters.of(config, trainSamples: prepared.dataDescription.trainSamples))
        }
        started(runID)
        let layout = prepared.tensorLayout
        // Dropout masks follow the step: a resumed run continues from its checkpoint's.
        prepared.network.stepsTaken = resume?.step ?? 0
        let trainer = Trainer(network: prepared.network, settings: config.training, generator: prepared.generator)
        let clock = ContinuousClock()
        var timings = RunTimings()
        func timed<T>(_ body: () throws -> T) rethrows -> T {
            let start = clock.now
            defer { timings.store += (clock.now - start) / .seconds(1) }
            return try body()
        }
        let result: TrainingResult
        do {
            let start = clock.now
            result = try trainer.run(train: prepared.data.train, validation: prepared.data.validation,
                                     test: prepared.data.test, resumingFrom: resume?.checkpoint,
                                     save: { checkpoint in try timed { try store.saveCheckpoint(runID: runID, checkpoint, layout: layout) } },
                                     shouldStop: shouldStop,
                                     stepped: { step, total in stepped(step, total); TestHook.afterStep(step) }) { point in
                try timed {
                    try store.appendMetrics(runID: runID, point.metrics.map {
                        MetricPoint(step: point.step, epoch: point.epoch, split: $0.split, name: $0.name, value: $0.value)
                    })
                }
                logged(point)
            }
            timings.training = (clock.now - start) / .seconds(1)
            timings.evaluation = trainer.evaluationSeconds
        } catch {
            // Where training got to, not where its last checkpoint is: resume goes back to that.
            // If even this write fails (a full disk), the run stays `running` and shows as stale.
            try? store.finishRun(runID: runID, status: .failed, steps: trainer.reached.steps,
                                 epochs: trainer.reached.epochs, divergedStep: nil, message: "\(error)")
            throw error
        }

        switch result.outcome {
        case .finished:
            try timed {
                if let bestStep = result.bestStep {
                    // keep_best: the best log point's weights are the model; the last ones stay beside them.
                    try store.saveWeights(runID: runID, weightTensors(prepared.network, values: trainer.bestParameters))
                    try store.saveWeights(runID: runID, weightTensors(prepared.network), kind: "last")
                    try store.saveBestStep(runID: runID, step: bestStep)
                } else {
                    try store.saveWeights(runID: runID, weightTensors(prepared.network))
                }
                try store.finishRun(runID: runID, status: .finished, steps: result.steps, epochs: result.epochs,
                                    divergedStep: nil, message: result.stoppedEarly)
            }
            return RunReport(runID: runID, status: .finished, result: result, message: result.stoppedEarly, timings: timings)
        case .diverged(let step, let epoch):
            let message = DivergenceCause.message(step: step, epoch: epoch, prepared)
            try store.finishRun(runID: runID, status: .diverged, steps: result.steps, epochs: result.epochs,
                                divergedStep: step, message: message)
            return RunReport(runID: runID, status: .diverged, result: result, message: message, timings: timings)
        case .interrupted(let step):
            let message = "interrupted after step \(step) (epoch \(result.epochs)); a checkpoint was saved there"
            try store.finishRun(runID: runID, status: .interrupted, steps: result.steps, epochs: result.epochs,
                                divergedStep: nil, message: message)
            return RunReport(runID: runID, status: .interrupted, result: result, message: message, timings: timings)
        }
    }

    /// Continues stored run `runID` from its last checkpoint, rebuilding its config (with a sweep
    /// trial's values) and data from what the store kept, in the dtype its config trains in.
    public static func resume(runID: Int64, store: RunStore, allowChangedData: Bool = false,
                              shouldStop: () -> Bool = { false },
                              logged: (LogPoint) -> Void = { _ in }) throws -> RunReport {
        func resume<Scalar: NetScalar>(_: Scalar.Type) throws -> RunReport {
            let (prepared, point) = try prepareResume(runID: runID, store: store, allowChangedData: allowChangedData,
                                                      as: Scalar.self)
            return try run(prepared, store: store, resume: point, shouldStop: shouldStop, logged: logged)
        }
        switch try dtype(ofRun: runID, store: store) {
        case .float32: return try resume(Float.self)
        case .float64: return try resume(Double.self)
        }
    }

    /// What stored run `runID` trains in, from its recorded config.
    public static func dtype(ofRun runID: Int64, store: RunStore) throws -> DType {
        guard let summary = try store.summary(runID: runID) else {
            throw RunnerError("no run \(runID) in \(store.path)")
        }
        return try summary.config(recorded: try store.recordedData(runID: runID)).training.dtype
    }

    /// The run and checkpoint `resume` would continue, checked: the run exists, has not finished,
    /// is not trained by another live process, its data files are unchanged (unless
    /// `allowChangedData`), and its checkpoint (if it has one; without, it starts over) fits the
    /// model its config builds and the data it now reads.
    public static func prepareResume<Scalar: NetScalar>(runID: Int64, store: RunStore, data: Datasets<Scalar>? = nil,
                                                        allowChangedData: Bool = false, as: Scalar.Type)
        throws -> (PreparedRun<Scalar>, ResumePoint<Scalar>)
    {
        guard let summary = try store.summary(runID: runID) else {
            throw RunnerError("no run \(runID) in \(store.path)")
        }
        guard summary.status != .finished else {
            throw RunnerError("run \(runID) (\(summary.name)) already finished; nothing to resume")
        }
        if summary.status == .running, let owner = summary.owner, owner.isAlive != false {
            throw RunInUseError(runID: runID, name: summary.name, owner: owner)
        }
        let recorded = try store.recordedData(runID: runID)
        try DataFingerprints.check(recorded, runID: runID, allowChanged: allowChangedData)
        let saved = try store.checkpoint(runID: runID, as: Scalar.self)
        if let hash = saved?.configHash, hash != summary.configHash {
            throw RunnerError("run \(runID)'s checkpoint was made from another config (hash \(hash.prefix(12))…)")
        }
        let prepared = try PreparedRun<Scalar>(stored: summary, recorded: recorded, data: data, database: store.path)
        if let layout = saved?.layout, layout != prepared.tensorLayout {
            throw RunnerError("run \(runID)'s checkpoint does not fit the model its config builds")
        }
        if let checkpoint = saved?.checkpoint { try checkFits(checkpoint, prepared, runID: runID) }
        return (prepared, ResumePoint(runID: runID, checkpoint: saved?.checkpoint))
    }

    /// Refuses a checkpoint whose tensors or sample order do not fit `prepared` (a corrupt
    /// database, or data changed and allowed to): the trainer indexes with them unchecked.
    static func checkFits<Scalar>(_ checkpoint: Checkpoint<Scalar>, _ prepared: PreparedRun<Scalar>, runID: Int64) throws {
        let trained = prepared.network.parameters.map(\.parameter).filter { !$0.isFrozen }
        if let problem = checkpoint.mismatch(parameterSizes: trained.map(\.value.count),
                                             optimizer: prepared.config.training.optimizer) {
            throw RunnerError("run \(runID)'s checkpoint does not fit the model its config builds: \(problem)")
        }
        if let problem = checkpoint.progress.orderMismatch(samples: prepared.data.train.count) {
            throw RunnerError("run \(runID)'s checkpoint does not fit its training data: \(problem); the data changed "
                              + "since the run read it, so it cannot continue from this checkpoint — train it again instead")
        }
    }

    /// Every parameter of `network` as the store keeps it: layer index, PyTorch-style name, shape;
    /// with `values` (one array per parameter, in order) in place of the network's own.
    public static func weightTensors<Scalar: NetScalar>(_ network: Network<Scalar>, values: [[Scalar]]? = nil) -> [WeightTensor] {
        network.parameters.enumerated().map { position, entry in
            let (layer, parameter) = entry
            return WeightTensor(layer: layer, name: parameter.name, shape: parameter.shape,
                                values: values?[position] ?? parameter.value.values)
        }
    }
}

/// A problem with a stored run asked for on the command line: it does not exist, has nothing to
/// resume, or does not fit its config.
public struct RunnerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
