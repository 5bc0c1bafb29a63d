import ArgumentParser
import Foundation
import NetrunConfig
import NetrunData
import NetrunRunner
import NetrunStore

/// netrun's exit codes, one per kind of failure, so scripts can tell them apart.
enum ExitStatus {
    /// Training diverged (NaN or infinite loss) or failed while running.
    static let trainingFailed = ExitCode(1)
    /// The config or its data is invalid; nothing was written.
    static let badInput = ExitCode(2)
    /// The database could not be opened or written.
    static let database = ExitCode(3)
    /// The command line itself is wrong: a mistyped command, a missing argument (ArgumentParser's 64).
    static let usage = ExitCode.validationFailure

    /// The one place an error becomes an exit code: bad input (a config, its data, a run that
    /// cannot be continued) is 2, the database 3, and anything else `otherwise` — what the
    /// command was doing when it failed.
    static func code(for error: Error, otherwise: ExitCode) -> ExitCode {
        switch error {
        case is ConfigError, is DataError, is RunnerError, is RunInUseError: badInput
        case is StoreError, is NewerSchemaError, is OlderSchemaError: database
        default: otherwise
        }
    }

    /// Prints `error` and gives its exit code: `catch { throw ExitStatus.failing(error) }`.
    static func failing(_ error: Error, otherwise: ExitCode = badInput) -> ExitCode {
        printError("\(error)")
        return code(for: error, otherwise: otherwise)
    }
}

/// Writes a line to standard error (Swift 6: the global `stderr` is not concurrency-safe); a
/// closed or hung-up standard error is ignored rather than trapping.
func printError(_ message: String) {
    StandardStream.send("netrun: \(message)\n", to: STDERR_FILENO)
}
