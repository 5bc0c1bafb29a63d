import ArgumentParser
import Foundation
import NetrunConfig
import NetrunRunner
import NetrunStore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every trial of a config's sweep: grid, each as a recorded run; re-running resumes.")

    @Argument(help: "A YAML config with a sweep: block, e.g. configs/digits-sweep.yaml.")
    var config: String

    @Argument(help: ArgumentHelp("Config values to change for every trial, key.path=value.", valueName: "key.path=value"))
    var overrides: [String] = []

    @OptionGroup var storage: StoreOptions

    @Option(help: "Trials run at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print only the best trial.")
    var quiet = false

    @Flag(help: "Continue interrupted trials even if a data file changed since they read it.")
    var allowChangedData = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let plan: SweepPlan
        do {
            plan = try SweepPlan(config: try ConfigLoader.load(path: config,
                                                               overrides: overrides.map(ConfigOverride.parse(argument:))))
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
        let store = try storage.open()
        let table = SweepTable(plan: plan)
        let signals = StopSignals.install()
        let report: SweepReport
        do {
            report = try SweepRun.run(plan, store: store, jobs: jobs, allowChangedData: allowChangedData, shouldStop: { signals.requested }, opened: { sweep in
                guard !quiet else { return }
                let axes = plan.sweep.axes.map(\.path).joined(separator: " × ")
                print("netrun sweep \(plan.config.name): \(plan.trials.count) trials over \(axes), "
                      + "ranked by \(plan.sweep.metric.value.label); sweep \(sweep.id) in \(storage.db)")
                if sweep.resumed {
                    let done = sweep.trials.filter(\.isDone).count
                    print("  resuming: \(done) of \(sweep.trials.count) trials done earlier are not run again")
                }
                print(table.header)
            }, finished: { outcome in
                if !quiet { print(table.row(outcome)) }
            })
        } catch let error as ConfigError {
            printError("\(error)")
            throw ExitStatus.badInput
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitStatus.database
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }

        let dbOption = storage.db == StoreOptions.defaultPath ? "" : " --db \(storage.db)"
        if report.interrupted {
            printError("sweep \(report.sweepID) interrupted; run 'netrun sweep \(config)\(dbOption)' again to continue "
                       + "(finished trials are kept, interrupted ones continue from their checkpoints)")
            throw ExitCode(signals.exitCode)
        }
        guard let best = report.best, let outcome = report.outcomes.first(where: { $0.trial == best }) else {
            printError("sweep \(report.sweepID): no trial produced \(plan.sweep.metric.value.label); "
                       + "all diverged — try smaller learning rates")
            throw ExitStatus.trainingFailed
        }
        let diverged = report.outcomes.filter { $0.status == .diverged }.count
        print("best: trial \(best) (\(plan.trials[best].spec.assignment)): \(plan.sweep.metric.value.label) "
              + table.format(outcome.score, plan.sweep.metric.value.name) + " (run \(outcome.runID.map(String.init) ?? "-"))"
              + (diverged > 0 ? "; \(diverged) trial\(diverged == 1 ? "" : "s") diverged" : ""))
        if let runID = outcome.runID, !quiet {
            print("  its final checkpoint is kept; export it with: netrun export \(runID)\(dbOption) --format safetensors -o best.safetensors")
        }
    }
}
