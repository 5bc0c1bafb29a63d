import Foundation
import NetrunRunner

/// Formats sweep trials as aligned columns: trial, one column per swept key (grid, then random),
/// accuracies, time, status.
struct SweepTable {
    private let axisNames: [String]
    private let widths: [Int]

    init(plan: SweepPlan) {
        let names = plan.sweep.paths.map { String($0.split(separator: ".").last ?? "") }
        axisNames = names
        // A drawn real is written in full: at most 24 characters (-2.2250738585072014e-308).
        let texts = plan.sweep.axes.map(\.texts) + (plan.sweep.random?.keys ?? []).map { key in
            switch key.distribution {
            case .uniform, .logUniform: [String(repeating: "0", count: 24)]
            case .intUniform(let low, let high): ["\(low)", "\(high)"]
            case .choice(let values): values.map { value in
                if case .scalar(let scalar) = value.kind { return scalar.text }
                return "…"
            }
            }
        }
        widths = zip(names, texts).map { name, texts in
            max(10, name.count, texts.map(\.count).max() ?? 0)
        }
    }

    var header: String {
        pad("trial", 6) + zip(axisNames, widths).map { pad($0, $1 + 2) }.joined()
            + pad("train acc", 11) + pad("val acc", 10) + pad("time", 9) + "  status"
    }

    func row(_ outcome: TrialOutcome) -> String {
        let time = outcome.seconds.map { String(format: "%.1f s", $0) } ?? "-"
        let continued = outcome.continuedFrom.map { $0 == 0 ? ", started again from step 0" : ", continued from step \($0)" } ?? ""
        let state = outcome.pruned ? "pruned at \(Self.epochs(outcome.rung ?? 0))"
            : outcome.status == .interrupted && outcome.rung != nil ? "rung of \(Self.epochs(outcome.rung ?? 0)) done" : outcome.status.rawValue
        let status = outcome.skipped ? (outcome.pruned ? "\(state) earlier (run \(outcome.runID ?? 0))" : "done earlier (run \(outcome.runID ?? 0))")
            : "\(state) (run \(outcome.runID ?? 0)\(continued))"
        return pad(String(outcome.trial), 6) + zip(outcome.values, widths).map { pad($0, $1 + 2) }.joined()
            + pad(format(outcome.trainAccuracy, "accuracy"), 11) + pad(format(outcome.validationAccuracy, "accuracy"), 10)
            + pad(time, 9) + "  " + status
    }

    func format(_ value: Double?, _ name: String) -> String {
        guard let value else { return "-" }
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        return name == "accuracy" ? String(format: "%.2f%%", value * 100) : String(format: "%.6g", value)
    }

    /// `1 epoch`, `3 epochs`: a halving rung's length.
    static func epochs(_ count: Int) -> String {
        "\(count) epoch\(count == 1 ? "" : "s")"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
