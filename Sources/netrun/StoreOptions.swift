import ArgumentParser
import NetrunStore

/// `--db`, shared by the commands that record runs.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite database to record runs in; parent folders are created.")
    var db = "runs/netrun.sqlite"

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
