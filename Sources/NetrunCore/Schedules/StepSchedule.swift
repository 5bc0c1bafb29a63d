/// `step: {every: N, factor: γ}`: the rate is multiplied by γ after every N epochs,
/// lr_e = lr · γ^⌊e / N⌋ — PyTorch's `StepLR(step_size=N, gamma=γ)` stepped once per epoch.
public struct StepSchedule: LearningRateSchedule, Equatable {
    public static let name = "step"
    public var every: Int
    public var factor: Double

    public init(every: Int, factor: Double) {
        self.every = every
        self.factor = factor
    }

    public func rate(after clock: ScheduleClock, current rate: Double) -> Double {
        clock.endedEpoch && clock.epoch % every == 0 ? rate * factor : rate
    }

    public var description: String { "step (every \(every) epochs, factor \(factor))" }
}
