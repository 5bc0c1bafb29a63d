import ArgumentParser
import Foundation
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunRunner
import NetrunStore

/// `netrun-bench train CONFIG --db PATH`: one recorded training run, timed by phase.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Time one training run.")

    @Argument(help: "The YAML config.")
    var config: String

    @Option(help: "The SQLite database to record the run in.")
    var db: String

    @Option(help: "training.train_metrics for this run: full or running (default: the config's).")
    var trainMetrics: String?

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        let overrides = try trainMetrics.map { [try ConfigOverride.parse(argument: "training.train_metrics=\($0)")] } ?? []
        let prepared = try PreparedRun(configPath: config, overrides: overrides)
        let loaded = clock.now
        let store = try RunStore(path: db)
        let report = try TrainingRun.run(prepared, store: store)
        guard report.status == .finished else { throw ValidationError(report.message ?? "the run did not finish") }
        let epochs = max(report.result.epochs, 1)
        try printJSON([
            "name": prepared.config.name,
            "seconds_load": (loaded - start) / .seconds(1),
            "seconds_training": report.timings.training,
            "seconds_per_epoch": report.timings.training / Double(epochs),
            "seconds_store": report.timings.store,
            // The log points' passes over whole data sets, and the rest: the training loop itself
            // (forward, backward, update) with the SQLite writes.
            "seconds_evaluation": report.timings.evaluation,
            "seconds_loop": report.timings.training - report.timings.evaluation,
            "train_metrics": prepared.config.training.trainMetrics.rawValue,
            "epochs": report.result.epochs,
            "steps": report.result.steps,
            "final_train_loss": report.result.final?.value("train", "loss") ?? .nan,
            "max_rss_bytes": maxResidentBytes(),
            "dataset_bytes": datasetBytes(prepared.data),
            "model_bytes": modelBytes(prepared.network),
            "kernel": ComputeThreads.kernel,
            "threads": ComputeThreads.limit,
        ])
    }
}

/// The Float32 inputs and targets of every part.
func datasetBytes(_ data: Datasets<Float>) -> Int {
    [data.train, data.validation, data.test].compactMap { $0 }
        .reduce(0) { $0 + 4 * ($1.inputs.count + $1.targets.count) }
}

/// Parameters, their gradients and (with momentum) velocities: three copies of the weights.
func modelBytes(_ network: Network<Float>) -> Int {
    3 * 4 * network.parameters.reduce(0) { $0 + $1.parameter.value.count }
}
