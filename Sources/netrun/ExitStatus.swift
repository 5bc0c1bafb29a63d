import ArgumentParser
import Foundation

/// netrun's exit codes, one per kind of failure, so scripts can tell them apart.
enum ExitStatus {
    /// Training diverged (NaN or infinite loss) or failed while running.
    static let trainingFailed = ExitCode(1)
    /// The config or its data is invalid; nothing was written.
    static let badInput = ExitCode(2)
    /// The database could not be opened or written.
    static let database = ExitCode(3)
}

/// Writes a line to standard error (Swift 6: the global `stderr` is not concurrency-safe); a
/// closed or hung-up standard error is ignored rather than trapping.
func printError(_ message: String) {
    StandardStream.send("netrun: \(message)\n", to: STDERR_FILENO)
}
