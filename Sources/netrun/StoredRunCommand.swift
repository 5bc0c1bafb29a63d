import NetrunRunner
import NetrunStore

/// Opens the store and rebuilds a run's trained model, mapping failures to exit statuses.
func loadStoredModel(_ runID: Int64, storage: StoreOptions) throws -> StoredModel {
    let store = try storage.open()
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
