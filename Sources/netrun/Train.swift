import ArgumentParser
import Foundation
import NetrunConfig
import NetrunCore
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

    @OptionGroup var labels: TagOptions

    func run() throws {
        guard let config else {
            printError("train needs a config: netrun train CONFIG [key.path=value …] (netrun train --help)")
            throw ExitStatus.usage
        }
        if let hint = CommandTypo.misplaced(config: config, commands: CommandTypo.commands) {
            printError(hint)
            throw ExitStatus.usage
        }
        let prepared: Config
        do {
            prepared = try ConfigLoader.load(path: config, overrides: overrides.map(ConfigOverride.parse(argument:)))
        } catch {
            throw ExitStatus.failing(error)
        }
        switch prepared.training.dtype {
        case .float32: try train(prepared, as: Float.self)
        case .float64: try train(prepared, as: Double.self)
        }
    }

    /// Prepares and trains `config` in `Scalar`, its dtype.
    private func train<Scalar: NetScalar>(_ config: Config, as: Scalar.Type) throws {
        let prepared: PreparedRun<Scalar>
        do {
            prepared = try PreparedRun(config: config, database: storage.db)
        } catch {
            throw ExitStatus.failing(error)
        }
        let store = try storage.open()

        let signals = StopSignals.install()
        let console = RunConsole(prepared: prepared, db: storage.db, quiet: quiet, signals: signals)
        let report: RunReport
        // Tagged as soon as the run has its id, so a run that fails or is killed keeps its labels
        // and `netrun runs --tag` finds it while it trains.
        var tagged: Result<Void, Error> = .success(())
        do {
            report = try TrainingRun.run(prepared, store: store, shouldStop: { signals.requested },
                                         started: { runID in
                                             tagged = Result { try labels.apply(to: [runID], in: store) }
                                             console.started(runID: runID)
                                         },
                                         stepped: console.stepped, logged: console.logged)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        try tagged.get()
        try console.finish(report, signals: signals)
    }
}
