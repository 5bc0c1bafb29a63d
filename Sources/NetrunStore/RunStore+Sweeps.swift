import GRDB

extension RunStore {
    /// Opens the newest sweep with the same name, config text and shard (a whole sweep also opens
    /// one merged from shards, to run the trials they left), or records a new one with
    /// the trials `listing` gives (the first of the grid; the rest are added as they are claimed).
    /// Resuming marks it running again; its finished trials keep their runs. A shard's sweep lists
    /// and counts the whole grid, so a merge of the shards can tell which trials are missing.
    public func openSweep(_ sweep: NewSweep, trialCount: Int, listing: () throws -> [TrialSpec]) throws -> OpenedSweep {
        // The same file with other overrides is another sweep; without overrides the hash is the
        // text's alone, as before overrides existed.
        let hash = SHA256.hex(sweep.configOverrides.isEmpty ? sweep.configText
                                                            : sweep.configText + "\n# overrides\n" + sweep.configOverrides)
        return try write("open sweep \(sweep.name)") { db in
            let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM sweeps WHERE config_hash = ? AND name = ? AND shard_index IS ? AND (? IS NULL OR shard_count = ?)
                ORDER BY id DESC LIMIT 1
                """, arguments: [hash, sweep.name, sweep.shard?.index, sweep.shard?.count, sweep.shard?.count])
            let id: Int64
            if let existing {
                id = existing
                try db.execute(sql: "UPDATE sweeps SET status = 'running', ended_at = NULL, trial_count = ? WHERE id = ?",
                               arguments: [trialCount, id])
                // This process has claimed nothing yet: a claim in its name is an earlier process's
                // that died and whose pid came round again.
                try db.execute(sql: """
                    UPDATE trials SET claim_pid = NULL WHERE sweep_id = ? AND status = 'running' AND claim_pid = ? AND claim_host = ?
                    """, arguments: [id, ProcessOwner.current.pid, ProcessOwner.current.host])
                // The runs table has the last word: a trial whose run was deleted or marked failed
                // since is to be run again.
                try db.execute(sql: """
                    UPDATE trials SET status = 'pending', score = NULL WHERE sweep_id = ? AND status = 'done'
                        AND (run_id IS NULL OR run_id NOT IN (SELECT id FROM runs WHERE status IN ('finished', 'diverged')
                                                                  OR (status = 'interrupted' AND trials.rung IS NOT NULL)))
                    """, arguments: [id])
            } else {
                try db.execute(sql: """
                    INSERT INTO sweeps (name, config_path, config_text, config_overrides, config_hash, seed, metric,
                                        maximize, netrun_version, trial_count, shard_index, shard_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [sweep.name, sweep.configPath, sweep.configText, sweep.configOverrides, hash,
                                     Int64(bitPattern: sweep.seed), sweep.metric, sweep.maximize, sweep.netrunVersion,
                                     trialCount, sweep.shard?.index, sweep.shard?.count])
                id = db.lastInsertedRowID
                for spec in try listing() { try Self.insertTrial(db, sweepID: id, spec, status: .pending) }
            }
            return OpenedSweep(id: id, resumed: existing != nil, trialCount: trialCount, trials: try Self.trialStates(db, sweepID: id))
        }
    }

    /// Claims the next trial to run for `owner`, in one write transaction so two processes never
    /// take the same one: the first pending trial or one whose owner died holding it (same host),
    /// else the next trial of the grid not yet recorded, made from `spec`. A trial taken from a
    /// dead owner also drops any run of it that the owner began but never linked to the trial.
    /// A shard's sweep claims only the shard's trials.
    public func claimTrial(sweepID: Int64, owner: ProcessOwner = .current,
                           spec: (Int) throws -> TrialSpec) throws -> TrialClaim {
        try write("claim a trial of sweep \(sweepID)") { db in
            let shard = try Self.shard(db, sweepID: sweepID)
            let mine = Self.trialFilter(shard)
            let running = try Self.trialStates(db, sweepID: sweepID, where: "t.status = 'running' AND \(mine)")
            let stale = running.first { state in state.owner.map { $0.isAlive == false } ?? true }
            let pending = try Self.trialStates(db, sweepID: sweepID, where: "t.status = 'pending' AND \(mine)", limit: 1).first
            var claimed: (state: TrialState, stale: Bool)?
            if let stale, pending.map({ stale.trial < $0.trial }) ?? true {
                if let claimedAt = try String.fetchOne(db, sql: "SELECT claimed_at FROM trials WHERE sweep_id = ? AND trial = ?",
                                                       arguments: [sweepID, stale.trial]) {
                    try db.execute(sql: """
                        DELETE FROM runs WHERE status = 'running' AND started_at >= ?
                            AND name = (SELECT name || '#' || ? FROM sweeps WHERE id = ?)
                            AND id NOT IN (SELECT run_id FROM trials WHERE run_id IS NOT NULL)
                        """, arguments: [claimedAt, stale.trial, sweepID])
                }
                claimed = (stale, true)
            } else if let pending {
                claimed = (pending, false)
            } else {
                // Trials are recorded in grid order, so the next is the one after the last recorded.
                let step = shard?.count ?? 1
                let next = try Int.fetchOne(db, sql: """
                    SELECT coalesce(max(trial) + ?, ?) FROM trials t WHERE sweep_id = ? AND \(mine)
                    """, arguments: [step, shard?.index ?? 0, sweepID]) ?? 0
                let count = try Int.fetchOne(db, sql: "SELECT trial_count FROM sweeps WHERE id = ?", arguments: [sweepID]) ?? 0
                if next < count {
                    let spec = try spec(next)
                    try Self.insertTrial(db, sweepID: sweepID, spec, status: .pending)
                    claimed = (TrialState(trial: next, runID: nil, runStatus: nil, score: nil), false)
                }
            }
            guard let claimed else {
                // Only another live process on this host is worth waiting for: it may still die
                // and leave its trial to us. One on another host cannot be checked.
                let others = running.filter { $0.owner != owner && $0.owner?.isAlive == true }
                return others.isEmpty ? .none : .wait
            }
            try db.execute(sql: """
                UPDATE trials SET status = 'running', claim_pid = ?, claim_host = ?, claim_started = ?,
                                  claimed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE sweep_id = ? AND trial = ?
                """, arguments: [owner.pid, owner.host, owner.started, sweepID, claimed.state.trial])
            return .claimed(claimed.state, stale: claimed.stale)
        }
    }

    /// Links a trial to the run that attempts it.
    public func attachRun(sweepID: Int64, trial: Int, runID: Int64) throws {
        try write("link run \(runID) to sweep \(sweepID)") { db in
            try db.execute(sql: "UPDATE trials SET run_id = ?, score = NULL WHERE sweep_id = ? AND trial = ?",
                           arguments: [runID, sweepID, trial])
        }
    }

    /// Releases a claimed trial with its value of the sweep's metric (nil for a diverged or
    /// unmeasured trial): `done` when its run finished or diverged, else pending again, for the
    /// next `netrun sweep` (or another process) to continue. `rung`, in a halving sweep, is the
    /// rung (epochs) it completed: done there until `promoteTrials` continues or prunes it.
    public func finishTrial(sweepID: Int64, trial: Int, score: Double?, done: Bool, rung: Int? = nil) throws {
        try write("record the score of trial \(trial) of sweep \(sweepID)") { db in
            let stored: Double? = score.flatMap { $0.isFinite ? $0 : nil }
            try db.execute(sql: "UPDATE trials SET score = ?, status = ?, rung = coalesce(?, rung) WHERE sweep_id = ? AND trial = ?",
                           arguments: [stored, done ? "done" : "pending", rung, sweepID, trial])
        }
    }

    /// Whether run `runID` logged its step-0 metrics: then it can start again from step 0 in the
    /// same row, with the same record a fresh run would make.
    public func loggedStepZero(runID: Int64) throws -> Bool {
        try read("read metrics of run \(runID)") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM metrics WHERE run_id = ? AND step = 0)",
                              arguments: [runID]) ?? false
        }
    }

    /// Deletes a run that recorded nothing but its start (killed before its first metrics).
    public func deleteRun(runID: Int64) throws {
        try write("delete run \(runID)") { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [runID])
        }
    }

    /// Every recorded trial of a sweep, in grid order.
    public func trialStates(sweepID: Int64) throws -> [TrialState] {
        try read("read the trials of sweep \(sweepID)") { db in try Self.trialStates(db, sweepID: sweepID) }
    }

    /// Names the sweep's best trial by the stored scores of all its trials, whoever ran them, and
    /// marks the sweep: `finished` when every trial is done (then only the best keeps its
    /// checkpoint), `running` while another live process still works on it, else `interrupted`
    /// (or `failed` when asked). A shard's sweep counts the shard's trials only.
    public func closeSweep(sweepID: Int64, failed: Bool = false) throws -> SweepStanding {
        try write("finish sweep \(sweepID)") { db in
            let best = try Self.bestTrial(db, sweepID: sweepID)
            let shard = try Self.shard(db, sweepID: sweepID)
            let mine = Self.trialFilter(shard)
            let done = try Int.fetchOne(db, sql: "SELECT count(*) FROM trials t WHERE sweep_id = ? AND status = 'done' AND \(mine)",
                                        arguments: [sweepID]) ?? 0
            let grid = try Int.fetchOne(db, sql: "SELECT trial_count FROM sweeps WHERE id = ?", arguments: [sweepID]) ?? 0
            let count = shard.map { $0.trials(of: grid) } ?? grid
            // Another process that is alive, or on another host (it cannot be checked), still works on it.
            let others = try Self.trialStates(db, sweepID: sweepID, where: "t.status = 'running' AND \(mine)").filter { state in
                state.owner.map { $0 != .current && $0.isAlive != false } ?? false
            }
            let status = failed ? "failed" : done == count ? "finished" : others.isEmpty ? "interrupted" : "running"
            try db.execute(sql: """
                UPDATE sweeps SET status = ?, best_trial = ?,
                    ended_at = CASE WHEN ? = 'running' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
                WHERE id = ?
                """, arguments: [status, best, status, sweepID])
            if status == "finished" {
                // Every finished trial keeps its final weights; only the winner keeps a checkpoint.
                // A halving trial stopped at a rung (its run interrupted) keeps its own: a shard
                // runs the first rung only, and the merged sweep continues from them.
                try db.execute(sql: """
                    DELETE FROM checkpoints WHERE run_id IN
                        (SELECT run_id FROM trials WHERE sweep_id = ? AND run_id IS NOT NULL AND trial IS NOT ?)
                        AND run_id IN (SELECT id FROM runs WHERE status IN ('finished', 'diverged'))
                    """, arguments: [sweepID, best])
            }
            return SweepStanding(best: best, status: status, unfinished: count - done)
        }
    }

    /// The sweep's best trial by its stored scores: the highest (or lowest) score, the earliest
    /// trial among equals. A merge of shards picks its best by the same rule. In a halving sweep
    /// only trials that completed their training count, not those pruned or waiting at a rung.
    static func bestTrial(_ db: Database, sweepID: Int64) throws -> Int? {
        try Int.fetchOne(db, sql: """
            SELECT t.trial FROM trials t JOIN sweeps s ON s.id = t.sweep_id
            WHERE t.sweep_id = ? AND t.score IS NOT NULL
                AND (t.rung IS NULL OR (t.pruned = 0 AND t.run_id IN (SELECT id FROM runs WHERE status = 'finished')))
            ORDER BY CASE WHEN s.maximize THEN -t.score ELSE t.score END, t.trial LIMIT 1
            """, arguments: [sweepID])
    }

    /// The shard a sweep row runs, nil for a whole sweep (or one merged from shards).
    static func shard(_ db: Database, sweepID: Int64) throws -> SweepShard? {
        guard let row = try Row.fetchOne(db, sql: "SELECT shard_index, shard_count FROM sweeps WHERE id = ?", arguments: [sweepID]),
              let index: Int = row["shard_index"], let count: Int = row["shard_count"],
              count >= 1, (0..<count).contains(index) else { return nil }
        return SweepShard(index: index, count: count)
    }

    /// An SQL condition on trials `t` that holds for the shard's trials (all, for a whole sweep).
    private static func trialFilter(_ shard: SweepShard?) -> String {
        shard.map { "t.trial % \($0.count) = \($0.index)" } ?? "1"
    }

    private static func insertTrial(_ db: Database, sweepID: Int64, _ spec: TrialSpec, status: TrialClaimStatus) throws {
        // Same text, same grid: a resumed sweep's trials are already there.
        try db.execute(sql: """
            INSERT OR IGNORE INTO trials (sweep_id, trial, assignment, learning_rate, reg, status) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [sweepID, spec.trial, spec.assignment, spec.learningRate, spec.reg, status.rawValue])
        for param in spec.params {
            try db.execute(sql: """
                INSERT OR IGNORE INTO trial_params (sweep_id, trial, path, value, text) VALUES (?, ?, ?, ?, ?)
                """, arguments: [sweepID, spec.trial, param.path, param.value, param.text])
        }
    }

    private static func trialStates(_ db: Database, sweepID: Int64, where condition: String = "1",
                                    limit: Int? = nil) throws -> [TrialState] {
        try Row.fetchAll(db, sql: """
            SELECT t.trial, t.run_id, r.status AS run_status, t.score, t.learning_rate, t.reg, t.status,
                   t.claim_pid, t.claim_host, t.claim_started, t.rung, t.pruned
            FROM trials t LEFT JOIN runs r ON r.id = t.run_id
            WHERE t.sweep_id = ? AND \(condition) ORDER BY t.trial \(limit.map { "LIMIT \($0)" } ?? "")
            """, arguments: [sweepID]).map { row in
            var state = TrialState(trial: row["trial"], runID: row["run_id"],
                                   runStatus: (row["run_status"] as String?).flatMap(RunStatus.init(rawValue:)),
                                   score: row["score"])
            state.learningRate = row["learning_rate"]
            state.reg = row["reg"]
            state.claim = TrialClaimStatus(rawValue: row["status"]) ?? .pending
            state.rung = row["rung"]
            state.pruned = row["pruned"] ?? false
            if let pid: Int32 = row["claim_pid"], let host: String = row["claim_host"] {
                state.owner = ProcessOwner(pid: pid, host: host, started: row["claim_started"])
            }
            return state
        }
    }
}
