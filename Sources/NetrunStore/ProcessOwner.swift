import Foundation

/// Which process owns a running run or a claimed sweep trial, and whether it is still alive.
///
/// A run or trial records its owner's pid and host name; another netrun on the same host can then
/// tell a live owner from one that was killed (`kill -9`, power loss) and left its rows `running`.
public struct ProcessOwner: Sendable, Equatable {
    public var pid: Int32
    public var host: String

    public init(pid: Int32, host: String) {
        self.pid = pid
        self.host = host
    }

    /// This process.
    public static let current = ProcessOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName)

    /// Whether the owner still runs: true or false on this host, nil (unknown) for another host.
    public var isAlive: Bool? {
        guard host == ProcessOwner.current.host else { return nil }
        if pid == ProcessOwner.current.pid { return true }
        // Signal 0 checks for existence; EPERM means it exists but belongs to someone else.
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
