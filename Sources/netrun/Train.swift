import ArgumentParser
import Foundation
import NetrunConfig
import NetrunRunner
import NetrunStore

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the network a config describes and record the run (the default command).")

    @Argument(help: "The YAML config, e.g. configs/xor-softmax.yaml.")
    var config: String?

    @Option(help: "The SQLite database to record the run in; parent folders are created.")
    var db = "runs/netrun.sqlite"

    @Flag(help: "Print only the outcome, not the progress table.")
    var quiet = false

    func run() throws {
        guard let config else { throw CleanExit.helpRequest(Netrun.self) }
        let prepared: PreparedRun
        do {
            prepared = try PreparedRun(configPath: config)
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
        let store: RunStore
        do {
            store = try RunStore(path: db)
        } catch {
            printError("\(error)")
            throw ExitStatus.database
        }

        let table = ProgressTable(hasTest: prepared.data.test != nil,
                                  hasAccuracy: prepared.data.train.kind != .real)
        let clock = ContinuousClock(), start = clock.now
        let report: RunReport
        do {
            report = try TrainingRun.run(prepared, store: store, started: { runID in
                guard !quiet else { return }
                print("netrun \(prepared.config.name): \(prepared.modelSummary)")
                let test = prepared.data.test.map { "\($0.count) test samples" } ?? "no test set"
                print("  \(prepared.data.train.count) training samples, \(test); run \(runID) in \(db)")
                print(table.header)
            }, logged: { point in
                if !quiet { print(table.row(point)) }
            })
        } catch {
            printError("\(error)")
            throw ExitStatus.database
        }

        let seconds = (clock.now - start) / .seconds(1)
        let summary = report.result.final.map(table.summary) ?? ""
        switch report.status {
        case .finished:
            print("finished: \(summary) (run \(report.runID), \(report.result.steps) steps, "
                  + String(format: "%.2f s)", seconds))
        default:
            printError("run \(report.runID) \(report.status.rawValue): \(report.message ?? "")")
            throw ExitStatus.trainingFailed
        }
    }
}
