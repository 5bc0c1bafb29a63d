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

    @OptionGroup var storage: StoreOptions

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
        let store = try storage.open()

        let table = ProgressTable(hasValidation: prepared.data.validation != nil, hasTest: prepared.data.test != nil,
                                  hasAccuracy: prepared.data.train.kind != .real)
        let clock = ContinuousClock(), start = clock.now
        let report: RunReport
        do {
            report = try TrainingRun.run(prepared, store: store, started: { runID in
                guard !quiet else { return }
                print("netrun \(prepared.config.name): \(prepared.modelSummary)")
                let data = prepared.data
                let parts = ["\(data.train.count) training"] + (data.validation.map { ["\($0.count) validation"] } ?? [])
                    + (data.test.map { ["\($0.count) test"] } ?? [])
                print("  samples: " + parts.joined(separator: ", ") + "; run \(runID) in \(storage.db)")
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
