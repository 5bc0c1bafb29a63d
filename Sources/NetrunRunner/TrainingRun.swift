import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// What a finished, diverged or failed run reports back to the command line.
public struct RunReport: Sendable {
    public var runID: Int64
    public var status: RunStatus
    public var result: TrainingResult
    /// Why a run did not finish, phrased for the user.
    public var message: String?
}

/// Trains a prepared config and records the run: config, metrics as they are measured, final
/// weights and outcome.
public enum TrainingRun {
    /// Runs `prepared`, calling `started` once the run has its id and `logged` at each log point.
    /// Metrics are committed as they are measured, so a failure later loses nothing already logged.
    public static func run(_ prepared: PreparedRun, store: RunStore,
                           started: (Int64) -> Void = { _ in },
                           logged: (LogPoint) -> Void = { _ in }) throws -> RunReport {
        let config = prepared.config
        let runID = try store.beginRun(NewRun(name: config.name, configPath: config.path, configText: config.text,
                                              seed: config.seed, netrunVersion: NetrunVersion.current))
        try store.saveDataDescription(runID: runID, prepared.dataDescription)
        started(runID)
        let trainer = Trainer(network: prepared.network, settings: config.training, generator: prepared.generator)
        let result: TrainingResult
        do {
            result = try trainer.run(train: prepared.data.train, validation: prepared.data.validation,
                                     test: prepared.data.test) { point in
                try store.appendMetrics(runID: runID, point.metrics.map {
                    MetricPoint(step: point.step, epoch: point.epoch, split: $0.split, name: $0.name, value: $0.value)
                })
                logged(point)
            }
        } catch {
            try? store.finishRun(runID: runID, status: .failed, steps: 0, epochs: 0, divergedStep: nil,
                                 message: "\(error)")
            throw error
        }

        switch result.outcome {
        case .finished:
            try store.saveWeights(runID: runID, weightTensors(prepared.network))
            try store.finishRun(runID: runID, status: .finished, steps: result.steps, epochs: result.epochs,
                                divergedStep: nil, message: nil)
            return RunReport(runID: runID, status: .finished, result: result, message: nil)
        case .diverged(let step, let epoch):
            let message = "training diverged at step \(step) (epoch \(epoch)): the loss became NaN or infinite; "
                + "try a smaller learning rate than \(config.training.learningRate)"
            try store.finishRun(runID: runID, status: .diverged, steps: result.steps, epochs: result.epochs,
                                divergedStep: step, message: message)
            return RunReport(runID: runID, status: .diverged, result: result, message: message)
        }
    }

    /// Every parameter of `network` as the store keeps it: layer index, PyTorch-style name, shape.
    public static func weightTensors(_ network: Network<Float>) -> [WeightTensor] {
        network.parameters.map { layer, parameter in
            WeightTensor(layer: layer, name: parameter.name, shape: parameter.shape, values: parameter.value.values)
        }
    }
}
