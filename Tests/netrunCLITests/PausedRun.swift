import Foundation
import XCTest

/// A netrun process that stops itself (SIGSTOP) right after a chosen step through the test hook
/// (`NETRUN_TEST_STOP_AT_STEP=N:STOP`), so a test can look at what it has written by then, signal
/// it, or close its output, before letting it go on with SIGCONT. Nothing depends on timing.
final class PausedRun: @unchecked Sendable {  // `errors` is written once, before `reader` is left
    let process = Process()
    private let out = Pipe(), err = Pipe()
    private var errors = Data()
    private let reader = DispatchGroup()
    private var outputClosed = false

    init(_ arguments: [String], stopAt step: Int) throws {
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLIRunner.repository
        process.environment = ProcessInfo.processInfo.environment.merging(["NETRUN_TEST_STOP_AT_STEP": "\(step):STOP"]) { $1 }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        reader.enter()
        DispatchQueue.global().async { [self] in
            errors = err.fileHandleForReading.readDataToEndOfFile()
            reader.leave()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Blocks until the process has stopped itself at its step: true, or false when it ended instead.
    func waitUntilStopped() -> Bool {
        var info = siginfo_t()
        // WNOWAIT: look without reaping, so Process still sees the exit later.
        while waitid(P_PID, id_t(pid), &info, WSTOPPED | WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else { return false }
        }
        return Int(info.si_code) == Int(CLD_STOPPED)
    }

    /// What the process has written to standard output so far, without waiting for more.
    func outputSoFar() -> String {
        let descriptor = out.fileHandleForReading.fileDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        var data = Data(), buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }  // EAGAIN: nothing more written yet
            data.append(contentsOf: buffer[..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Closes the reading end of standard output, as `head` does when it has its lines.
    func closeOutput() {
        try? out.fileHandleForReading.close()
        outputClosed = true
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the end; the rest of standard output (unless closed) and all of standard error.
    func finish() -> CLIRunner.Result {
        let rest = outputClosed ? Data() : out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        reader.wait()
        return CLIRunner.Result(status: process.terminationStatus, stdout: String(decoding: rest, as: UTF8.self),
                                stderr: String(decoding: errors, as: UTF8.self))
    }
}
