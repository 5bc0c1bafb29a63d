import ArgumentParser
import Foundation
import NetrunRunner
import NetrunStore

/// `netrun runs`: the recorded runs, newest first.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recorded runs, newest first: status, epochs, final loss and accuracy, duration.")

    @OptionGroup var storage: StoreOptions

    @Option(help: "Only runs whose name contains this text.")
    var name: String?

    @Option(help: "Only runs with this status: running, stale (running, but its process is gone), finished, failed, diverged, interrupted or pruned (stopped at a rung by halving).")
    var status: StatusFilter?

    @Option(help: "Only the trials of this sweep.")
    var sweep: Int64?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs with this tag, KEY=VALUE or just KEY (repeatable: all of them).",
                                                         valueName: "key[=value]"))
    var tags: [String] = []

    @Option(help: "At most this many runs; 0 for all.")
    var limit = 20

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        for tag in tags where tag.isEmpty || tag.contains("=") { _ = try TagOptions.parse(tag) }
    }

    func run() throws {
        let store = try storage.openForReading()
        var runs: [ListedRun]
        do {
            // `stale` is `running` with a dead owner and `pruned` an `interrupted` run of a pruned
            // trial, told apart here, so they filter after the query.
            let derived = status?.stored == .running || status?.stored == .interrupted || !tags.isEmpty
            runs = try store.listRuns(nameContaining: name, status: status?.stored,
                                      sweepID: sweep, limit: limit == 0 || derived ? nil : limit)
            if derived {
                var tagged: Set<Int64>? = nil
                for tag in tags {
                    let (key, value) = tag.contains("=") ? try TagOptions.parse(tag) : (tag, nil)
                    let ids = try store.runIDs(taggedWith: key, value: value)
                    tagged = tagged.map { $0.intersection(ids) } ?? ids
                }
                runs = Array(runs.filter { (status == nil || $0.shownStatus == status?.name) && tagged?.contains($0.summary.id) != false }
                    .prefix(limit == 0 ? .max : limit))
            }
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        // With --sweep, each swept key gets a column: a random sweep's drawn values are its trials' names.
        let swept: SweepSummary?
        do {
            swept = try sweep.flatMap { try store.sweep(id: $0) }
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        let paths = swept?.keyPaths ?? []
        let params = Dictionary(swept?.trials.map { ($0.trial, $0.params) } ?? [], uniquingKeysWith: { first, _ in first })
        func param(_ path: String, _ listed: ListedRun) -> SweptParam? {
            listed.trial.flatMap { params[$0] }?.first { $0.path == path }
        }
        // The recorded settings that differ between the listed runs; a sweep's trials differ by its swept keys, shown above.
        var settings: [Int64: [Hyperparameter]]
        do {
            settings = try store.hyperparameters(runIDs: runs.map(\.summary.id))
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        _ = Hyperparameters.fillUnrecorded(&settings, runs: runs.map(\.summary))
        let listedSettings = HyperparameterTable(settings, runIDs: runs.map(\.summary.id))
        let differing = swept == nil ? listedSettings.differingKeys : []
        if json {
            print(RunText.json(runs.map { listed -> [String: Any] in
                var object = RunText.jsonObject(listed.summary)
                object["status"] = listed.shownStatus
                object["sweep_id"] = listed.sweepID ?? NSNull()
                object["trial"] = listed.trial ?? NSNull()
                if swept != nil {
                    object["params"] = Dictionary(uniqueKeysWithValues: paths.compactMap { path in
                        param(path, listed).map { (path, $0.value.flatMap { $0.isFinite ? $0 as Any : nil } ?? $0.text) }
                    })
                }
                object["hyperparameters"] = HyperparameterTable.jsonObject(settings[listed.summary.id] ?? [])
                return object
            }))
            return
        }
        guard !runs.isEmpty else {
            print("no runs in \(storage.db)" + (name != nil || status != nil || sweep != nil || !tags.isEmpty ? " match" : ""))
            return
        }
        let rows = runs.map { listed -> [String] in
            let run = listed.summary
            return [String(run.id), DisplayText.line(run.name), listed.shownStatus, String(run.epochs), RunText.loss(run.trainLoss),
                    RunText.percent(run.trainAccuracy), RunText.percent(run.validationAccuracy),
                    RunText.duration(RunText.seconds(from: run.startedAt, to: run.endedAt)),
                    listed.sweepID.map { "\($0)/\(listed.trial ?? 0)" } ?? ""]
                + paths.map { param($0, listed).map { DisplayText.line($0.text) } ?? "" }
                + differing.map { DisplayText.line(listedSettings.text(run.id, $0) ?? "") }
        }
        print(RunText.table(["id", "name", "status", "epochs", "train loss", "train acc", "val acc", "time", "sweep/trial"]
                                + paths + differing, rows, rightAligned: [0, 3, 4, 5, 6, 7]))
    }
}
