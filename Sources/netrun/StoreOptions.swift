import ArgumentParser
import NetrunStore

/// `--db`, shared by the commands that record runs.
struct StoreOptions: ParsableArguments {
    static let defaultPath = "runs/netrun.sqlite"

    @Option(help: "The SQLite database runs are recorded in; parent folders are created.")
    var db = StoreOptions.defaultPath

    /// Opens the database, printing the error and exiting with the database status on failure.
    func open() throws -> RunStore {
        do {
            return try RunStore(path: db)
        } catch {
            printError("\(error)")
            throw ExitStatus.database
        }
    }
}
