/// A sweep about to start or resume.
public struct NewSweep: Sendable {
    public var name: String
    public var configPath: String
    public var configText: String
    public var seed: UInt64
    /// `val_accuracy`, `val_loss`, …
    public var metric: String
    public var maximize: Bool
    public var netrunVersion: String
    /// Command-line overrides put over `configText` for every trial, as `path=value` lines.
    public var configOverrides: String
    /// The part of the grid this process runs (`--shard I/N`); nil for the whole grid.
    public var shard: SweepShard? = nil

    public init(name: String, configPath: String, configText: String, seed: UInt64, metric: String,
                maximize: Bool, netrunVersion: String, configOverrides: String = "") {
        self.configOverrides = configOverrides
        self.name = name
        self.configPath = configPath
        self.configText = configText
        self.seed = seed
        self.metric = metric
        self.maximize = maximize
        self.netrunVersion = netrunVersion
    }
}

/// One point of a sweep's grid.
public struct TrialSpec: Sendable {
    /// Position in the grid, from 0.
    public var trial: Int
    /// `training.learning_rate=1e-07, training.reg=25000`: identifies the trial when resuming.
    public var assignment: String
    public var learningRate: Double
    public var reg: Double
    /// Each swept path with its value as written and, when it is a number, as a number.
    public var params: [(path: String, value: Double?, text: String)]

    public init(trial: Int, assignment: String, learningRate: Double, reg: Double,
                params: [(path: String, value: Double?, text: String)]) {
        self.trial = trial
        self.assignment = assignment
        self.learningRate = learningRate
        self.reg = reg
        self.params = params
    }
}

/// Where a trial stands in the store: its latest run, if any, and who claimed it last.
public struct TrialState: Sendable, Equatable {
    public var trial: Int
    public var runID: Int64?
    public var runStatus: RunStatus?
    public var score: Double?
    public var learningRate: Double = 0
    public var reg: Double = 0
    /// `running` while a process works on it; `done` once it finished or diverged.
    public var claim: TrialClaimStatus = .pending
    /// The process that runs it, or ran it last; nil before its first claim.
    public var owner: ProcessOwner?
    /// Halving: the epochs of the last rung it completed (nil before its first); `pruned` when it
    /// stopped there for good.
    public var rung: Int?
    public var pruned = false

    public init(trial: Int, runID: Int64?, runStatus: RunStatus?, score: Double?) {
        self.trial = trial
        self.runID = runID
        self.runStatus = runStatus
        self.score = score
    }

    /// Finished and diverged trials are final; a re-run would give the same result.
    public var isDone: Bool { runStatus == .finished || runStatus == .diverged }
}

/// A trial row's `status`.
public enum TrialClaimStatus: String, Sendable {
    case pending, running, done
}

/// A sweep opened for running: its id, whether it existed, its size, and the states of the trials
/// recorded so far (rows are added as trials are claimed) in grid order.
public struct OpenedSweep: Sendable {
    public var id: Int64
    public var resumed: Bool
    public var trialCount: Int
    public var trials: [TrialState]
}

/// What `claimTrial` got: a trial to run, nothing yet (another live process holds the last
/// unfinished trials; ask again later), or nothing at all.
public enum TrialClaim: Sendable {
    /// `state` is the trial as it was before this claim; `stale` says its last owner died holding it.
    case claimed(TrialState, stale: Bool)
    case wait
    case none
}

/// How a sweep stands after `closeSweep`.
public struct SweepStanding: Sendable {
    /// The best trial by the recorded scores of the whole sweep, whoever ran it.
    public var best: Int?
    public var status: String
    /// Trials not done: pending, or still running in another process.
    public var unfinished: Int
}
