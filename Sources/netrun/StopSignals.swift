import Dispatch
import Foundation
import NetrunRunner

/// Turns the signals that would end a run into a polite request: training finishes its step,
/// saves a checkpoint, marks the run `interrupted`, and netrun exits 128 + the signal's number.
/// A second signal exits at once; SQLite's transactions keep the database whole either way.
///
/// - SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal closed) are caught. SIGHUP stays ignored
///   when netrun started with it ignored (`nohup`).
/// - SIGPIPE and SIGXFSZ are ignored, so writing to a closed pipe or past the file size limit
///   fails instead of killing the process. A failed write to standard output (`RunOutput`) then
///   stops the run as the signal would have (141, 153); a failed database write fails the run,
///   recording the steps it reached.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32 = 0
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening; the default handlers stay off until the process exits.
    static func install() -> StopSignals {
        let stop = StopSignals()
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(number, SIG_IGN)
            if number == SIGHUP, unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                continue  // nohup: the user asked for the run to outlive the terminal
            }
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.receive(number) }
            source.resume()
            stop.sources.append(source)
        }
        TestHook.deliver = { stop.receive($0) }
        return stop
    }

    func receive(_ number: Int32) {
        let first = lock.withLock {
            defer { if received == 0 { received = number } }
            return received == 0
        }
        guard first else { exit(128 + number) }
        let why = switch number {
        case SIGHUP: "the terminal hung up"
        case SIGPIPE: "standard output was closed"
        case SIGXFSZ: "standard output reached the file size limit"
        default: ""
        }
        StandardStream.send(why.isEmpty ? "\nnetrun: stopping after this step (again to quit at once)\n"
                                        : "netrun: \(why); stopping after this step\n", to: STDERR_FILENO)
    }

    var requested: Bool { lock.withLock { received != 0 } }

    /// 128 + the signal: 130 after SIGINT, 143 after SIGTERM, 129 SIGHUP, 141 SIGPIPE, 153 SIGXFSZ —
    /// the shell's convention for death by signal.
    var exitCode: Int32 { lock.withLock { 128 + (received == 0 ? SIGINT : received) } }
}
