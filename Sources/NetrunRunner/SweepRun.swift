import Foundation
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunStore

/// How one trial of a sweep ended, as the command line reports it.
public struct TrialOutcome: Sendable {
    public var trial: Int
    public var values: [String]
    public var learningRate: Double
    public var reg: Double
    public var runID: Int64?
    public var status: RunStatus
    public var trainAccuracy: Double?
    public var validationAccuracy: Double?
    public var score: Double?
    public var seconds: Double?
    /// Done in an earlier invocation of the same sweep, or by another process; not run here.
    public var skipped: Bool
    /// The step its run continued from, when it continued a stopped or killed run (0: started
    /// again in the same run, which had no checkpoint yet).
    public var continuedFrom: Int?
    /// Halving: the epochs of the rung it completed (its run stopped there, status `interrupted`,
    /// or finished); `pruned` once the promotion after that rung stopped it for good.
    public var rung: Int?
    public var pruned = false
}

/// A whole sweep's result.
public struct SweepReport: Sendable {
    public var sweepID: Int64
    public var resumed: Bool
    /// The trials done earlier and those run here, in grid order.
    public var outcomes: [TrialOutcome]
    /// The best trial by the database's scores of the whole sweep, whoever ran it.
    public var best: Int?
    public var bestOutcome: TrialOutcome?
    /// Trials another process ran while this one did, in grid order.
    public var runElsewhere: [Int]
    /// Trials not done: left by a stop, or still running in another process.
    public var unfinished: Int
    /// Stopped by a signal; running the sweep again continues it.
    public var interrupted: Bool
}

/// Runs a sweep's trials, several at once, each as its own recorded run linked to the sweep.
///
/// Every trial starts from the sweep's seed: the same initial weights, batch order and split, so
/// the grid compares hyperparameters and nothing else, and any trial is reproduced exactly by
/// `netrun train` with its values. Trials share nothing mutable, so running them in parallel gives
/// the same numbers as running them one by one.
///
/// Each worker claims its next trial in the database, so several `netrun sweep` processes on one
/// database share the grid as several workers of one process do; a trial whose process died is
/// taken over and continued from its checkpoint.
public enum SweepRun {
    /// How many trials a new sweep records up front, so `sweep_results` and plots show the rest
    /// of a small grid as pending; a bigger grid's trials are recorded as they are claimed.
    public static let listedTrials = 1000

    /// How long a worker waits before asking again when another live process holds the last trials.
    static let waitSeconds = 0.25

    /// `data`, when given, is the config's data already loaded (the grid must not change the data).
    /// `allowChangedData` lets an interrupted trial continue on data files changed since it read them.
    /// `shard`, when given, runs only that shard's trials (index ≡ shard.index mod shard.count).
    /// `started` hears each trial as a worker takes it, and `finished` as it ends: from the workers'
    /// threads, one call at a time. `labels` are put on each trial's run as it starts, so a run
    /// of a sweep that is killed keeps them too.
    public static func run(_ plan: SweepPlan, store: RunStore, jobs: Int, data: Datasets<Float>? = nil,
                           shard: SweepShard? = nil, allowChangedData: Bool = false, labels: RunLabels? = nil,
                           shouldStop: @escaping @Sendable () -> Bool = { false },
                           opened: (OpenedSweep) -> Void = { _ in },
                           started: @escaping (Int) -> Void = { _ in },
                           promoted: (RungPromotion) -> Void = { _ in },
                           finished: @escaping (TrialOutcome) -> Void = { _ in }) throws -> SweepReport {
        switch plan.config.training.dtype {
        case .float32:
            return try run(in: Float.self, plan, store: store, jobs: jobs, data: data, shard: shard, allowChangedData: allowChangedData,
                           labels: labels, shouldStop: shouldStop, opened: opened, started: started, promoted: promoted,
                           finished: finished)
        case .float64:
            precondition(data == nil, "float32 data preloaded for a float64 sweep")
            return try run(in: Double.self, plan, store: store, jobs: jobs, data: nil, shard: shard, allowChangedData: allowChangedData,
                           labels: labels, shouldStop: shouldStop, opened: opened, started: started, promoted: promoted,
                           finished: finished)
        }
    }

    /// The sweep in `Scalar`, its config's dtype; trials share data of that type.
    private static func run<Scalar: NetScalar>(in: Scalar.Type, _ plan: SweepPlan, store: RunStore, jobs: Int,
                                               data: Datasets<Scalar>?, shard: SweepShard?,
                                               allowChangedData: Bool, labels: RunLabels?,
                                               shouldStop: @escaping @Sendable () -> Bool,
                                               opened: (OpenedSweep) -> Void, started: @escaping (Int) -> Void,
                                               promoted: (RungPromotion) -> Void,
                                               finished: @escaping (TrialOutcome) -> Void) throws -> SweepReport {
        let config = plan.config
        let metric = plan.sweep.metric.value
        // Load once and share, unless the grid changes the data; build each swept model once so
        // a shape error stops the sweep before anything is recorded.
        precondition(data == nil || !plan.sweep.changesData, "preloaded data for a grid over data settings")
        let shared = plan.sweep.changesData ? nil : try data ?? DataLoader.load(config, as: Scalar.self)
        if let shared {
            try plan.checkModels(data: shared, database: store.path)
            try plan.checkMetricFits(data: shared)
        }
        let files = try shared.map { _ in try DataFingerprints.of(config) }  // hashed once, not per trial

        var newSweep = NewSweep(name: config.name, configPath: config.path, configText: config.text, seed: config.seed,
                                metric: metric.label, maximize: metric.maximize, netrunVersion: NetrunVersion.current,
                                configOverrides: ConfigOverride.text(config.overrides))
        newSweep.shard = shard
        let sweep = try store.openSweep(newSweep,
            trialCount: plan.count,
            listing: { try (0..<min(plan.count, listedTrials)).map { try plan.trial($0).spec } })
        opened(sweep)

        var earlier: [Int: TrialOutcome] = [:]
        for state in sweep.trials where state.isDone || state.pruned {
            let outcome = try recorded(state, plan: plan, store: store)
            earlier[state.trial] = outcome
            finished(outcome)
        }

        let work = SweepWork(data: shared, started: started, finished: finished, shouldStop: shouldStop)
        // Halving: each pass of the workers runs a rung's trials; a promotion between passes sets
        // the best of them pending for the next. A shard runs the first rung only (see README).
        let rungs = plan.sweep.halving?.rungs(epochs: config.training.epochs) ?? []
        var toRun = (shard?.trials(of: plan.count) ?? plan.count) - earlier.count
        let threads = ComputeThreads.limit
        defer { ComputeThreads.limit = threads }
        repeat {
            let workers = max(1, min(jobs, toRun))
            // Trials in parallel already fill the cores; threaded products on top would oversubscribe them.
            ComputeThreads.limit = max(1, threads / workers)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while !work.stopping {
                    do {
                        let (claim, decoded) = try claimTrial(of: plan, sweepID: sweep.id, store: store)
                        switch claim {
                        case .none:
                            return
                        case .wait:
                            Thread.sleep(forTimeInterval: waitSeconds)
                        case .claimed(let state, _):
                            work.start(state.trial)
                            work.complete(try runTrial(state, decoded: decoded, plan: plan, data: work.data, dataFiles: files,
                                                       sweepID: sweep.id, metric: metric, rungs: rungs, store: store,
                                                       allowChangedData: allowChangedData, labels: labels, shouldStop: shouldStop))
                        }
                    } catch {
                        work.fail(error)
                    }
                }
            }
        } while try promote()

        /// Promotes a completed rung (even when stopping, so the sweep is left between rungs, not
        /// in one); true when there are trials to run on.
        func promote() throws -> Bool {
            guard let halving = plan.sweep.halving, shard == nil, work.failure == nil else { return false }
            let promotion = try store.promoteTrials(sweepID: sweep.id, maximize: halving.metric.value.maximize) { rung in
                halving.trials(inRung: (rungs.firstIndex(of: rung) ?? rungs.count) + 1, of: plan.count)
            }
            guard let promotion else {
                // Another process on this database promoted the rung first: run on with it.
                return try !work.stopping && store.trialStates(sweepID: sweep.id).contains { $0.claim == .pending }
            }
            work.prune(promotion.pruned)
            promoted(promotion)
            toRun = promotion.continuing.count
            return !work.stopping
        }

        let standing = try store.closeSweep(sweepID: sweep.id, failed: work.failure != nil)
        if let failure = work.failure { throw failure }
        let here = work.outcomes
        var outcomes = earlier.merging(here) { _, new in new }
        let elsewhere = try store.trialStates(sweepID: sweep.id).filter { state in
            state.claim == .done && (state.isDone || state.pruned) && earlier[state.trial] == nil && here[state.trial] == nil
        }
        for state in elsewhere { outcomes[state.trial] = try recorded(state, plan: plan, store: store) }
        return SweepReport(sweepID: sweep.id, resumed: sweep.resumed, outcomes: outcomes.keys.sorted().compactMap { outcomes[$0] },
                           best: standing.best, bestOutcome: standing.best.flatMap { outcomes[$0] },
                           runElsewhere: elsewhere.filter { !$0.pruned }.map(\.trial), unfinished: standing.unfinished,
                           interrupted: shouldStop())
    }

    /// Claims the next trial; one the claim records for the first time comes back decoded. An
    /// error decoding it is thrown as it is (a located `ConfigError`), not as the store's.
    private static func claimTrial(of plan: SweepPlan, sweepID: Int64,
                                   store: RunStore) throws -> (TrialClaim, SweepPlan.Trial?) {
        var decoded: Result<SweepPlan.Trial, Error>?
        do {
            let claim = try store.claimTrial(sweepID: sweepID) { index in
                decoded = Result { try plan.trial(index) }
                return try decoded!.get().spec
            }
            return (claim, try decoded?.get())
        } catch {
            if case .failure(let decodeError)? = decoded { throw decodeError }
            throw error
        }
    }

    /// A trial someone else ran (an earlier invocation, another process), as the store has it.
    private static func recorded(_ state: TrialState, plan: SweepPlan, store: RunStore) throws -> TrialOutcome {
        let summary = try state.runID.flatMap(store.summary)
        return TrialOutcome(trial: state.trial, values: plan.values(ofTrial: state.trial).map(\.text),
                            learningRate: state.learningRate, reg: state.reg, runID: state.runID,
                            status: state.runStatus ?? .finished, trainAccuracy: summary?.trainAccuracy,
                            validationAccuracy: summary?.validationAccuracy, score: state.score, seconds: nil,
                            skipped: true, rung: state.rung, pruned: state.pruned)
    }

    /// Runs one claimed trial: continues its stopped, killed or failed run from its checkpoint;
    /// starts a stopped or killed run without one again from step 0 in the same row; otherwise
    /// starts a new run. Releases the claim with the trial's score, even when it fails.
    private static func runTrial<Shared>(_ state: TrialState, decoded: SweepPlan.Trial?, plan: SweepPlan, data: Datasets<Shared>?,
                                 dataFiles: RecordedData?, sweepID: Int64, metric: SweepMetric, rungs: [Int], store: RunStore,
                                 allowChangedData: Bool, labels: RunLabels?, shouldStop: () -> Bool) throws -> TrialOutcome {
        let clock = ContinuousClock(), start = clock.now
        let trial = try decoded ?? plan.trial(state.trial)
        do {
            if state.isDone {
                // Its process died after its run ended but before it released the trial.
                var done = try recorded(state, plan: plan, store: store)
                let summary = try state.runID.flatMap(store.summary)
                done.score = state.runStatus == .finished ? try summary.flatMap { try Self.value(of: metric, in: $0, store: store) } : nil
                done.skipped = false
                try store.finishTrial(sweepID: sweepID, trial: state.trial, score: done.score, done: true,
                                      rung: plan.sweep.halving != nil && state.runStatus == .finished ? summary?.epochs : nil)
                return done
            }
            // A grid over training.dtype shares no data; each trial loads its own in its type.
            switch trial.config.training.dtype {
            case .float32: return try train(PreparedRun<Float>(config: trial.config, data: data as? Datasets<Float>, dataFiles: dataFiles,
                                                                   database: store.path))
            case .float64: return try train(PreparedRun<Double>(config: trial.config, data: data as? Datasets<Double>, dataFiles: dataFiles,
                                                                   database: store.path))
            }
        } catch {
            try? store.finishTrial(sweepID: sweepID, trial: state.trial, score: nil, done: false)
            throw error
        }

        func train<Scalar: NetScalar>(_ run: PreparedRun<Scalar>) throws -> TrialOutcome {
            var resume: ResumePoint<Scalar>?
            if let runID = state.runID, let status = state.runStatus {
                if let saved = try store.checkpoint(runID: runID, as: Scalar.self), saved.layout == run.tensorLayout {
                    try checkContinuedData(runID: runID, saved.checkpoint, run, store: store, allowChanged: allowChangedData)
                    resume = ResumePoint(runID: runID, checkpoint: saved.checkpoint)
                } else if status != .failed {
                    // Killed or stopped before its first checkpoint: start again, in the same row
                    // when it has its step-0 metrics (a fresh start would log the same ones).
                    if try store.loggedStepZero(runID: runID) {
                        resume = ResumePoint(runID: runID, checkpoint: startingPoint(of: run))
                    } else {
                        try store.deleteRun(runID: runID)
                    }
                }
                // A failed run without a checkpoint keeps its error as the record; a new run retries.
            }
            // Halving: the run trains with its full length (schedules see the whole run) and stops
            // at the end of its next rung, so continuing it later is exactly the run trained straight through.
            let halving = plan.sweep.halving
            let boundary = rungs.first { $0 > (state.rung ?? 0) }.flatMap { $0 < run.config.training.epochs ? $0 : nil }
            if let boundary, let halving, let resume, let checkpoint = resume.checkpoint, checkpoint.progress.epoch >= boundary {
                // It stopped at the rung's end but its process died before recording that.
                let rankBy = halving.metric.value
                let score = try store.metrics(runID: resume.runID).last {
                    $0.epoch == boundary && $0.split == rankBy.split && $0.name == rankBy.name
                }?.value
                try store.finishTrial(sweepID: sweepID, trial: state.trial, score: score, done: true, rung: boundary)
                return TrialOutcome(trial: trial.spec.trial, values: trial.values.map(\.text), learningRate: trial.spec.learningRate,
                                    reg: trial.spec.reg, runID: resume.runID, status: .interrupted, score: score,
                                    seconds: (clock.now - start) / .seconds(1), skipped: false, continuedFrom: resume.step, rung: boundary)
            }
            var reachedRung = false
            let report = try TrainingRun.run(run, store: store, resume: resume, shouldStop: { reachedRung || shouldStop() },
                                             started: { runID in
                try? store.attachRun(sweepID: sweepID, trial: trial.spec.trial, runID: runID)
                // Best effort here: `netrun sweep` labels every trial's run again at its end.
                if let labels, !labels.isEmpty { _ = try? store.tag(runID: runID, labels.tags, note: labels.note) }
            }, logged: { point in
                // The rung's last log point is measured before the trainer asks whether to stop.
                if let boundary, point.step > 0, point.epoch >= boundary { reachedRung = true }
            })
            // keep_best: the trial is its kept model, so its train and val numbers are the best step's.
            let final = try modelPoint(of: report, store: store)
            let atRung = reachedRung && report.status == .interrupted
            let rankBy = atRung ? halving?.metric.value ?? metric : metric
            let score = report.status == .finished || atRung ? final?.value(rankBy.split, rankBy.name) : nil
            // The rung it completed: this one, or the last when its run finished (early stopping
            // may end it sooner); a diverged or stopped run completed none here.
            var rung: Int?
            if halving != nil, atRung { rung = boundary }
            if halving != nil, report.status == .finished { rung = report.result.epochs }
            try store.finishTrial(sweepID: sweepID, trial: state.trial, score: score,
                                  done: report.status == .finished || report.status == .diverged || atRung, rung: rung)
            return TrialOutcome(trial: trial.spec.trial, values: trial.values.map(\.text),
                                learningRate: trial.spec.learningRate, reg: trial.spec.reg, runID: report.runID,
                                status: report.status, trainAccuracy: final?.value("train", "accuracy"),
                                validationAccuracy: final?.value("val", "accuracy"), score: score,
                                seconds: (clock.now - start) / .seconds(1), skipped: false,
                                continuedFrom: resume?.step, rung: rung)
        }
    }

    /// Where a fresh run of `run` starts: its initial weights, no optimizer state, the first epoch's order.
    /// Continuing from here is exactly training from scratch, except that step 0 is not logged again.
    private static func startingPoint<Scalar>(of run: PreparedRun<Scalar>) -> Checkpoint<Scalar> {
        let progress = TrainingProgress(step: 0, epoch: 0, learningRate: run.config.training.learningRate,
                                        generator: run.generator, order: Array(0..<run.data.train.count))
        return Checkpoint(progress: progress, parameters: run.network.parameters.map { $0.parameter.value.values })
    }

    /// The sweep's metric from a run's final values: the summary's columns for loss and accuracy,
    /// else the metric's last logged value.
    private static func value(of metric: SweepMetric, in run: RunSummary, store: RunStore) throws -> Double? {
        switch (metric.split, metric.name) {
        case ("train", "accuracy"): run.trainAccuracy
        case ("train", "loss"): run.trainLoss
        case ("val", "accuracy"): run.validationAccuracy
        case ("val", "loss"): run.validationLoss
        case ("test", "accuracy"): run.testAccuracy
        case ("test", "loss"): run.testLoss
        default: try store.metrics(runID: run.id).last {
            $0.split == metric.split && $0.name == metric.name && (metric.split == "test" || run.bestStep == nil || $0.step == run.bestStep)
        }?.value
        }
    }

    /// The metrics of a finished run's model: its last log point, or with keep_best the best step's
    /// train and val metrics with the last point's test metrics (measured on the kept weights).
    private static func modelPoint(of report: RunReport, store: RunStore) throws -> LogPoint? {
        guard let last = report.result.final, report.status == .finished, let bestStep = report.result.bestStep,
              bestStep != last.step else { return report.result.final }
        var point = last
        point.metrics = try store.metrics(runID: report.runID).filter { $0.step == bestStep && $0.split != "test" }
            .map { Metric(split: $0.split, name: $0.name, value: $0.value) }
            + last.metrics.filter { $0.split == "test" }
        return point
    }
}

extension SweepRun {
    /// Refuses to continue trial run `runID` when a data file changed since it read it (unless
    /// `allowChanged`), or when its checkpoint does not fit the data the trial now has.
    static func checkContinuedData<Scalar>(runID: Int64, _ checkpoint: Checkpoint<Scalar>, _ run: PreparedRun<Scalar>, store: RunStore,
                                   allowChanged: Bool) throws {
        try DataFingerprints.check(try store.recordedData(runID: runID), runID: runID, allowChanged: allowChanged)
        try TrainingRun.checkFits(checkpoint, run, runID: runID)
    }
}

/// The state the sweep's worker threads share. Every variable is touched under `lock`; the data
/// set the runs share is only read while training.
private final class SweepWork<Scalar: NetScalar>: @unchecked Sendable {
    private let lock = NSLock()
    let data: Datasets<Scalar>?
    private let started: (Int) -> Void
    private let finished: (TrialOutcome) -> Void
    private let shouldStop: @Sendable () -> Bool
    private(set) var failure: Error?
    private(set) var outcomes: [Int: TrialOutcome] = [:]

    init(data: Datasets<Scalar>?, started: @escaping (Int) -> Void, finished: @escaping (TrialOutcome) -> Void,
         shouldStop: @escaping @Sendable () -> Bool) {
        self.data = data
        self.started = started
        self.shouldStop = shouldStop
        self.finished = finished
    }

    /// One trial has failed or a stop was asked for: take no more trials.
    var stopping: Bool {
        shouldStop() || lock.withLock { failure != nil }
    }

    /// Marks trials that ran here as pruned (their rows were printed when their rung ended).
    func prune(_ trials: [Int]) {
        lock.withLock { for trial in trials { outcomes[trial]?.pruned = true } }
    }

    func start(_ trial: Int) {
        lock.withLock { started(trial) }
    }

    func complete(_ outcome: TrialOutcome) {
        lock.withLock {
            outcomes[outcome.trial] = outcome
            finished(outcome)
        }
    }

    /// Keeps the first error; the other workers stop after their current trial.
    func fail(_ error: Error) {
        lock.withLock { if failure == nil { failure = error } }
    }
}
