import ArgumentParser
import NetrunRunner
import NetrunStore

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a stopped run from its last checkpoint, exactly as if it had not stopped.")

    @Argument(help: "The run's id (see: sqlite3 runs/netrun.sqlite 'select * from run_overview').")
    var runID: Int64

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print only the outcome, not the progress table.")
    var quiet = false

    @Flag(help: "Continue even if a data file changed since the run read it (its checkpoint must still fit the data).")
    var allowChangedData = false

    func run() throws {
        let store = try storage.open()
        let prepared: PreparedRun, point: ResumePoint
        do {
            (prepared, point) = try TrainingRun.prepareResume(runID: runID, store: store, allowChangedData: allowChangedData)
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitStatus.database
        } catch {
            printError("\(error)")
            throw ExitStatus.badInput
        }
        let console = RunConsole(prepared: prepared, db: storage.db, quiet: quiet)
        let signals = StopSignals.install()
        let report: RunReport
        do {
            report = try TrainingRun.run(prepared, store: store, resume: point, shouldStop: { signals.requested },
                                         started: { console.started(runID: $0, resumingAt: point.checkpoint.progress.step) },
                                         stepped: console.stepped, logged: console.logged)
        } catch {
            printError("\(error)")
            throw ExitStatus.database
        }
        try console.finish(report, signals: signals)
    }
}
