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

    @Flag(help: "Print one JSON document at the end instead of text: every trial's outcome and the best.")
    var json = false

    @OptionGroup var labels: TagOptions

    @Flag(help: "Continue interrupted trials even if a data file changed since they read it.")
    var allowChangedData = false

    @Option(help: ArgumentHelp("Run only the trials whose index is I mod N (from 0), into this --db; 'auto' reads "
                               + "the Slurm array task or Kubernetes completion index. netrun merge joins the shards.",
                               valueName: "I/N|auto"))
    var shard: String?

    @Option(help: "With --shard auto in a Kubernetes Indexed Job: the number of shards (the job's completions).")
    var shards: Int?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        _ = try ShardOption.resolve(shard, shards: shards, environment: ProcessInfo.processInfo.environment)
    }

    func run() throws {
        let shard = try ShardOption.resolve(shard, shards: shards, environment: ProcessInfo.processInfo.environment)
        let plan: SweepPlan
        do {
            plan = try SweepPlan(config: try ConfigLoader.load(path: config,
                                                               overrides: overrides.map(ConfigOverride.parse(argument:))))
            try MemoryEstimate.checkSweep(plan.config, trials: plan.sizingTrials(), trialCount: plan.count, jobs: jobs,
                                          sharesData: !plan.sweep.changesData)
        } catch {
            throw ExitStatus.failing(error)
        }
        let store = try storage.open()
        let table = SweepTable(plan: plan)
        let quiet = quiet || json
        let signals = StopSignals.install()
        // On a terminal, a status line under the rows counts the trials and estimates the time left.
        let status = !quiet && StatusLine.standardOutputIsTerminal
            ? SweepStatus(trials: shard?.trials(of: plan.count) ?? plan.count, jobs: jobs) : nil
        let report: SweepReport
        do {
            defer { status?.close() }
            report = try SweepRun.run(plan, store: store, jobs: jobs, shard: shard, allowChangedData: allowChangedData,
                                      labels: labels.labels,
                                      shouldStop: { signals.requested }, opened: { sweep in
                guard !quiet else { return }
                let axes = plan.sweep.axes.map(\.path).joined(separator: " × ")
                    + (plan.sweep.random.map { random in
                        (plan.sweep.axes.isEmpty ? "" : " × ") + "\(random.trials) random draws of "
                            + random.keys.map(\.path).joined(separator: ", ")
                    } ?? "")
                let trials = shard.map { "shard \($0) of " } ?? ""
                print("netrun sweep \(DisplayText.line(plan.config.name)): \(trials)\(plan.count) trials over \(axes), "
                      + "ranked by \(plan.sweep.metric.value.label); sweep \(sweep.id) in \(storage.db)")
                if let shard {
                    let mine = Array(stride(from: shard.index, to: plan.count, by: shard.count).prefix(3))
                    let more = shard.trials(of: plan.count) > mine.count ? ", …" : ""
                    print("  this shard runs trial\(mine.count == 1 ? "" : "s") \(mine.map(String.init).joined(separator: ", "))\(more) "
                          + "(\(shard.trials(of: plan.count)) of \(plan.count)); netrun merge joins the shards' databases")
                }
                let done = sweep.trials.filter { $0.isDone || $0.pruned }.count
                if done > 0 {
                    print("  resuming: \(done) of \(shard?.trials(of: sweep.trialCount) ?? sweep.trialCount) trials done earlier are not run again")
                } else if sweep.resumed {
                    print("  continuing: no trial done yet; trials are shared with any other netrun sweep of it on this database")
                }
                if let halving = plan.sweep.halving {
                    let rungs = halving.rungs(epochs: plan.config.training.epochs)
                    print("  successive halving: rungs at \(rungs.map(String.init).joined(separator: ", ")) epochs, "
                          + "the best 1/\(halving.factor.value) by \(halving.metric.value.label) continue"
                          + (shard == nil ? "" : "; a shard runs the first rung only"))
                }
                print(table.header)
            }, started: { trial in
                status?.started(trial)
            }, promoted: { promotion in
                guard !quiet else { return }
                let next = promotion.continuing.map(String.init).joined(separator: ", ")
                let text = "  rung of \(SweepTable.epochs(promotion.rung)): trial\(promotion.continuing.count == 1 ? "" : "s") \(next) continue\(promotion.continuing.count == 1 ? "s" : ""), "
                    + "\(promotion.pruned.count) pruned"
                if let status { status.continuing(promotion.continuing, text: text) } else { print(text) }
            }, finished: { outcome in
                if let status { status.finished(outcome, row: table.row(outcome)) } else if !quiet { print(table.row(outcome)) }
            })
        } catch {
            throw ExitStatus.failing(error)
        }

        // Each trial's run was labelled as it started; again here, so a failed write there is not lost.
        try labels.apply(to: report.outcomes.compactMap(\.runID), in: store)
        if json { print(RunText.json(jsonObject(report, plan: plan))) }
        let dbOption = storage.db == StoreOptions.defaultPath ? "" : " --db \(storage.db)"
        let shardOptions = (self.shard.map { " --shard \($0)" } ?? "") + (shards.map { " --shards \($0)" } ?? "")
        if report.interrupted {
            printError("sweep \(report.sweepID) interrupted; run 'netrun sweep \(config)\(dbOption)\(shardOptions)' again to continue "
                       + "(finished trials are kept, interrupted ones continue from their checkpoints)")
            throw ExitCode(signals.exitCode)
        }
        if !report.runElsewhere.isEmpty && !quiet {
            let trials = report.runElsewhere.map(String.init).joined(separator: ", ")
            print("  run by another netrun sweep on this database meanwhile: trial\(report.runElsewhere.count == 1 ? "" : "s") \(trials)")
        }
        if plan.sweep.halving != nil, let shard, !report.interrupted, !json {
            print("shard \(shard): first rung done; merge the shards (netrun merge shard-*.sqlite -o sweep.sqlite), then run "
                  + "'netrun sweep \(config) --db sweep.sqlite' to promote the best and run the next rungs")
            return
        }
        if report.unfinished > 0 {
            // Only claims on another host are not waited for: their process cannot be checked.
            printError("sweep \(report.sweepID): \(report.unfinished) trial\(report.unfinished == 1 ? " is" : "s are") "
                       + "still running in another process; "
                       + (report.best == nil ? "none has produced \(plan.sweep.metric.value.label) yet" : "the best so far follows"))
            if report.best == nil { return }
        }
        guard let best = report.best, let outcome = report.bestOutcome else {
            printError("sweep \(report.sweepID): no trial produced \(plan.sweep.metric.value.label); "
                       + "all diverged — try smaller learning rates")
            throw ExitStatus.trainingFailed
        }
        if json { return }
        let diverged = report.outcomes.filter { $0.status == .diverged }.count
        let pruned = report.outcomes.filter(\.pruned).count
        print("best: trial \(best) (\(plan.assignment(ofTrial: best))): \(plan.sweep.metric.value.label) "
              + table.format(outcome.score, plan.sweep.metric.value.name) + " (run \(outcome.runID.map(String.init) ?? "-"))"
              + (diverged > 0 ? "; \(diverged) trial\(diverged == 1 ? "" : "s") diverged" : "")
              + (pruned > 0 ? "; \(pruned) pruned" : ""))
        if let runID = outcome.runID, !quiet {
            print("  its final checkpoint is kept; export it with: netrun export \(runID)\(dbOption) --format safetensors -o best.safetensors")
        }
    }

    /// The sweep's outcome as JSON-ready values: each trial with its swept values (numbers where they are), and the best.
    private func jsonObject(_ report: SweepReport, plan: SweepPlan) -> [String: Any] {
        func number(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        func trial(_ outcome: TrialOutcome) -> [String: Any] {
            let params = zip(plan.sweep.paths, outcome.values).map { path, text -> (String, Any) in
                (path, Double(text).flatMap { $0.isFinite ? $0 as Any : nil } ?? text)
            }
            return ["trial": outcome.trial, "run_id": outcome.runID ?? NSNull(), "status": outcome.status.rawValue,
                    "params": Dictionary(params, uniquingKeysWith: { first, _ in first }),
                    "train_accuracy": number(outcome.trainAccuracy), "val_accuracy": number(outcome.validationAccuracy),
                    "score": number(outcome.score), "seconds": number(outcome.seconds),
                    "done_earlier": outcome.skipped, "pruned": outcome.pruned]
        }
        return ["sweep_id": report.sweepID, "name": plan.config.name, "metric": plan.sweep.metric.value.label,
                "trials": report.outcomes.map(trial), "best": report.bestOutcome.map(trial) ?? NSNull(),
                "interrupted": report.interrupted, "unfinished": report.unfinished]
    }
}
