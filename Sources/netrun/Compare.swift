import ArgumentParser
import Foundation
import NetrunRunner
import NetrunStore

/// `netrun compare RUN RUN…`: the settings that differ between runs and their final metrics, side by side.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare recorded runs: the settings that differ (or all with --all) and the final metrics, one column per run.")

    @OptionGroup var storage: StoreOptions

    @Argument(help: "The runs' ids, as netrun runs lists them.")
    var runIDs: [Int64] = []

    @Flag(help: "Show every recorded setting, not only those that differ.")
    var all = false

    @Flag(help: "Print a JSON object instead of tables.")
    var json = false

    func validate() throws {
        guard runIDs.count >= 2 || (all && runIDs.count == 1) else {
            throw ValidationError("give at least two run ids to compare (or one with --all)")
        }
        if let id = runIDs.first(where: { $0 <= 0 }) {
            throw ValidationError("run ids are positive integers, got \(id); netrun runs lists them")
        }
    }

    func run() throws {
        let store = try storage.openForReading()
        let summaries = try runIDs.map { try loadRunRecord($0, from: store, storage: storage).summary }
        var settings: [Int64: [Hyperparameter]]
        do {
            settings = try store.hyperparameters(runIDs: runIDs)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        let recovered = Hyperparameters.fillUnrecorded(&settings, runs: summaries)
        let table = HyperparameterTable(settings, runIDs: runIDs)
        let keys = all ? table.keys : table.differingKeys
        let unrecorded = runIDs.filter { table.byRun[$0]?.isEmpty ?? true }

        if json {
            print(RunText.json([
                "runs": summaries.map { summary -> [String: Any] in
                    var object = RunText.jsonObject(summary)
                    object["hyperparameters"] = HyperparameterTable.jsonObject(
                        keys.compactMap { table.byRun[summary.id]?[$0] })
                    return object
                },
                "keys": keys,
            ] as [String: Any]))
            return
        }
        let header = ["", ] + summaries.map { "run \($0.id)" }
        let right = Set(1...summaries.count)
        print(keys.isEmpty ? "no recorded setting differs" : "settings" + (all ? "" : " that differ") + ":")
        if !keys.isEmpty {
            print(RunText.table(header, keys.map { key in [key] + runIDs.map { DisplayText.line(table.text($0, key) ?? "-") } },
                                rightAligned: right))
        }
        if !recovered.isEmpty {
            print("(settings of run " + runIDs.filter(recovered.contains).map(String.init).joined(separator: ", ")
                  + " worked out from its stored config: recorded before netrun kept them)")
        }
        if !unrecorded.isEmpty {
            print("(no settings recorded for run " + unrecorded.map(String.init).joined(separator: ", ")
                  + ": recorded before netrun kept them, and its stored config no longer reads)")
        }
        print("\nfinal metrics:")
        let metrics: [(String, (RunSummary) -> String)] = [
            ("name", { DisplayText.line($0.name) }),
            ("status", \.shownStatus),
            ("epochs", { String($0.epochs) }),
            ("steps", { String($0.steps) }),
            ("train loss", { RunText.loss($0.trainLoss) }),
            ("train accuracy", { RunText.percent($0.trainAccuracy) }),
            ("val loss", { RunText.loss($0.validationLoss) }),
            ("val accuracy", { RunText.percent($0.validationAccuracy) }),
            ("test loss", { RunText.loss($0.testLoss) }),
            ("test accuracy", { RunText.percent($0.testAccuracy) }),
            ("time", { RunText.duration(RunText.seconds(from: $0.startedAt, to: $0.endedAt)) }),
        ]
        print(RunText.table(header, metrics.map { name, value in [name] + summaries.map(value) }, rightAligned: right))
    }
}
