import Foundation

/// Writes `data` through a temporary file and a rename, creating folders, so a reader never sees
/// half a file; failures print and exit with the bad-input status.
func writeAtomically(_ data: Data, to path: String) throws {
    do {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch {
        printError("cannot write \(path): \(error.localizedDescription)")
        throw ExitStatus.badInput
    }
}
