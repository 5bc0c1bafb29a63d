import GRDB

/// A run as `netrun runs` lists it: its summary and the sweep it belongs to, if any.
public struct ListedRun: Sendable {
    public var summary: RunSummary
    public var sweepID: Int64?
    public var trial: Int?
    /// A halving sweep stopped its trial at a rung: the run is `interrupted` and stays so.
    public var pruned = false

    /// The status `netrun runs` shows: `pruned` for a pruned trial's run, else `RunSummary.shownStatus`.
    public var shownStatus: String { pruned ? "pruned" : summary.shownStatus }
}

/// One trial of a recorded sweep, for drawing the grid.
public struct SweptTrial: Sendable {
    public var trial: Int
    public var learningRate: Double
    public var reg: Double
    public var runID: Int64?
    public var status: RunStatus?
    public var score: Double?
    /// The swept keys' values for this trial, in key-path order.
    public var params: [SweptParam]
    /// `training.learning_rate=0.1, training.reg=0.001`: the swept keys in the sweep's order.
    public var assignment: String = ""
}

/// One swept key's value in one trial: `training.reg` = 0.001.
public struct SweptParam: Sendable, Equatable {
    public var path: String
    /// The value when it is a number.
    public var value: Double?
    /// The value as written in the sweep's grid.
    public var text: String

    public init(path: String, value: Double?, text: String) {
        self.path = path
        self.value = value
        self.text = text
    }
}

/// A recorded sweep with its trials in grid order.
public struct SweepSummary: Sendable {
    public var id: Int64
    public var name: String
    public var metric: String
    public var maximize: Bool
    public var status: String
    public var trials: [SweptTrial]
    /// The sweep's config as it ran: its text, and the command line's overrides as `path=value` lines.
    public var configPath: String = ""
    public var configText: String = ""
    public var configOverrides: String = ""

    /// The swept keys in the order the sweep lists them (its grid, then its random keys), as each
    /// trial's assignment names them.
    public var keyPaths: [String] {
        var paths: [String] = []
        for param in trials.flatMap(\.params) where !paths.contains(param.path) { paths.append(param.path) }
        guard let assignment = trials.first?.assignment else { return paths }
        func position(_ path: String) -> Int {
            guard let range = assignment.range(of: path + "=") else { return Int.max }
            return assignment.distance(from: assignment.startIndex, to: range.lowerBound)
        }
        return paths.sorted { position($0) < position($1) }
    }
}

extension RunStore {
    /// Runs newest first, narrowed by name (a substring), status and sweep; at most `limit` (nil: all).
    public func listRuns(nameContaining name: String? = nil, status: RunStatus? = nil, sweepID: Int64? = nil,
                         limit: Int? = nil) throws -> [ListedRun] {
        try read("list runs") { db in
            var conditions: [String] = [], arguments: StatementArguments = []
            if let name {
                conditions.append("instr(lower(r.name), lower(?)) > 0")
                _ = arguments.append(contentsOf: [name])
            }
            if let status {
                conditions.append("r.status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            if let sweepID {
                conditions.append("t.sweep_id = ?")
                _ = arguments.append(contentsOf: [sweepID])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let cap = limit.map { "LIMIT \($0)" } ?? ""
            return try Row.fetchAll(db, sql: """
                SELECT r.*, t.sweep_id AS sweep_id, t.trial AS trial_index, coalesce(t.pruned, 0) AS trial_pruned
                FROM runs r LEFT JOIN trials t ON t.run_id = r.id
                \(filter) ORDER BY r.started_at DESC, r.id DESC \(cap)
                """, arguments: arguments).map { row in
                ListedRun(summary: Self.summary(row), sweepID: row["sweep_id"], trial: row["trial_index"],
                          pruned: row["trial_pruned"])
            }
        }
    }

    /// A sweep and its trials, or nil when there is no sweep `sweepID`.
    public func sweep(id sweepID: Int64) throws -> SweepSummary? {
        try read("read sweep \(sweepID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sweeps WHERE id = ?", arguments: [sweepID]) else {
                return nil
            }
            var trials = try Row.fetchAll(db, sql: """
                SELECT t.trial, t.learning_rate, t.reg, t.run_id, t.score, t.assignment, r.status
                FROM trials t LEFT JOIN runs r ON r.id = t.run_id WHERE t.sweep_id = ? ORDER BY t.trial
                """, arguments: [sweepID]).map { trial in
                SweptTrial(trial: trial["trial"], learningRate: trial["learning_rate"], reg: trial["reg"],
                           runID: trial["run_id"], status: (trial["status"] as String?).flatMap(RunStatus.init(rawValue:)),
                           score: trial["score"], params: [], assignment: trial["assignment"])
            }
            let params = try Row.fetchAll(db, sql: """
                SELECT trial, path, value, text FROM trial_params WHERE sweep_id = ? ORDER BY trial, path
                """, arguments: [sweepID])
            var byTrial = [Int: [SweptParam]]()
            for param in params {
                byTrial[param["trial"], default: []].append(SweptParam(path: param["path"], value: param["value"],
                                                                       text: param["text"]))
            }
            trials = trials.map { trial in
                var trial = trial
                trial.params = byTrial[trial.trial] ?? []
                return trial
            }
            return SweepSummary(id: row["id"], name: row["name"], metric: row["metric"], maximize: row["maximize"],
                                status: row["status"], trials: trials, configPath: row["config_path"],
                                configText: row["config_text"], configOverrides: row["config_overrides"] ?? "")
        }
    }
}
