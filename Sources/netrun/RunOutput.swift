import Foundation

/// Writes text to a file descriptor with `write(2)`, whole, never trapping: Foundation's
/// `FileHandle.write` traps on a closed pipe or a hung-up terminal.
enum StandardStream {
    /// Writes all of `text` to `descriptor`; the `errno` of a failed write, or nil.
    @discardableResult
    static func send(_ text: String, to descriptor: Int32) -> Int32? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }
}

/// A run's standard output: each line is written as it is made, so a pipe or a file
/// (`netrun … | tee log`, `nohup netrun … > log`) receives it at once, not when the process exits
/// (stdio buffers whole blocks when output is not a terminal).
///
/// When a write fails — the pipe's reader went away (EPIPE: `| head -3`), the file reached the
/// size limit (EFBIG: `ulimit -f`), the terminal hung up (EIO) — `lost` hears it once, as the
/// signal that would have killed the process (SIGXFSZ for EFBIG, else SIGPIPE), and nothing more
/// is written.
final class RunOutput {
    private let lost: (Int32) -> Void
    private(set) var isLost = false

    init(lost: @escaping (_ signal: Int32) -> Void) {
        self.lost = lost
    }

    func line(_ text: String) { write(text + "\n") }

    /// The closing line, after training: if it cannot be written, there is nothing left to stop.
    func lastLine(_ text: String) {
        guard !isLost else { return }
        StandardStream.send(text + "\n", to: STDOUT_FILENO)
    }

    func write(_ text: String) {
        guard !isLost, let error = StandardStream.send(text, to: STDOUT_FILENO) else { return }
        isLost = true
        lost(error == EFBIG ? SIGXFSZ : SIGPIPE)
    }
}
