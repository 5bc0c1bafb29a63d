/// How the learning rate changes as training goes: one of `training.schedule`'s main schedules.
///
/// The rate lives in `TrainingProgress.learningRate` (the rate the main schedule gives for the
/// next step, checkpointed with the run); a schedule only says how it moves. Warmup, when set,
/// multiplies it (`ScheduleSettings.rate(for:)`), so warmup combines with any main schedule.
public protocol LearningRateSchedule: Sendable, CustomStringConvertible {
    /// The name `training.schedule` knows it by, e.g. `cosine`.
    static var name: String { get }

    /// The main rate for the next step, after `clock.step` updates; `rate` is the one in force.
    func rate(after clock: ScheduleClock, current rate: Double) -> Double

    /// The main rate after a log point's metrics were measured; only `plateau` looks at them.
    /// `watch` is the schedule's own record of its metric, checkpointed with the run.
    func rate(afterLogging point: LogPoint, current rate: Double, watch: inout MetricWatch) -> Double

    func isSame(as other: any LearningRateSchedule) -> Bool
}

extension LearningRateSchedule {
    public func rate(afterLogging point: LogPoint, current rate: Double, watch: inout MetricWatch) -> Double { rate }
}

extension LearningRateSchedule where Self: Equatable {
    public func isSame(as other: any LearningRateSchedule) -> Bool { (other as? Self) == self }
}

/// Where training stands when a schedule moves the rate: right after an update.
public struct ScheduleClock: Sendable {
    /// Updates applied so far (the one just made included).
    public var step: Int
    /// Epochs completed.
    public var epoch: Int
    /// Whether the update just made ended an epoch.
    public var endedEpoch: Bool
    /// The run's length in steps.
    public var totalSteps: Int
    /// `training.learning_rate`.
    public var baseRate: Double
}

/// `training.schedule`: one main schedule (none keeps the rate) and an optional linear warmup.
public struct ScheduleSettings: Sendable, Equatable {
    public var main: (any LearningRateSchedule)?
    /// Steps of linear warmup: step s (1-based) runs at min(1, s / k) × the main schedule's rate.
    public var warmupSteps: Int?

    public init(main: (any LearningRateSchedule)? = nil, warmupSteps: Int? = nil) {
        self.main = main
        self.warmupSteps = warmupSteps
    }

    /// The rate the next step uses: the main schedule's rate, scaled during warmup.
    public func rate(for progress: TrainingProgress) -> Double {
        guard let warmupSteps, progress.step < warmupSteps else { return progress.learningRate }
        // PyTorch's LinearLR(start_factor=1/k, total_iters=k-1): step s uses (s)/k of the rate.
        return progress.learningRate * Double(progress.step + 1) / Double(warmupSteps)
    }

    public static func == (a: ScheduleSettings, b: ScheduleSettings) -> Bool {
        guard a.warmupSteps == b.warmupSteps else { return false }
        switch (a.main, b.main) {
        case (nil, nil): return true
        case (let x?, let y?): return x.isSame(as: y)
        default: return false
        }
    }
}
