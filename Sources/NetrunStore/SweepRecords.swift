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

/// Where a trial stands in the store: its latest run, if any.
public struct TrialState: Sendable, Equatable {
    public var trial: Int
    public var runID: Int64?
    public var runStatus: RunStatus?
    public var score: Double?

    /// Finished and diverged trials are final; a re-run would give the same result.
    public var isDone: Bool { runStatus == .finished || runStatus == .diverged }
}

/// A sweep opened for running: its id, whether it existed, and its trials' states in grid order.
public struct OpenedSweep: Sendable {
    public var id: Int64
    public var resumed: Bool
    public var trials: [TrialState]
}
