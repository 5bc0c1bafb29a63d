import Dispatch
import Foundation
import NetrunRunner

/// Turns Ctrl-C (SIGINT) and SIGTERM into a polite request: training finishes its step, saves a
/// checkpoint and stops. A second signal exits at once; SQLite's transactions keep the database
/// whole either way.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32 = 0
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening; the default handlers stay off until the process exits.
    static func install() -> StopSignals {
        let stop = StopSignals()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
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
        if first {
            FileHandle.standardError.write(Data("\nnetrun: stopping after this step (again to quit at once)\n".utf8))
        } else {
            exit(128 + number)
        }
    }

    var requested: Bool { lock.withLock { received != 0 } }

    /// 130 after SIGINT, 143 after SIGTERM: the shell's convention for death by signal.
    var exitCode: Int32 { lock.withLock { 128 + (received == 0 ? SIGINT : received) } }
}
