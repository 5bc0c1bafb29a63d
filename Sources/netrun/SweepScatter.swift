import Foundation
import NetrunConfig
import NetrunPlot
import NetrunStore

/// A recorded random sweep drawn for `netrun plot --sweep`: its trials as points over the two keys
/// that matter most, coloured by the sweep's metric.
///
/// A key's importance is |ρ|, the absolute Spearman rank correlation of its values with the metric
/// over the trials that have one. Only numeric keys are ranked (a choice of names has no order);
/// ties keep the config's order. With one numeric key the chart is the metric against that key.
struct SweepScatter {
    let sweep: SweepSummary
    let config: SweepConfig

    /// The sweep's config decoded from the store when it samples random keys, else nil (a grid).
    static func randomConfig(of sweep: SweepSummary) -> SweepConfig? {
        let overrides = try? ConfigOverride.parse(text: sweep.configOverrides, source: "sweep \(sweep.id)'s overrides")
        guard let decoded = try? ConfigLoader.decode(text: sweep.configText, path: sweep.configPath, overrides: overrides ?? []),
              let config = decoded.sweep, config.random != nil else { return nil }
        return config
    }

    /// The trials with a finite score, which importance is measured over.
    private var scored: [SweptTrial] {
        sweep.trials.filter { $0.score?.isFinite ?? false }
    }

    /// The numeric keys, most important first, each with its |ρ| (0 when undefined: too few trials,
    /// or a key or metric that did not vary).
    func importances() -> [(path: String, importance: Double)] {
        let numeric = config.paths.filter { path in
            !sweep.trials.isEmpty && sweep.trials.allSatisfy { Self.value(of: path, in: $0)?.isFinite ?? false }
        }
        let scored = scored
        let ranked = numeric.map { path -> (path: String, importance: Double) in
            let rho = RankCorrelation.spearman(scored.map { Self.value(of: path, in: $0)! }, scored.map { $0.score! })
            return (path, abs(rho ?? 0))
        }
        // A stable sort: ties keep the config's order.
        return ranked.enumerated().sorted { ($0.element.importance, -$0.offset) > ($1.element.importance, -$1.offset) }.map(\.element)
    }

    func scatter() throws -> Scatter {
        guard !sweep.trials.isEmpty else { throw SweepGrid.Unplottable(message: "has no trials yet") }
        let ranked = importances()
        guard let first = ranked.first else {
            throw SweepGrid.Unplottable(message: "samples no numeric key to plot (\(config.paths.joined(separator: ", "))); "
                                        + "compare its runs with netrun runs --sweep \(sweep.id)")
        }
        let metric = sweep.metric.replacingOccurrences(of: "_", with: " ")
        let second = ranked.dropFirst().first
        // With one key the metric is the y axis, so a trial without a score has nowhere to go.
        let shown = second == nil ? scored : sweep.trials
        let points = shown.map { trial in
            Scatter.Point(x: Self.value(of: first.path, in: trial)!,
                          y: second.map { Self.value(of: $0.path, in: trial)! } ?? trial.score!,
                          value: trial.score, name: "trial \(trial.trial)")
        }
        var best: Int?
        for (index, trial) in shown.enumerated() {
            // Ties go to the earlier trial, as the sweep's own ranking does.
            guard let score = trial.score, score.isFinite else { continue }
            if let current = best, let held = shown[current].score, sweep.maximize ? score <= held : score >= held { continue }
            best = index
        }
        let importance = ranked.prefix(2).map { "\(SweepGrid.Axis.name(of: $0.path)) \(String(format: "%.2f", $0.importance))" }
        var caption = "importance (|Spearman rho| with the metric): " + importance.joined(separator: ", ")
        if let best {
            let trial = shown[best]
            let run = trial.runID.map { " (run \($0))" } ?? ""
            caption = "best: trial \(trial.trial): \(metric) \(Heatmap.format(trial.score!))\(run); " + caption
        }
        if shown.count < sweep.trials.count { caption += "; \(sweep.trials.count - shown.count) without \(metric) not shown" }
        return Scatter(title: "sweep \(sweep.id) \(sweep.name): \(metric)",
                       x: Scatter.Axis(label: SweepGrid.Axis.name(of: first.path), log: isLog(first.path)),
                       y: second.map { Scatter.Axis(label: SweepGrid.Axis.name(of: $0.path), log: isLog($0.path)) }
                           ?? Scatter.Axis(label: metric, log: false),
                       points: points, best: best, valueLabel: metric, caption: caption, higherIsBetter: sweep.maximize)
    }

    /// Log-uniform keys on a log axis; a grid key as the heatmap does (positive and spanning a factor of ten).
    private func isLog(_ path: String) -> Bool {
        if let key = config.random?.keys.first(where: { $0.path == path }) {
            if case .logUniform = key.distribution { return true }
            return false
        }
        let values = sweep.trials.compactMap { Self.value(of: path, in: $0) }
        guard let low = values.min(), let high = values.max() else { return false }
        return low > 0 && high / low >= 10
    }

    private static func value(of path: String, in trial: SweptTrial) -> Double? {
        trial.params.first { $0.path == path }?.value
    }
}
