import Foundation

/// `cosine: {min_lr: m}`: the rate falls along half a cosine from `learning_rate` to m over the
/// whole run, per step: step s + 1 (after s updates) runs at m + (lr − m)(1 + cos(π s / T)) / 2,
/// T = the run's steps — PyTorch's `CosineAnnealingLR(T_max=T, eta_min=m)` stepped after every
/// optimizer step (its closed form; PyTorch's recursive form agrees to about 1e-15).
public struct CosineSchedule: LearningRateSchedule, Equatable {
    public static let name = "cosine"
    public var minRate: Double

    public init(minRate: Double = 0) { self.minRate = minRate }

    public func rate(after clock: ScheduleClock, current rate: Double) -> Double {
        let t = Double(min(clock.step, clock.totalSteps)), total = Double(max(clock.totalSteps, 1))
        return minRate + (clock.baseRate - minRate) * (1 + cos(Double.pi * t / total)) / 2
    }

    public var description: String { "cosine (min_lr \(minRate))" }
}
