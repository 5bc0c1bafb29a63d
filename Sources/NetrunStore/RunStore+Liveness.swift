import GRDB

extension RunSummary {
    /// Whether this run says `running` but its process is gone from this host: killed (`kill -9`,
    /// out of memory, a crash) before it could mark the run. `netrun resume` continues such a run.
    /// A run owned by another host, or recorded before owners were kept, is never stale: nobody
    /// here can tell.
    public var isStale: Bool { status == .running && owner?.isAlive == false }

    /// The status as `netrun runs` and `netrun show` print it: `stale` for a stale run, else the
    /// stored status. `stale` is derived, never stored; the stored statuses stay `RunStatus`.
    public var shownStatus: String { isStale ? "stale" : status.rawValue }
}

/// Another live process trains the run: it cannot be resumed until that process ends.
public struct RunInUseError: Error, CustomStringConvertible, Sendable {
    public var runID: Int64
    public var name: String
    public var owner: ProcessOwner

    public init(runID: Int64, name: String, owner: ProcessOwner) {
        self.runID = runID
        self.name = name
        self.owner = owner
    }

    public var description: String {
        let place = "pid \(owner.pid) on \(owner.host)"
        guard owner.isAlive != nil else {
            return "run \(runID) (\(name)) is running in \(place), another host; netrun cannot tell from here "
                + "whether it still runs, so it leaves it alone"
        }
        return "run \(runID) (\(name)) is being trained by \(place); wait for it to end or stop it "
            + "(kill -INT \(owner.pid)), then resume"
    }
}

extension RunStore {
    /// The process that trains (or last trained) run `runID`; nil for no such run or no recorded owner.
    public func owner(runID: Int64) throws -> ProcessOwner? {
        try summary(runID: runID)?.owner
    }

    /// Whether run `runID` says `running` but its process is gone from this host (see `RunSummary.isStale`).
    public func isStale(runID: Int64) throws -> Bool {
        try summary(runID: runID)?.isStale ?? false
    }

    /// The live process that keeps `runID` from being taken over, if any: the run is `running` and
    /// its owner is alive here, or on another host (unknown). A stale run, a stopped one, or one
    /// with no recorded owner has none.
    static func busyOwner(_ db: Database, runID: Int64) throws -> RunInUseError? {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, status, owner_pid, owner_host, owner_started FROM runs WHERE id = ?",
                                         arguments: [runID]),
              (row["status"] as String) == RunStatus.running.rawValue,
              let pid = row["owner_pid"] as Int32? else { return nil }
        let owner = ProcessOwner(pid: pid, host: row["owner_host"] ?? "", started: row["owner_started"])
        guard owner.isAlive != false else { return nil }
        return RunInUseError(runID: runID, name: row["name"], owner: owner)
    }

    /// Marks the run alive: called in the transactions of log points and checkpoints, so it costs
    /// one row update and no extra commit.
    static func beat(_ db: Database, runID: Int64) throws {
        try db.execute(sql: "UPDATE runs SET heartbeat_at = \(now) WHERE id = ?", arguments: [runID])
    }
}
