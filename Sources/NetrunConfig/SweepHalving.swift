import NetrunCore

/// `sweep.halving: {min_epochs: r, factor: η, metric: …}` — successive halving over the sweep's trials.
///
/// Every trial trains `r` epochs (rung 0); of the n trials that entered a rung, the best ⌈n/η⌉
/// that completed it (a diverged one is out) continue to the next, η times as long, and so on. The rungs are r, rη, rη², … while below `training.epochs`,
/// then `training.epochs` itself, so the last rung ends exactly at the configured length even when
/// it is not r times a power of η (epochs 10, r 1, η 3: rungs 1, 3, 9, 10).
public struct SweepHalving: Sendable {
    public var minEpochs: Located<Int>
    public var factor: Located<Int>
    /// What ranks trials at the rungs; the sweep's metric when not given.
    public var metric: Located<SweepMetric>
    public var location: SourceLocation?

    /// The epochs at which each rung ends, ascending; the last is `epochs`.
    public func rungs(epochs: Int) -> [Int] {
        var rungs: [Int] = []
        var rung = minEpochs.value
        while rung < epochs {
            rungs.append(rung)
            let (next, overflow) = rung.multipliedReportingOverflow(by: factor.value)
            if overflow { break }
            rung = next
        }
        return rungs + [epochs]
    }

    /// How many trials rung `rung` trains: all `trials` at rung 0, then ⌈n/η⌉ of the n before.
    public func trials(inRung rung: Int, of trials: Int) -> Int {
        var count = trials
        for _ in 0..<rung { count = (count + factor.value - 1) / factor.value }
        return count
    }

    /// Refuses a schedule the run cannot keep: rungs need whole epochs (not `iterations`), a log
    /// point at each rung's end (where the metric is measured), and a metric measured before the end.
    /// `swept` are the grid's key paths: the rungs are the same for every trial, so the run's length
    /// and log interval cannot be swept.
    public func check(_ training: TrainingSettings, sweeping swept: [String]) throws {
        if let path = swept.first(where: { ["training.epochs", "training.iterations", "training.log_every"].contains($0) }) {
            throw ConfigError("successive halving gives every trial the same rungs, so \(path) cannot be swept with it",
                              at: location, path: "sweep.halving")
        }
        if training.iterations != nil {
            throw ConfigError("successive halving counts rungs in epochs; give training.epochs, not training.iterations",
                              at: location, path: "sweep.halving")
        }
        guard minEpochs.value < training.epochs else {
            throw minEpochs.error("min_epochs (\(minEpochs.value)) must be less than training.epochs (\(training.epochs)): "
                                  + "the first rung ends before the last")
        }
        let rungs = rungs(epochs: training.epochs)
        if let rung = rungs.first(where: { $0 % training.logEvery != 0 }) {
            throw ConfigError("the rung at \(rung) epochs has no log point to rank trials by: training.log_every "
                              + "(\(training.logEvery)) must divide every rung's epochs "
                              + "(\(rungs.map(String.init).joined(separator: ", "))); set training.log_every: 1",
                              at: location, path: "sweep.halving")
        }
        if metric.value.split == "test" {
            throw metric.error("\(metric.value.label) is measured only when a run ends; rank the rungs by a val_ or train_ metric")
        }
    }
}

extension ConfigLoader {
    /// `halving: {min_epochs: r, factor: η, metric: …}`: r ≥ 1, η ≥ 2 (integers); `sweepMetric` by default.
    static func decodeHalving(_ value: ConfigValue, sweepMetric: Located<SweepMetric>) throws -> SweepHalving {
        let halving = try value.mapping()
        let minValue = try halving.required("min_epochs"), factorValue = try halving.required("factor")
        let minEpochs = try minValue.int(), factor = try factorValue.int()
        guard minEpochs >= 1 else { throw minValue.error("min_epochs must be at least 1, got \(minEpochs)") }
        guard factor >= 2 else { throw factorValue.error("factor must be at least 2 (keep the best 1/factor at each rung), got \(factor)") }
        let metric = try halving.optional("metric").map { Located(try decodeSweepMetric($0), at: $0) } ?? sweepMetric
        try halving.finish()
        return SweepHalving(minEpochs: Located(minEpochs, at: minValue), factor: Located(factor, at: factorValue),
                            metric: metric, location: value.location)
    }
}
