import GRDB

extension RunStore {
    /// Opens the newest sweep with the same name and config text, or records a new one with its
    /// trials. Resuming marks it running again; its finished trials keep their runs.
    public func openSweep(_ sweep: NewSweep, trials: [TrialSpec]) throws -> OpenedSweep {
        // The same file with other overrides is another sweep; without overrides the hash is the
        // text's alone, as before overrides existed.
        let hash = SHA256.hex(sweep.configOverrides.isEmpty ? sweep.configText
                                                            : sweep.configText + "\n# overrides\n" + sweep.configOverrides)
        return try write("open sweep \(sweep.name)") { db in
            let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM sweeps WHERE config_hash = ? AND name = ? ORDER BY id DESC LIMIT 1
                """, arguments: [hash, sweep.name])
            let id: Int64
            if let existing {
                id = existing
                try db.execute(sql: "UPDATE sweeps SET status = 'running', ended_at = NULL WHERE id = ?", arguments: [id])
            } else {
                try db.execute(sql: """
                    INSERT INTO sweeps (name, config_path, config_text, config_overrides, config_hash, seed, metric,
                                        maximize, netrun_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [sweep.name, sweep.configPath, sweep.configText, sweep.configOverrides, hash,
                                     Int64(bitPattern: sweep.seed), sweep.metric, sweep.maximize, sweep.netrunVersion])
                id = db.lastInsertedRowID
            }
            for spec in trials {
                // Same text, same grid: a resumed sweep's trials are already there.
                try db.execute(sql: """
                    INSERT OR IGNORE INTO trials (sweep_id, trial, assignment, learning_rate, reg) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [id, spec.trial, spec.assignment, spec.learningRate, spec.reg])
                for param in spec.params {
                    try db.execute(sql: """
                        INSERT OR IGNORE INTO trial_params (sweep_id, trial, path, value, text) VALUES (?, ?, ?, ?, ?)
                        """, arguments: [id, spec.trial, param.path, param.value, param.text])
                }
            }
            let states = try Row.fetchAll(db, sql: """
                SELECT t.trial, t.run_id, r.status, t.score FROM trials t LEFT JOIN runs r ON r.id = t.run_id
                WHERE t.sweep_id = ? ORDER BY t.trial
                """, arguments: [id]).map { row in
                TrialState(trial: row["trial"], runID: row["run_id"],
                           runStatus: (row["status"] as String?).flatMap(RunStatus.init(rawValue:)), score: row["score"])
            }
            return OpenedSweep(id: id, resumed: existing != nil, trials: states)
        }
    }

    /// Links a trial to the run that attempts it.
    public func attachRun(sweepID: Int64, trial: Int, runID: Int64) throws {
        try write("link run \(runID) to sweep \(sweepID)") { db in
            try db.execute(sql: "UPDATE trials SET run_id = ?, score = NULL WHERE sweep_id = ? AND trial = ?",
                           arguments: [runID, sweepID, trial])
        }
    }

    /// Records a trial's value of the sweep's metric (nil for a diverged or unmeasured trial).
    public func recordScore(sweepID: Int64, trial: Int, score: Double?) throws {
        try write("record the score of trial \(trial) of sweep \(sweepID)") { db in
            let stored: Double? = score.flatMap { $0.isFinite ? $0 : nil }
            try db.execute(sql: "UPDATE trials SET score = ? WHERE sweep_id = ? AND trial = ?",
                           arguments: [stored, sweepID, trial])
        }
    }

    /// Closes a sweep, naming its best trial by the stored scores; returns that trial.
    @discardableResult
    public func finishSweep(sweepID: Int64, status: String) throws -> Int? {
        try write("finish sweep \(sweepID)") { db in
            let best = try Int.fetchOne(db, sql: """
                SELECT t.trial FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                WHERE t.sweep_id = ? AND t.score IS NOT NULL
                ORDER BY CASE WHEN s.maximize THEN -t.score ELSE t.score END, t.trial LIMIT 1
                """, arguments: [sweepID])
            try db.execute(sql: """
                UPDATE sweeps SET status = ?, best_trial = ?, ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?
                """, arguments: [status, best, sweepID])
            return best
        }
    }
}
