import ArgumentParser
import Foundation
import NetrunConfig
import NetrunData
import NetrunRunner
import NetrunStore

/// `netrun-bench halving CONFIG`: the config's sweep as a plain grid, then with its `halving:`
/// block, each into a fresh database; wall time and best validation accuracy of both.
struct HalvingBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "halving",
                                                    abstract: "Time a grid search against successive halving on the same trials.")

    @Argument(help: "A YAML config whose sweep block has halving:, e.g. bench/configs/digits-halving.yaml.")
    var config: String

    @Option(help: "A folder for the two databases (default: a new temporary folder, removed after).")
    var folder: String?

    @Option(help: "Trials run at once.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        var halvingConfig = try ConfigLoader.load(path: config)
        guard halvingConfig.sweep?.halving != nil else {
            throw ValidationError("\(config): the sweep block has no halving:, nothing to compare")
        }
        var gridConfig = halvingConfig
        gridConfig.sweep?.halving = nil
        halvingConfig.name += "-halving"
        let scratch = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("netrun-halving-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { if folder == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        let data = try DataLoader.load(gridConfig)

        func timed(_ config: Config, _ name: String) throws -> (seconds: Double, report: SweepReport) {
            let plan = try SweepPlan(config: config)
            let store = try RunStore(path: (scratch as NSString).appendingPathComponent(name))
            let clock = ContinuousClock(), start = clock.now
            let report = try SweepRun.run(plan, store: store, jobs: jobs, data: plan.sweep.changesData ? nil : data)
            return ((clock.now - start) / .seconds(1), report)
        }
        let grid = try timed(gridConfig, "grid.sqlite")
        let halving = try timed(halvingConfig, "halving.sqlite")
        let gridBest = grid.report.bestOutcome?.validationAccuracy ?? .nan
        let halvingBest = halving.report.bestOutcome?.validationAccuracy ?? .nan
        try printJSON([
            "name": gridConfig.name,
            "trials": grid.report.outcomes.count,
            "seconds_grid": grid.seconds,
            "seconds_halving": halving.seconds,
            "time_ratio": halving.seconds / grid.seconds,
            "best_val_accuracy_grid": gridBest,
            "best_val_accuracy_halving": halvingBest,
            "accuracy_gap_points": 100 * (gridBest - halvingBest),
            "best_trial_grid": grid.report.best ?? -1,
            "best_trial_halving": halving.report.best ?? -1,
            "pruned": halving.report.outcomes.filter(\.pruned).count,
            "jobs": jobs,
        ])
    }
}
