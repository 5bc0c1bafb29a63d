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
    /// Done in an earlier invocation of the same sweep; not run again.
    public var skipped: Bool
}

/// A whole sweep's result.
public struct SweepReport: Sendable {
    public var sweepID: Int64
    public var resumed: Bool
    /// In grid order.
    public var outcomes: [TrialOutcome]
    public var best: Int?
    /// Stopped by a signal; running the sweep again continues it.
    public var interrupted: Bool
}

/// Runs a sweep's trials, several at once, each as its own recorded run linked to the sweep.
///
/// Every trial starts from the sweep's seed: the same initial weights, batch order and split, so
/// the grid compares hyperparameters and nothing else, and any trial is reproduced exactly by
/// `netrun train` with its values. Trials share nothing mutable, so running them in parallel gives
/// the same numbers as running them one by one.
public enum SweepRun {
    /// `data`, when given, is the config's data already loaded (the grid must not change the data).
    /// `allowChangedData` lets an interrupted trial continue on data files changed since it read them.
    public static func run(_ plan: SweepPlan, store: RunStore, jobs: Int, data: Datasets<Float>? = nil,
                           allowChangedData: Bool = false,
                           shouldStop: @escaping @Sendable () -> Bool = { false },
                           opened: (OpenedSweep) -> Void = { _ in },
                           finished: @escaping (TrialOutcome) -> Void = { _ in }) throws -> SweepReport {
        let config = plan.config
        let metric = plan.sweep.metric.value
        let sweep = try store.openSweep(
            NewSweep(name: config.name, configPath: config.path, configText: config.text, seed: config.seed,
                     metric: metric.label, maximize: metric.maximize, netrunVersion: NetrunVersion.current,
                     configOverrides: ConfigOverride.text(config.overrides)),
            trials: plan.trials.map(\.spec))
        opened(sweep)

        // Load once and share, unless the grid changes the data; build every network up front
        // so a shape error stops the sweep before its first trial.
        precondition(data == nil || !plan.sweep.changesData, "preloaded data for a grid over data settings")
        let shared = plan.sweep.changesData ? nil : try data ?? DataLoader.load(config)
        let pending = plan.trials.filter { !sweep.trials[$0.spec.trial].isDone }
        let files = try shared.map { _ in try DataFingerprints.of(config) }  // hashed once, not per trial
        let prepared: [Int: PreparedRun] = try shared.map { data in
            Dictionary(uniqueKeysWithValues: try pending.map {
                ($0.spec.trial, try PreparedRun(config: $0.config, data: data, dataFiles: files))
            })
        } ?? [:]

        var outcomes = [TrialOutcome?](repeating: nil, count: plan.trials.count)
        for trial in plan.trials where sweep.trials[trial.spec.trial].isDone {
            let state = sweep.trials[trial.spec.trial]
            let summary = try state.runID.flatMap(store.summary)
            let outcome = TrialOutcome(trial: trial.spec.trial, values: trial.values.map(\.text),
                                       learningRate: trial.spec.learningRate, reg: trial.spec.reg, runID: state.runID,
                                       status: state.runStatus ?? .finished, trainAccuracy: summary?.trainAccuracy,
                                       validationAccuracy: summary?.validationAccuracy, score: state.score,
                                       seconds: nil, skipped: true)
            outcomes[trial.spec.trial] = outcome
            finished(outcome)
        }

        let work = SweepWork(pending: pending, prepared: prepared, outcomes: outcomes, finished: finished,
                             shouldStop: shouldStop)
        let sweepID = sweep.id, states = sweep.trials
        let workers = max(1, min(jobs, pending.count))
        // Trials in parallel already fill the cores; threaded products on top would oversubscribe them.
        let threads = ComputeThreads.limit
        ComputeThreads.limit = max(1, threads / workers)
        defer { ComputeThreads.limit = threads }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let (trial, prepared) = work.take() {
                do {
                    work.complete(try runTrial(trial, prepared: prepared, state: states[trial.spec.trial],
                                               sweepID: sweepID, metric: metric, store: store,
                                               allowChangedData: allowChangedData, shouldStop: shouldStop))
                } catch {
                    work.fail(error)
                }
            }
        }
        outcomes = work.outcomes
        if let failure = work.failure {
            _ = try? store.finishSweep(sweepID: sweep.id, status: "failed")
            throw failure
        }
        if shouldStop() {
            let best = try store.finishSweep(sweepID: sweep.id, status: "interrupted")
            return SweepReport(sweepID: sweep.id, resumed: sweep.resumed, outcomes: outcomes.compactMap { $0 }, best: best,
                               interrupted: true)
        }
        let best = try store.finishSweep(sweepID: sweep.id, status: "finished")
        // Every finished trial keeps its final weights; only the winner keeps a checkpoint.
        for outcome in outcomes.compactMap({ $0 }) where outcome.trial != best {
            if let runID = outcome.runID { try store.deleteCheckpoint(runID: runID) }
        }
        return SweepReport(sweepID: sweep.id, resumed: sweep.resumed, outcomes: outcomes.compactMap { $0 }, best: best,
                           interrupted: false)
    }

    /// Runs one trial: continues its interrupted run from its checkpoint, or starts a new run.
    private static func runTrial(_ trial: SweepPlan.Trial, prepared: PreparedRun?, state: TrialState, sweepID: Int64,
                                 metric: SweepMetric, store: RunStore, allowChangedData: Bool,
                                 shouldStop: () -> Bool) throws -> TrialOutcome {
        let clock = ContinuousClock(), start = clock.now
        let run = try prepared ?? PreparedRun(config: trial.config)
        var resume: ResumePoint?
        if let runID = state.runID, state.runStatus == .interrupted,
           let saved = try store.checkpoint(runID: runID), saved.layout == run.tensorLayout {
            try checkContinuedData(runID: runID, saved.checkpoint, run, store: store, allowChanged: allowChangedData)
            resume = ResumePoint(runID: runID, checkpoint: saved.checkpoint)
        }
        let report = try TrainingRun.run(run, store: store, resume: resume, shouldStop: shouldStop, started: { runID in
            try? store.attachRun(sweepID: sweepID, trial: trial.spec.trial, runID: runID)
        })
        let final = report.result.final
        let score = report.status == .finished ? final?.value(metric.split, metric.name) : nil
        try store.recordScore(sweepID: sweepID, trial: trial.spec.trial, score: score)
        return TrialOutcome(trial: trial.spec.trial, values: trial.values.map(\.text),
                            learningRate: trial.spec.learningRate, reg: trial.spec.reg, runID: report.runID,
                            status: report.status, trainAccuracy: final?.value("train", "accuracy"),
                            validationAccuracy: final?.value("val", "accuracy"), score: score,
                            seconds: (clock.now - start) / .seconds(1), skipped: false)
    }
}

extension SweepRun {
    /// Refuses to continue trial run `runID` when a data file changed since it read it (unless
    /// `allowChanged`), or when its checkpoint does not fit the data the trial now has.
    static func checkContinuedData(runID: Int64, _ checkpoint: Checkpoint<Float>, _ run: PreparedRun, store: RunStore,
                                   allowChanged: Bool) throws {
        try DataFingerprints.check(try store.recordedData(runID: runID), runID: runID, allowChanged: allowChanged)
        try TrainingRun.checkFits(checkpoint, run, runID: runID)
    }
}

/// The state the sweep's worker threads share. Every field is touched under `lock`; each prepared
/// run goes to exactly one worker, and the data set the runs share is only read while training.
private final class SweepWork: @unchecked Sendable {
    private let lock = NSLock()
    private let pending: [SweepPlan.Trial]
    private let prepared: [Int: PreparedRun]
    private let finished: (TrialOutcome) -> Void
    private let shouldStop: @Sendable () -> Bool
    private var next = 0
    private(set) var failure: Error?
    private(set) var outcomes: [TrialOutcome?]

    init(pending: [SweepPlan.Trial], prepared: [Int: PreparedRun], outcomes: [TrialOutcome?],
         finished: @escaping (TrialOutcome) -> Void, shouldStop: @escaping @Sendable () -> Bool) {
        self.shouldStop = shouldStop
        self.pending = pending
        self.prepared = prepared
        self.outcomes = outcomes
        self.finished = finished
    }

    /// The next trial to run, or nil when all are taken, one has failed, or a stop was asked for.
    func take() -> (SweepPlan.Trial, PreparedRun?)? {
        if shouldStop() { return nil }
        return lock.withLock {
            guard failure == nil, next < pending.count else { return nil }
            defer { next += 1 }
            return (pending[next], prepared[pending[next].spec.trial])
        }
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
