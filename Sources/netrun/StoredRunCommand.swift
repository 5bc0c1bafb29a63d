import NetrunRunner
import NetrunStore

/// Opens the store and rebuilds a run's trained model, mapping failures to exit statuses.
func loadStoredModel(_ runID: Int64, storage: StoreOptions) throws -> StoredModel {
    let store = try storage.openForReading()
    do {
        return try StoredModel(runID: runID, store: store)
    } catch {
        throw ExitStatus.failing(error)
    }
}

/// A recorded run's summary and logged metrics; a missing run is bad input, a failing read a database error.
func loadRunRecord(_ runID: Int64, from store: RunStore, storage: StoreOptions) throws
    -> (summary: RunSummary, metrics: [MetricPoint]) {
    let summary: RunSummary?
    do {
        summary = try store.summary(runID: runID)
        if let summary { return (summary, try store.metrics(runID: runID)) }
    } catch {
        throw ExitStatus.failing(error, otherwise: ExitStatus.database)
    }
    printError("no run \(runID) in \(storage.db); netrun runs lists them")
    throw ExitStatus.badInput
}

/// Sweep `id` of `store`, or exit 2 naming the database and how to list its sweeps.
func loadSweep(_ id: Int64, from store: RunStore, storage: StoreOptions) throws -> SweepSummary {
    let found: SweepSummary?
    do {
        found = try store.sweep(id: id)
    } catch {
        throw ExitStatus.failing(error, otherwise: ExitStatus.database)
    }
    guard let found else {
        printError("no sweep \(id) in \(storage.db); sqlite3 \(storage.db) 'select id, name from sweeps' lists them")
        throw ExitStatus.badInput
    }
    return found
}
