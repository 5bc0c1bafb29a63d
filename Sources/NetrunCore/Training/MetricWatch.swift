/// A logged metric that training watches (for `plateau`, `early_stopping`, `keep_best`): a split
/// and a name as logged, e.g. `val` `loss`, and which way is better.
public struct Monitor: Sendable, Equatable {
    public var split: String
    /// `loss` or a `MetricName`'s name.
    public var name: String
    /// Loss and errors (mae, rmse) are better lower; accuracy, top-k, F1 and R² higher.
    public var maximize: Bool

    public init(split: String, name: String) {
        self.split = split
        self.name = name
        maximize = MetricName(name)?.maximize ?? false
    }

    /// `val_loss`, as configs write it.
    public var label: String { "\(split)_\(name)" }
}

/// What a watcher remembers of its metric between log points; checkpointed, so a resumed run
/// decides exactly as an uninterrupted one.
public struct MetricWatch: Sendable, Equatable {
    /// The best value seen; nil before the first finite one.
    public var best: Double?
    /// The step it was measured at.
    public var bestStep: Int?
    /// Log points in a row since the last improvement.
    public var badCount: Int

    public init(best: Double? = nil, bestStep: Int? = nil, badCount: Int = 0) {
        self.best = best
        self.bestStep = bestStep
        self.badCount = badCount
    }

    /// Reads `metric` from `point` and counts it as an improvement when `improves(value, best)`
    /// (any finite value improves on none; NaN and ±∞ never do, as in PyTorch, whose first best is
    /// ±∞). Returns whether it improved. A point without the metric counts as no improvement.
    @discardableResult
    public mutating func observe(_ point: LogPoint, _ metric: Monitor, improves: (Double, Double) -> Bool) -> Bool {
        let value = point.value(metric.split, metric.name) ?? .nan
        let improved = value.isFinite && (best.map { improves(value, $0) } ?? true)
        if improved {
            best = value
            bestStep = point.step
            badCount = 0
        } else {
            badCount += 1
        }
        return improved
    }
}

/// `training.early_stopping`: stop once `patience` log points in a row have not improved the
/// metric by more than `minDelta` (Keras' and PyTorch Lightning's `EarlyStopping`).
public struct EarlyStopping: Sendable, Equatable {
    public var metric: Monitor
    public var patience: Int
    public var minDelta: Double

    public init(metric: Monitor, patience: Int, minDelta: Double = 0) {
        self.metric = metric
        self.patience = patience
        self.minDelta = minDelta
    }

    /// Records `point` in `watch`; true when training should stop here.
    public func shouldStop(after point: LogPoint, _ watch: inout MetricWatch) -> Bool {
        let maximize = metric.maximize, delta = minDelta
        // Keras: monitor_op(current − min_delta, best), min_delta negated when lower is better.
        watch.observe(point, metric) { value, best in maximize ? value - delta > best : value + delta < best }
        return watch.badCount >= patience
    }

    /// Why the run stopped, for `runs.message`.
    public func reason(step: Int) -> String {
        "stopped early at step \(step): \(metric.label) did not improve by more than \(minDelta) "
            + "for \(patience) log point\(patience == 1 ? "" : "s")"
    }
}
