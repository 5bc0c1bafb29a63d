/// `exponential: {factor: γ}` (also written `training.learning_rate_decay: γ`): the rate is
/// multiplied by γ after every epoch, lr_e = lr · γ^e — PyTorch's `ExponentialLR(gamma=γ)`
/// stepped once per epoch.
public struct ExponentialSchedule: LearningRateSchedule, Equatable {
    public static let name = "exponential"
    public var factor: Double

    public init(factor: Double) { self.factor = factor }

    // Multiplied in place, as PyTorch's chainable form does, not lr · γ^e: the same bits as
    // netrun's `learning_rate_decay` always gave.
    public func rate(after clock: ScheduleClock, current rate: Double) -> Double {
        clock.endedEpoch ? rate * factor : rate
    }

    public var description: String { "exponential (factor \(factor))" }
}
