import ArgumentParser
import NetrunCore
import NetrunRunner
import NetrunStore

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a stopped, failed or stale run from its last checkpoint, exactly as if it had not stopped.",
        discussion: """
            A stale run (left running by a killed process) is taken over; a run its live process still \
            trains is refused. A run that stopped before its first checkpoint is trained again from step 0.
            """)

    @Argument(help: "The run's id (see: sqlite3 runs/netrun.sqlite 'select * from run_overview').")
    var runID: Int64

    @OptionGroup var storage: StoreOptions

    @Flag(help: "Print only the outcome, not the progress table.")
    var quiet = false

    @Flag(help: "Continue even if a data file changed since the run read it (its checkpoint must still fit the data).")
    var allowChangedData = false

    func run() throws {
        let store = try storage.open()
        let dtype: DType
        do {
            dtype = try TrainingRun.dtype(ofRun: runID, store: store)
        } catch {
            throw ExitStatus.failing(error)
        }
        switch dtype {
        case .float32: try resume(store, as: Float.self)
        case .float64: try resume(store, as: Double.self)
        }
    }

    /// Continues the run in `Scalar`, the dtype its config trains in.
    private func resume<Scalar: NetScalar>(_ store: RunStore, as: Scalar.Type) throws {
        let prepared: PreparedRun<Scalar>, point: ResumePoint<Scalar>
        do {
            (prepared, point) = try TrainingRun.prepareResume(runID: runID, store: store, allowChangedData: allowChangedData,
                                                              as: Scalar.self)
        } catch {
            throw ExitStatus.failing(error)
        }
        let signals = StopSignals.install()
        let console = RunConsole(prepared: prepared, db: storage.db, quiet: quiet, signals: signals)
        let report: RunReport
        do {
            report = try TrainingRun.run(prepared, store: store, resume: point, shouldStop: { signals.requested },
                                         started: { console.started(runID: $0, resumingAt: point.step) },
                                         stepped: console.stepped, logged: console.logged)
        } catch {
            throw ExitStatus.failing(error, otherwise: ExitStatus.database)
        }
        try console.finish(report, signals: signals, closed: try? store.summary(runID: report.runID))
    }
}
