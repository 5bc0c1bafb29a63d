import Foundation
import NetrunStore

/// Formatting shared by `netrun runs`, `netrun show` and `netrun plot`.
enum RunText {
    /// Seconds between two stored ISO 8601 timestamps, nil while a run has no end.
    static func seconds(from start: String, to end: String?) -> Double? {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let end, let a = parser.date(from: start), let b = parser.date(from: end) else { return nil }
        return b.timeIntervalSince(a)
    }

    /// `0.41 s`, `2 min 05 s`, `1 h 02 min`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole % 3600 / 60)
    }

    static func loss(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value.isFinite ? String(format: "%.4g", value) : (value.isNaN ? "NaN" : "inf")
    }

    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.2f%%", 100 * $0) } ?? "-"
    }

    /// The accuracy a run is judged by: validation when it has one, else training.
    static func accuracy(_ run: RunSummary) -> (split: String, value: Double)? {
        if let value = run.validationAccuracy { return ("val", value) }
        return run.trainAccuracy.map { ("train", $0) }
    }

    /// `▇▆▄▃▂▁▁`: values as block heights, resampled to at most `width` characters; NaN as a space.
    static func sparkline(_ values: [Double], width: Int = 40) -> String {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let count = min(values.count, width)
        return String((0..<count).map { i -> Character in
            let value = values[i * values.count / count]
            guard value.isFinite else { return " " }
            let level = high > low ? Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded()) : 0
            return blocks[level]
        })
    }

    /// Left-aligned text columns separated by two spaces; numbers right-aligned.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// One line of JSON with sorted keys; nil values become null.
    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A summary as JSON-ready values.
    static func jsonObject(_ run: RunSummary) -> [String: Any] {
        func number(_ value: Double?) -> Any { value.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        return [
            "id": run.id, "name": run.name, "status": run.shownStatus, "config_path": run.configPath,
            "started_at": run.startedAt, "ended_at": run.endedAt ?? NSNull(),
            "seconds": number(seconds(from: run.startedAt, to: run.endedAt)),
            "training_seconds": number(run.trainingSeconds), "resumed_at": run.resumedAt ?? NSNull(),
            "steps": run.steps, "epochs": run.epochs, "seed": run.seed,
            "train_loss": number(run.trainLoss), "train_accuracy": number(run.trainAccuracy),
            "val_loss": number(run.validationLoss), "val_accuracy": number(run.validationAccuracy),
            "test_loss": number(run.testLoss), "test_accuracy": number(run.testAccuracy),
            "message": run.message ?? NSNull(), "netrun_version": run.netrunVersion,
            "owner_pid": run.owner.map { Int($0.pid) } ?? NSNull(), "owner_host": run.owner?.host ?? NSNull(),
            "heartbeat_at": run.heartbeatAt ?? NSNull(),
        ]
    }
}
