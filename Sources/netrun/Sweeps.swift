import ArgumentParser
import Foundation
import NetrunConfig
import NetrunStore

/// `netrun sweeps`: the recorded sweeps, newest first.
struct Sweeps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recorded sweeps, newest first: strategy, trials done of all, the best trial and its score.")

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    func run() throws {
        let store = try storage.openForReading()
        let sweeps: [ListedSweep]
        do {
            sweeps = try store.listSweeps()
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        if json {
            print(RunText.json(sweeps.map { sweep -> [String: Any] in
                [
                    "id": sweep.id, "name": sweep.name, "status": sweep.status, "strategy": Self.strategy(sweep),
                    "metric": sweep.metric, "maximize": sweep.maximize,
                    "trials_done": sweep.trialsDone, "trials": sweep.trialCount,
                    "best_trial": sweep.bestTrial ?? NSNull(),
                    "best_score": sweep.bestScore.flatMap { $0.isFinite ? $0 : nil } ?? NSNull(),
                ]
            }))
            return
        }
        guard !sweeps.isEmpty else {
            print("no sweeps in \(storage.db)")
            return
        }
        let rows = sweeps.map { sweep -> [String] in
            [String(sweep.id), DisplayText.line(sweep.name), Self.strategy(sweep), sweep.status,
             "\(sweep.trialsDone)/\(sweep.trialCount)", sweep.bestTrial.map(String.init) ?? "-",
             sweep.bestScore.map { Self.score($0, metric: sweep.metric) } ?? "-", sweep.metric]
        }
        print(RunText.table(["id", "name", "strategy", "status", "trials", "best", "score", "metric"], rows,
                            rightAligned: [0, 4, 5, 6]))
    }

    /// `grid`, `random` or `halving`, from the sweep's recorded config (and its trials' rungs).
    static func strategy(_ sweep: ListedSweep) -> String {
        let config = try? ConfigLoader.decode(
            text: sweep.configText, path: sweep.configPath,
            overrides: ConfigOverride.parse(text: sweep.configOverrides, source: "overrides of sweep \(sweep.id)"))
        if sweep.halving || config?.sweep?.halving != nil { return "halving" }
        if config?.sweep?.random != nil { return "random" }
        return "grid"
    }

    /// Accuracies as percentages, losses and other metrics as numbers.
    static func score(_ value: Double, metric: String) -> String {
        metric.hasSuffix("accuracy") ? RunText.percent(value) : RunText.loss(value)
    }
}
