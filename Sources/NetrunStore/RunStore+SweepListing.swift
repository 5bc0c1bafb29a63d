import GRDB

/// A sweep as `netrun sweeps` lists it.
public struct ListedSweep: Sendable {
    public var id: Int64
    public var name: String
    public var status: String
    /// e.g. `val_accuracy`, and whether higher is better.
    public var metric: String
    public var maximize: Bool
    /// Trials finished (done or pruned) and in the whole grid (the rows so far when unrecorded).
    public var trialsDone: Int
    public var trialCount: Int
    /// The best trial so far and its score, when one has a score.
    public var bestTrial: Int?
    public var bestScore: Double?
    /// Whether any trial stopped at a successive-halving rung.
    public var halving: Bool
    /// The sweep's config as it ran, to tell its strategy.
    public var configPath: String
    public var configText: String
    public var configOverrides: String
}

extension RunStore {
    /// Every recorded sweep, newest first, with its trial counts and best trial so far.
    public func listSweeps() throws -> [ListedSweep] {
        try read("list sweeps") { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, s.name, s.status, s.metric, s.maximize, s.config_path, s.config_text, s.config_overrides,
                       (SELECT count(*) FROM trials t WHERE t.sweep_id = s.id AND (t.status = 'done' OR t.pruned)) AS done,
                       max(coalesce(s.trial_count, 0), (SELECT count(*) FROM trials t WHERE t.sweep_id = s.id)) AS total,
                       (SELECT count(*) FROM trials t WHERE t.sweep_id = s.id AND t.rung IS NOT NULL) > 0 AS halving,
                       s.best_trial
                FROM sweeps s ORDER BY s.id DESC
                """).map { row in
                ListedSweep(id: row["id"], name: row["name"], status: row["status"], metric: row["metric"],
                            maximize: row["maximize"], trialsDone: row["done"], trialCount: row["total"],
                            bestTrial: row["best_trial"], bestScore: nil, halving: row["halving"],
                            configPath: row["config_path"], configText: row["config_text"],
                            configOverrides: row["config_overrides"] ?? "")
            }.map { sweep in
                var sweep = sweep
                // Until the sweep closes and records it, the best scored trial so far (pruned ones left out).
                sweep.bestTrial = try sweep.bestTrial ?? Int.fetchOne(db, sql: """
                    SELECT trial FROM trials WHERE sweep_id = ? AND score IS NOT NULL AND NOT pruned
                    ORDER BY \(sweep.maximize ? "-score" : "score"), trial LIMIT 1
                    """, arguments: [sweep.id])
                if let best = sweep.bestTrial {
                    sweep.bestScore = try Double.fetchOne(db, sql: "SELECT score FROM trials WHERE sweep_id = ? AND trial = ?",
                                                          arguments: [sweep.id, best])
                }
                return sweep
            }
        }
    }
}
