import GRDB

/// A halving sweep's promotion from one rung to the next.
public struct RungPromotion: Sendable, Equatable {
    /// The epochs of the rung the trials completed.
    public var rung: Int
    /// Those that continue, best first; those stopped for good, in trial order.
    public var continuing: [Int]
    public var pruned: [Int]
}

extension RunStore {
    /// Successive halving's step between rungs: when every trial of the sweep is done and some
    /// wait at a rung below the last (done, scored, their run stopped there), the best `keep` of
    /// them (by score, `maximize` or not; the earlier trial among equals) are set pending to
    /// continue, and the rest are marked pruned at that rung and lose their checkpoints. Nil when
    /// there is nothing to promote (a trial is still to run, or the sweep is complete). In one
    /// transaction, so a crash leaves the rung either promoted or not.
    public func promoteTrials(sweepID: Int64, maximize: Bool, keep: (_ rung: Int) -> Int) throws -> RungPromotion? {
        try write("promote the trials of sweep \(sweepID)") { db in
            let open = try Int.fetchOne(db, sql: """
                SELECT (SELECT trial_count FROM sweeps WHERE id = ?) - count(*) + coalesce(sum(status != 'done'), 0)
                FROM trials WHERE sweep_id = ?
                """, arguments: [sweepID, sweepID]) ?? 1
            guard open == 0 else { return nil }
            let waiting = try Row.fetchAll(db, sql: """
                SELECT t.trial, t.rung FROM trials t JOIN runs r ON r.id = t.run_id
                WHERE t.sweep_id = ? AND t.status = 'done' AND t.pruned = 0 AND t.rung IS NOT NULL
                    AND t.score IS NOT NULL AND r.status = 'interrupted'
                ORDER BY t.rung, CASE WHEN ? THEN -t.score ELSE t.score END, t.trial
                """, arguments: [sweepID, maximize])
            guard let rung: Int = waiting.first?["rung"] else { return nil }
            let ranked: [Int] = waiting.filter { $0["rung"] == rung }.map { $0["trial"] }
            let continuing = Array(ranked.prefix(keep(rung)))
            let pruned = ranked.dropFirst(continuing.count).sorted()
            for trial in continuing {
                try db.execute(sql: "UPDATE trials SET status = 'pending' WHERE sweep_id = ? AND trial = ?", arguments: [sweepID, trial])
            }
            for trial in pruned {
                try db.execute(sql: "UPDATE trials SET pruned = 1 WHERE sweep_id = ? AND trial = ?", arguments: [sweepID, trial])
                try db.execute(sql: """
                    DELETE FROM checkpoints WHERE run_id = (SELECT run_id FROM trials WHERE sweep_id = ? AND trial = ?)
                    """, arguments: [sweepID, trial])
                try db.execute(sql: """
                    UPDATE runs SET message = ? WHERE id = (SELECT run_id FROM trials WHERE sweep_id = ? AND trial = ?)
                    """, arguments: ["pruned by successive halving after \(rung) epochs", sweepID, trial])
            }
            return RungPromotion(rung: rung, continuing: continuing, pruned: pruned)
        }
    }
}
