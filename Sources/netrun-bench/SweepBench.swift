import ArgumentParser
import Foundation
import NetrunConfig
import NetrunData
import NetrunRunner
import NetrunStore

/// `netrun-bench sweep CONFIG --db PATH`: a whole grid search, as `netrun sweep` runs it.
struct SweepBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sweep", abstract: "Time one grid search.")

    @Argument(help: "The YAML config with a sweep block.")
    var config: String

    @Option(help: "The SQLite database to record the sweep in.")
    var db: String

    @Option(help: "Trials run at once.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let clock = ContinuousClock(), start = clock.now
        let plan = try SweepPlan(config: try ConfigLoader.load(path: config))
        let data = try DataLoader.load(plan.config)
        let loaded = clock.now
        let dataBytes = datasetBytes(data)
        let network = try PreparedRun(config: plan.config, data: data).network
        let model = modelBytes(network)
        let store = try RunStore(path: db)
        let sweepStart = clock.now
        let report = try SweepRun.run(plan, store: store, jobs: jobs, data: plan.sweep.changesData ? nil : data)
        let seconds = (clock.now - sweepStart) / .seconds(1)
        let best = report.bestOutcome
        try printJSON([
            "name": plan.config.name,
            "seconds_load": (loaded - start) / .seconds(1),
            "seconds_grid": seconds,
            "trials": report.outcomes.count,
            "best_val_accuracy": best?.validationAccuracy ?? .nan,
            "max_rss_bytes": maxResidentBytes(),
            "dataset_bytes": dataBytes,
            "model_bytes": model,
            "jobs": jobs,
        ])
    }
}
