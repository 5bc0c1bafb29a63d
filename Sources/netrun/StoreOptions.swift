import Foundation
import ArgumentParser
import NetrunRunner
import NetrunStore

/// `--db`, shared by the commands that record runs and those that read them.
struct StoreOptions: ParsableArguments {
    /// `NETRUN_DB` when set and not empty, else runs/netrun.sqlite: the database every command uses without `--db`.
    static let defaultPath = databasePath(in: ProcessInfo.processInfo.environment)

    static func databasePath(in environment: [String: String]) -> String {
        guard let path = environment["NETRUN_DB"], !path.isEmpty else { return "runs/netrun.sqlite" }
        return path
    }

    @Option(help: "The SQLite database file runs are recorded in; NETRUN_DB sets the default. Commands that record runs create it and its folders, the others only read an existing one.")
    var db = StoreOptions.defaultPath

    /// Opens the database for writing, creating and migrating it; on failure prints and exits with the database status.
    func open() throws -> RunStore {
        try opening { try RunStore(path: db) }
    }

    /// Opens the database read-only, for commands that only read: nothing is created or migrated.
    func openForReading() throws -> RunStore {
        try opening {
            do {
                return try RunStore(readingAt: db)
            } catch is OlderSchemaError where FileManager.default.isWritableFile(atPath: db) {
                // A database from before this netrun's migrations: upgrade it once, as a command that
                // records runs would, rather than refuse to list what it holds.
                _ = try RunStore(path: db)
                return try RunStore(readingAt: db)
            }
        }
    }

    private func opening(_ body: () throws -> RunStore) throws -> RunStore {
        do {
            return try body()
        } catch let error as NewerSchemaError {
            printError("\(error) (this is netrun \(NetrunVersion.current))")
            throw ExitStatus.database
        } catch {
            printError("\(error)")
            throw ExitStatus.database
        }
    }
}
