import NetrunRunner
import NetrunStore

/// Opens the store and rebuilds a run's trained model, mapping failures to exit statuses.
func loadStoredModel(_ runID: Int64, storage: StoreOptions) throws -> StoredModel {
    let store = try storage.openForReading()
    do {
        return try StoredModel(runID: runID, store: store)
    } catch let error as StoreError {
        printError("\(error)")
        throw ExitStatus.database
    } catch {
        printError("\(error)")
        throw ExitStatus.badInput
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
        printError("\(error)")
        throw ExitStatus.database
    }
    printError("no run \(runID) in \(storage.db); netrun runs lists them")
    throw ExitStatus.badInput
}
