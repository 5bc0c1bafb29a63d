import Foundation

/// A test hook that stops a run at an exact step, so interrupt and kill tests do not depend on
/// how fast the machine is.
///
/// `NETRUN_TEST_STOP_AT_STEP=N[:SIGNAL]` acts as if SIGNAL arrived right after step N of any run
/// in this process (before that step's checkpoint): `KILL` kills the process there and then;
/// `STOP` stops it there (as Ctrl-Z would) until it gets SIGCONT, so a test can look at what it
/// has written and recorded so far, or signal it at a known step; any other signal (`INT`, the
/// default, `TERM`, `HUP`, `PIPE`, `XFSZ`) is handed to `deliver`, which the command line points
/// at its own signal handling so it behaves exactly as for the real signal.
public enum TestHook {
    /// The step and signal asked for, or nil when the variable is unset (always, outside tests).
    public static let stopAt: (step: Int, signal: Int32)? = parse(ProcessInfo.processInfo.environment["NETRUN_TEST_STOP_AT_STEP"])

    /// Where a non-KILL signal goes; set once by the command line before training starts.
    nonisolated(unsafe) public static var deliver: (Int32) -> Void = { raise($0) }

    /// Called by `TrainingRun` after every step.
    static func afterStep(_ step: Int) {
        guard let stopAt, stopAt.step == step else { return }
        switch stopAt.signal {
        case SIGKILL, SIGSTOP: kill(getpid(), stopAt.signal)  // SIGSTOP returns here after SIGCONT
        default: deliver(stopAt.signal)
        }
    }

    static func parse(_ text: String?) -> (step: Int, signal: Int32)? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let step = Int(parts[0]) else { return nil }
        let names: [String: Int32] = ["INT": SIGINT, "TERM": SIGTERM, "HUP": SIGHUP, "PIPE": SIGPIPE,
                                      "KILL": SIGKILL, "XFSZ": SIGXFSZ, "STOP": SIGSTOP]
        let signal = parts.count > 1 ? names[parts[1].uppercased()] ?? SIGINT : SIGINT
        return (step, signal)
    }
}
