import Foundation

/// Which process owns a running run or a claimed sweep trial, and whether it is still alive.
///
/// A run or trial records its owner's pid, host name and start; another netrun on the same host
/// can then tell a live owner from one that was killed (`kill -9`, power loss) and left its rows
/// `running` — also when the dead owner's pid has since been given to another process.
public struct ProcessOwner: Sendable, Equatable {
    public var pid: Int32
    public var host: String
    /// When the process started, as `boot id/start time in clock ticks after boot` (Linux's
    /// /proc): with the pid, one process ever on this host. Nil where the system does not say, and
    /// for rows recorded before netrun kept it; the pid alone decides then.
    public var started: String?

    public init(pid: Int32, host: String, started: String? = nil) {
        self.pid = pid
        self.host = host
        self.started = started
    }

    /// This process.
    public static let current = ProcessOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName,
                                             started: startIdentity(of: getpid()))

    /// Whether the owner still runs: true or false on this host, nil (unknown) for another host.
    /// A pid that now belongs to a process started at another time is not the owner's.
    public var isAlive: Bool? {
        guard host == ProcessOwner.current.host else { return nil }
        if let started, let now = Self.startIdentity(of: pid) { return now == started }
        if pid == ProcessOwner.current.pid { return started == nil || started == ProcessOwner.current.started }
        // Signal 0 checks for existence; EPERM means it exists but belongs to someone else.
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The start of process `pid` (see `started`), or nil: no such process, or no /proc.
    public static func startIdentity(of pid: Int32) -> String? {
        #if os(Linux)
        guard let boot = bootID, let stat = procFile("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces and parentheses): state is field 3,
        // starttime field 22, so the 20th from here.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[19].allSatisfy(\.isNumber) else { return nil }
        return "\(boot)/\(fields[19])"
        #else
        return nil
        #endif
    }

    #if os(Linux)
    private static let bootID = procFile("/proc/sys/kernel/random/boot_id")?
        .trimmingCharacters(in: .whitespacesAndNewlines)

    /// A /proc file's text (its size reads as 0, so it is read to the end, not by its size).
    private static func procFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #endif
}
