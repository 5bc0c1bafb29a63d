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

    @Argument(help: ArgumentHelp("Config values to change, key.path=value, checked like the file and recorded with the run.",
                                 valueName: "key.path=value"))
    var overrides: [String] = []

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print only the outcome, not the progress table.")
    var quiet = false

    func run() throws {
        guard let config else { throw CleanExit.helpRequest(Netrun.self) }
        let prepared: PreparedRun
        do {
            prepared = try PreparedRun(configPath: config, overrides: overrides.map(ConfigOverride.parse(argument:)),
                                       database: storage.db)
        } catch {
            throw ExitStatus.failing(error)
        }
        let store = try storage.open()

        let signals = StopSignals.install()
        let console = RunConsole(prepared: prepared, db: storage.db, quiet: quiet, signals: signals)
        let report: RunReport
        do {
            report = try TrainingRun.run(prepared, store: store, shouldStop: { signals.requested },
                                         started: { console.started(runID: $0) }, stepped: console.stepped, logged: console.logged)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        try console.finish(report, signals: signals)
    }
}
