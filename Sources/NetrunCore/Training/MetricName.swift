/// A measure a run can log beside its loss: the closed set that `training.metrics` and a sweep's
/// `metric` name. Names as logged in the `metrics` table: `accuracy`, `top5` (any k ≥ 1),
/// `macro_precision`, `macro_recall`, `macro_f1`, `mae`, `rmse`, `r2`.
public enum MetricName: Sendable, Hashable {
    case accuracy
    /// Rows whose true class is among the k highest outputs (sklearn's `top_k_accuracy_score`).
    case topK(Int)
    case macroPrecision, macroRecall, macroF1
    case meanAbsoluteError, rootMeanSquaredError, r2

    /// Every name but `top<k>`, in the order messages list them.
    public static let fixed: [MetricName] = [.accuracy, .macroPrecision, .macroRecall, .macroF1,
                                             .meanAbsoluteError, .rootMeanSquaredError, .r2]

    /// The names messages list: the fixed ones and the `top<k>` pattern.
    public static var listed: String {
        (["accuracy", "top<k> (k ≥ 1, e.g. top5)"] + fixed.dropFirst().map(\.name)).joined(separator: ", ")
    }

    /// The metric `name` names: `top` followed by a positive integer, or a fixed name.
    public init?(_ name: String) {
        if name.hasPrefix("top"), let k = Int(name.dropFirst(3)), k >= 1, !name.dropFirst(3).hasPrefix("+") {
            self = .topK(k)
            return
        }
        guard let match = Self.fixed.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public var name: String {
        switch self {
        case .accuracy: "accuracy"
        case .topK(let k): "top\(k)"
        case .macroPrecision: "macro_precision"
        case .macroRecall: "macro_recall"
        case .macroF1: "macro_f1"
        case .meanAbsoluteError: "mae"
        case .rootMeanSquaredError: "rmse"
        case .r2: "r2"
        }
    }

    /// Errors are better lower; every other metric is better higher.
    public var maximize: Bool { self != .meanAbsoluteError && self != .rootMeanSquaredError }

    /// Whether the metric needs a regression target (else it needs class labels).
    public var isRegression: Bool { self == .meanAbsoluteError || self == .rootMeanSquaredError || self == .r2 }
}

extension Evaluation {
    /// The value of `metric`, or nil when it does not apply to these targets (class metrics for
    /// regression, regression metrics for classes).
    public func value(of metric: MetricName) -> Double? {
        switch metric {
        case .accuracy: return accuracy
        case .topK(let k): return counts.topK[k].map { Double($0) / Double(max(counts.count, 1)) }
        case .macroPrecision, .macroRecall, .macroF1:
            guard let confusion = counts.confusion else { return nil }
            return macroAverage(confusion: confusion, metric == .macroF1 ? \.f1 : metric == .macroRecall ? \.recall : \.precision)
        case .meanAbsoluteError: return counts.outputs.map { RegressionScores($0).meanAbsoluteError }
        case .rootMeanSquaredError: return counts.outputs.map { RegressionScores($0).rootMeanSquaredError }
        case .r2: return counts.outputs.map { RegressionScores($0).r2 }
        }
    }

    /// Loss, accuracy (classifiers) and each of `extra` that applies, as `split`'s metrics.
    public func metrics(split: String, extra: [MetricName] = []) -> [Metric] {
        var metrics = [Metric(split: split, name: "loss", value: loss)]
        if let accuracy { metrics.append(Metric(split: split, name: "accuracy", value: accuracy)) }
        for metric in extra where metric != .accuracy {
            if let value = value(of: metric) { metrics.append(Metric(split: split, name: metric.name, value: value)) }
        }
        return metrics
    }
}
