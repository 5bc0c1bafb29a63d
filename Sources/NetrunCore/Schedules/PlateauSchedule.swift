/// `plateau: {metric: val_loss, patience: N, factor: γ}`: at each log point (after step 0) the
/// metric is compared with its best; after more than N log points in a row without an
/// improvement, the rate is multiplied by γ and the count starts over — PyTorch's
/// `ReduceLROnPlateau(mode, factor=γ, patience=N)` with its defaults (threshold 1e-4, relative;
/// cooldown 0; min_lr 0; eps 1e-8), called once per log point with the metric.
public struct PlateauSchedule: LearningRateSchedule, Equatable {
    public static let name = "plateau"
    /// PyTorch's `threshold` with `threshold_mode='rel'`: an improvement beats the best by this fraction.
    public static let threshold = 1e-4
    /// PyTorch's `eps`: a reduction smaller than this is skipped.
    public static let eps = 1e-8

    public var metric: Monitor
    public var patience: Int
    public var factor: Double

    public init(metric: Monitor, patience: Int = 10, factor: Double = 0.1) {
        self.metric = metric
        self.patience = patience
        self.factor = factor
    }

    public func rate(after clock: ScheduleClock, current rate: Double) -> Double { rate }

    public func rate(afterLogging point: LogPoint, current rate: Double, watch: inout MetricWatch) -> Double {
        let maximize = metric.maximize
        watch.observe(point, metric) { value, best in
            maximize ? value > best * (1 + Self.threshold) : value < best * (1 - Self.threshold)
        }
        guard watch.badCount > patience else { return rate }
        watch.badCount = 0
        let reduced = rate * factor
        return rate - reduced > Self.eps ? reduced : rate
    }

    public var description: String { "plateau (\(metric.label), patience \(patience), factor \(factor))" }
}
