import ArgumentParser
import Foundation
import NetrunStore

/// `netrun show RUN`: one run's config as written, its outcome and a sparkline of its loss.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a recorded run: the config as written, the outcome, and its loss as a sparkline.")

    @Argument(help: "The run's id (see netrun runs).")
    var runID: Int64

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print JSON: the summary, the config, and every logged metric.")
    var json = false

    func run() throws {
        let store = try storage.openForReading()
        let (summary, metrics) = try loadRunRecord(runID, from: store, storage: storage)
        let tags: [RunTag]
        do {
            tags = try store.tags(runID: runID)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        if json {
            var object = RunText.jsonObject(summary)
            object["tags"] = Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            object["note"] = summary.note ?? NSNull()
            object["config_text"] = summary.configText
            if let best = summary.bestStep { object["best_step"] = best }
            object["config_overrides"] = summary.configOverrides.split(separator: "\n").map(String.init)
            object["metrics"] = metrics.map { point -> [String: Any] in
                ["step": point.step, "epoch": point.epoch, "split": point.split, "name": point.name,
                 "value": point.value.isFinite ? point.value : NSNull()]
            }
            print(RunText.json(object))
            return
        }
        print(describe(summary, metrics, tags: tags))
    }

    private func describe(_ run: RunSummary, _ metrics: [MetricPoint], tags: [RunTag]) -> String {
        var lines = ["run \(run.id): \(DisplayText.line(run.name)), \(run.shownStatus)"]
        lines.append("  config \(DisplayText.line(run.configPath)), seed \(run.seed), netrun \(run.netrunVersion)")
        let wallClock = RunText.seconds(from: run.startedAt, to: run.endedAt)
        let time = run.resumedAt != nil && run.trainingSeconds != nil
            ? "trained \(RunText.duration(run.trainingSeconds)) over \(RunText.duration(wallClock)) of wall-clock time (resumed)"
            : "took \(RunText.duration(wallClock))"
        lines.append("  started \(run.startedAt), \(time); \(run.steps) steps, \(run.epochs) epochs")
        let results = [("train", run.trainLoss, run.trainAccuracy), ("val", run.validationLoss, run.validationAccuracy),
                       ("test", run.testLoss, run.testAccuracy)]
            .filter { $0.1 != nil || $0.2 != nil }
            .map { split, loss, accuracy in
                "\(split) loss \(RunText.loss(loss))" + (accuracy.map { ", \(split) accuracy \(RunText.percent($0))" } ?? "")
            }
        if !results.isEmpty { lines.append("  " + results.joined(separator: "; ")) }
        if let message = run.message { lines.append("  \(DisplayText.line(message))") }
        if !tags.isEmpty { lines.append("  tags: " + tags.map { DisplayText.line("\($0.key)=\($0.value)") }.joined(separator: ", ")) }
        if let note = run.note { lines.append("  note: \(DisplayText.line(note))") }
        if let best = run.bestStep { lines.append("  model: the weights of step \(best) (keep_best); the last ones are kept as 'last'") }
        if run.status == .running, let owner = run.owner {
            let beat = run.heartbeatAt.map { ", last heard from at \($0)" } ?? ""
            lines.append(run.isStale
                ? "  its process (pid \(owner.pid) on \(owner.host)) is gone\(beat); continue it with: netrun resume \(run.id)"
                    + (storage.db == StoreOptions.defaultPath ? "" : " --db \(storage.db)")
                : "  trained by pid \(owner.pid) on \(owner.host)\(beat)")
        }
        for split in ["train", "val"] {
            let losses = metrics.filter { $0.split == split && $0.name == "loss" }.map(\.value)
            guard losses.count > 1 else { continue }
            lines.append("  \(split) loss \(RunText.sparkline(losses))  \(RunText.loss(losses.first)) → "
                         + "\(RunText.loss(losses.last)) over \(losses.count) log points")
        }
        if !run.configOverrides.isEmpty {
            lines.append("  overrides: " + run.configOverrides.split(separator: "\n").joined(separator: " "))
        }
        lines.append("")
        lines.append("# \(DisplayText.line(run.configPath)), as written")
        lines.append(DisplayText.lines(run.configText.hasSuffix("\n") ? String(run.configText.dropLast()) : run.configText))
        return lines.joined(separator: "\n")
    }
}
