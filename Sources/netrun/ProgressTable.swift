import Foundation
import NetrunCore

/// Formats log points as aligned columns: epoch, step, then loss and accuracy per split.
struct ProgressTable {
    /// The columns of the table: train and validation, measured at every log point.
    let columns: [(split: String, name: String)]
    /// The splits the closing summary reports: the columns' plus test, measured at the end.
    let summaryColumns: [(split: String, name: String)]

    init(hasValidation: Bool, hasTest: Bool, hasAccuracy: Bool) {
        let names = hasAccuracy ? ["loss", "accuracy"] : ["loss"]
        columns = (hasValidation ? ["train", "val"] : ["train"]).flatMap { split in names.map { (split, $0) } }
        summaryColumns = columns + (hasTest ? names.map { ("test", $0) } : [])
    }

    var header: String {
        pad("epoch", 8) + pad("step", 9) + columns.map { pad("\($0.split) \($0.name == "loss" ? "loss" : "acc")", 12) }.joined()
    }

    func row(_ point: LogPoint) -> String {
        pad(String(point.epoch), 8) + pad(String(point.step), 9)
            + columns.map { column in
                pad(point.value(column.split, column.name).map { format($0, column.name) } ?? "-", 12)
            }.joined()
    }

    /// `train 0.0123 100.00%  val 0.0456 97.00%`: loss then accuracy per split, for the live line.
    func compact(_ point: LogPoint) -> String {
        Dictionary(grouping: columns, by: \.split).keys.sorted { $0 == "train" || $1 != "train" }.map { split in
            ([split] + columns.filter { $0.split == split }.map { column in
                point.value(split, column.name).map { format($0, column.name) } ?? "-"
            }).joined(separator: " ")
        }.joined(separator: "  ")
    }

    /// `["train loss 0.0123, train accuracy 100.00%", "val loss 0.0456, val accuracy 97.00%"]`: the
    /// closing values, one text per split.
    func summary(_ point: LogPoint) -> [String] {
        var splits: [String] = []
        for split in summaryColumns.map(\.split) where !splits.contains(split) { splits.append(split) }
        return splits.compactMap { split in
            let values = summaryColumns.filter { $0.split == split }.compactMap { column in
                point.value(split, column.name).map { "\(split) \(column.name) \(format($0, column.name))" }
            }
            return values.isEmpty ? nil : values.joined(separator: ", ")
        }
    }

    private func format(_ value: Double, _ name: String) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        return name == "accuracy" ? String(format: "%.2f%%", value * 100) : String(format: "%.6g", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
