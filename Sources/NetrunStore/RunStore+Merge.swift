import Foundation
import GRDB

/// What `merge` did with one database.
public struct MergedFile: Sendable {
    public var path: String
    /// Runs copied, and runs left out because the target already had them (same uuid).
    public var runsAdded: Int
    public var runsPresent: Int
    /// Runs the target had unfinished and this database has further on: copied over the old.
    public var runsUpdated: Int
}

/// A sweep of the merged database that shards were merged into, as it stands after the merge.
public struct MergedSweep: Sendable {
    public var id: Int64
    public var name: String
    public var trialCount: Int
    public var shardCount: Int
    /// Trials done (finished or diverged) and the best of them, by the rule `closeSweep` uses.
    public var done: Int
    public var best: Int?
    /// Trials of the grid no shard has done, in grid order.
    public var missing: [Int]

    /// `trials 4, 7 of 9 are missing: shard 1/3 has not run them`, or nil when none is.
    public var missingDescription: String? {
        guard !missing.isEmpty else { return nil }
        let shown = missing.prefix(20).map(String.init).joined(separator: ", ")
            + (missing.count > 20 ? ", … (\(missing.count) in all)" : "")
        let shards = Set(missing.map { $0 % shardCount }).sorted().map { "\($0)/\(shardCount)" }
        return "trial\(missing.count == 1 ? "" : "s") \(shown) of \(trialCount) \(missing.count == 1 ? "is" : "are") missing: "
            + (shards.count == 1 ? "shard \(shards[0]) has" : "shards \(shards.joined(separator: ", ")) have")
            + " not run \(missing.count == 1 ? "it" : "them")"
    }
}

/// What `merge` did.
public struct MergeReport: Sendable {
    public var files: [MergedFile]
    public var sweeps: [MergedSweep]
}

/// Databases that cannot be merged: shards of different sweeps, or the target among the sources.
public struct MergeError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension RunStore {
    /// Copies every run and sweep of the databases at `paths` into this one, one transaction per
    /// database, renumbering run and sweep ids. A run (or whole sweep) this database already has,
    /// by uuid, is left out, so merging a database twice adds nothing. Shards of one sweep
    /// (`netrun sweep --shard I/N`) become one sweep whose trials are their union; its best trial
    /// is picked from the scores as `closeSweep` picks it, and trials no shard has done are
    /// reported, not invented. Shards of different sweeps are refused before anything is written.
    public func merge(databases paths: [String]) throws -> MergeReport {
        let target = Self.canonical(path)
        var shardsOf: [(path: String, key: ShardedSweepKey)] = []
        for path in paths {
            guard Self.canonical(path) != target else {
                throw MergeError(description: "\(path): cannot merge a database into itself; give another -o")
            }
            guard try DatabaseFile.checked(path, action: "merge the database").exists else {
                throw StoreError(path: path, action: "merge the database", reason: "there is no database at this path")
            }
            // Migrated as any database netrun opens, so both sides have the same tables and uuids.
            let source = try RunStore(path: path)
            for key in try source.read("read the sweeps", ShardedSweepKey.all) {
                if let other = shardsOf.first(where: { $0.key != key }) {
                    throw MergeError(description: "\(other.path) and \(path) hold shards of different sweeps "
                                     + "(\(other.key) and \(key)); merge each sweep's shards into its own database")
                }
                shardsOf.append((path, key))
            }
        }
        var files: [MergedFile] = []
        var touched: [Int64] = []
        for path in paths {
            let (file, sweeps) = try writeWithoutTransaction("merge \(path)") { db in
                try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [path])
                defer { try? db.execute(sql: "DETACH DATABASE shard") }
                var merged: (MergedFile, [Int64])!
                try db.inTransaction {
                    merged = try Self.mergeAttached(db, path: path)
                    return .commit
                }
                return merged
            }
            files.append(file)
            touched += sweeps.filter { !touched.contains($0) }
        }
        let sweeps = try read("read the merged sweeps") { db in try touched.compactMap { try Self.mergedSweep(db, id: $0) } }
        return MergeReport(files: files, sweeps: sweeps)
    }

    /// Copies the attached database `shard` into `main`; returns the sharded sweeps it merged into.
    private static func mergeAttached(_ db: Database, path: String) throws -> (MergedFile, [Int64]) {
        // Rows go in table by table; the references hold again by the commit.
        try db.execute(sql: "PRAGMA defer_foreign_keys = ON")

        // Runs: each source id to the target's run with its uuid, or to a new id after the last.
        // A run the target has unfinished that the source has finished, or has written to since
        // (a shard that ran on after an earlier merge), is copied again over the old one.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS merge_runs (old_id INTEGER PRIMARY KEY, new_id INTEGER NOT NULL,
                                                        added INTEGER NOT NULL, updated INTEGER NOT NULL);
            DELETE FROM temp.merge_runs;
            INSERT INTO temp.merge_runs
                SELECT s.id, m.id, 0, m.status NOT IN ('finished', 'diverged')
                    AND (s.status IN ('finished', 'diverged') OR coalesce(s.heartbeat_at, '') > coalesce(m.heartbeat_at, ''))
                FROM shard.runs s JOIN main.runs m ON m.uuid = s.uuid;
            INSERT INTO temp.merge_runs
                SELECT s.id, max((SELECT coalesce(max(id), 0) FROM main.runs),
                                 (SELECT coalesce(max(seq), 0) FROM main.sqlite_sequence WHERE name = 'runs'))
                             + row_number() OVER (ORDER BY s.id), 1, 0
                FROM shard.runs s WHERE s.id NOT IN (SELECT old_id FROM temp.merge_runs);
            -- Its records go with it; a trial linked to it is linked again below.
            DELETE FROM main.runs WHERE id IN (SELECT new_id FROM temp.merge_runs WHERE updated);
            """)
        let added = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.merge_runs WHERE added") ?? 0
        let present = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.merge_runs WHERE NOT added") ?? 0
        let updated = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.merge_runs WHERE updated") ?? 0
        try copy(db, table: "runs", replacing: ["id": "m.new_id"], from: "shard.runs x JOIN temp.merge_runs m ON m.old_id = x.id",
                 where: "m.added OR m.updated")
        // Every table of a run's records (metrics, weights, checkpoints and their tensors,
        // preprocessing, classes, data files, and any added later) is found by its run_id column.
        for table in try runTables(db) {
            try copy(db, table: table, replacing: ["run_id": "m.new_id"],
                     from: "shard.\(quoted(table)) x JOIN temp.merge_runs m ON m.old_id = x.run_id", where: "m.added OR m.updated")
        }

        var sharded: [Int64] = []
        for source in try Row.fetchAll(db, sql: "SELECT id, uuid, name, config_hash, shard_index, shard_count FROM shard.sweeps ORDER BY id") {
            let sourceID: Int64 = source["id"]
            let count: Int? = source["shard_count"]
            let isShard = count != nil && (source["shard_index"] as Int?) != nil
            // A shard joins the sweep merged from its siblings; any other sweep is itself, by uuid.
            let existing = isShard
                ? try Int64.fetchOne(db, sql: """
                    SELECT id FROM main.sweeps WHERE config_hash = ? AND name = ? AND shard_count = ? AND shard_index IS NULL
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [source["config_hash"], source["name"], count])
                : try Int64.fetchOne(db, sql: "SELECT id FROM main.sweeps WHERE uuid = ?", arguments: [source["uuid"]])
            let targetID: Int64
            if let existing {
                targetID = existing
                try db.execute(sql: """
                    UPDATE main.sweeps SET started_at = min(started_at, (SELECT started_at FROM shard.sweeps WHERE id = ?))
                    WHERE id = ?
                    """, arguments: [sourceID, targetID])
            } else {
                // The merged sweep has a uuid of its own (the trigger's): it is none of its shards.
                var left: Set<String> = ["id"]
                if isShard { left.formUnion(["uuid", "shard_index", "best_trial", "status", "ended_at"]) }
                try copy(db, table: "sweeps", replacing: [:], leaving: left, from: "shard.sweeps x", where: "x.id = \(sourceID)")
                targetID = db.lastInsertedRowID
            }
            if isShard && !sharded.contains(targetID) { sharded.append(targetID) }

            // A trial done in the source replaces one not done in the target. One left running
            // is pending in the target (its process ran elsewhere), so `netrun sweep` on the
            // merged database runs what is left.
            try db.execute(sql: """
                DELETE FROM main.trials WHERE sweep_id = ? AND status != 'done'
                    AND trial IN (SELECT trial FROM shard.trials WHERE sweep_id = ? AND status = 'done')
                """, arguments: [targetID, sourceID])
            try copy(db, table: "trials",
                     replacing: ["sweep_id": "\(targetID)", "run_id": "m.new_id",
                                 "status": "CASE WHEN x.status = 'running' THEN 'pending' ELSE x.status END"],
                     from: "shard.trials x LEFT JOIN temp.merge_runs m ON m.old_id = x.run_id",
                     where: "x.sweep_id = \(sourceID) AND x.trial NOT IN (SELECT trial FROM main.trials WHERE sweep_id = \(targetID))")
            try copy(db, table: "trial_params", replacing: ["sweep_id": "\(targetID)"], from: "shard.trial_params x",
                     where: "x.sweep_id = \(sourceID)", orIgnore: true)
            try db.execute(sql: """
                UPDATE main.trials SET run_id = (SELECT m.new_id FROM shard.trials x JOIN temp.merge_runs m ON m.old_id = x.run_id
                                                 WHERE x.sweep_id = ? AND x.trial = main.trials.trial)
                WHERE sweep_id = ? AND run_id IS NULL
                """, arguments: [sourceID, targetID])
            try db.execute(sql: "UPDATE main.sweeps SET best_trial = ? WHERE id = ?", arguments: [try bestTrial(db, sweepID: targetID), targetID])
        }
        for id in sharded { try closeMerged(db, sweepID: id) }
        return (MergedFile(path: path, runsAdded: added, runsPresent: present - updated, runsUpdated: updated), sharded)
    }

    /// Marks a sweep merged from shards as a one-machine sweep would stand: `finished` when every
    /// trial is done (then only its best keeps a checkpoint), else `interrupted`, which a
    /// `netrun sweep` of the same config on the merged database continues.
    private static func closeMerged(_ db: Database, sweepID: Int64) throws {
        guard let sweep = try mergedSweep(db, id: sweepID) else { return }
        let finished = sweep.missing.isEmpty
        try db.execute(sql: """
            UPDATE main.sweeps SET status = ?, ended_at = CASE WHEN ? THEN
                (SELECT max(r.ended_at) FROM main.trials t JOIN main.runs r ON r.id = t.run_id WHERE t.sweep_id = ?) END
            WHERE id = ?
            """, arguments: [finished ? "finished" : "interrupted", finished, sweepID, sweepID])
        if finished {
            try db.execute(sql: """
                DELETE FROM main.checkpoints WHERE run_id IN
                    (SELECT run_id FROM main.trials WHERE sweep_id = ? AND run_id IS NOT NULL AND trial IS NOT ?)
                    AND run_id IN (SELECT id FROM main.runs WHERE status IN ('finished', 'diverged'))
                """, arguments: [sweepID, sweep.best])
        }
    }

    private static func mergedSweep(_ db: Database, id: Int64) throws -> MergedSweep? {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, trial_count, shard_count FROM main.sweeps WHERE id = ?",
                                         arguments: [id]) else { return nil }
        let count: Int = row["trial_count"] ?? 0
        let done = Set(try Int.fetchAll(db, sql: "SELECT trial FROM main.trials WHERE sweep_id = ? AND status = 'done'",
                                        arguments: [id]))
        return MergedSweep(id: id, name: row["name"], trialCount: count, shardCount: row["shard_count"] ?? 1,
                           done: done.count, best: try bestTrial(db, sweepID: id),
                           missing: (0..<count).filter { !done.contains($0) })
    }

    /// `INSERT INTO main.table (its columns) SELECT …` with the columns both databases have, each
    /// taken from `x` unless `replacing` gives its expression; those in `leaving` take their defaults.
    private static func copy(_ db: Database, table: String, replacing: [String: String], leaving: Set<String> = [],
                             from source: String, where condition: String, orIgnore: Bool = false) throws {
        let sourceColumns = Set(try db.columns(in: table, in: "shard").map(\.name))
        let columns = try db.columns(in: table, in: "main").map(\.name)
            .filter { sourceColumns.contains($0) && !leaving.contains($0) }
        let names = columns.map(quoted).joined(separator: ", ")
        let values = columns.map { replacing[$0] ?? "x.\(quoted($0))" }.joined(separator: ", ")
        try db.execute(sql: """
            INSERT \(orIgnore ? "OR IGNORE " : "")INTO main.\(quoted(table)) (\(names)) SELECT \(values) FROM \(source) WHERE \(condition)
            """)
    }

    /// The source's tables that hold a run's records: those with a run_id, but not the runs and
    /// sweeps themselves nor a sweep's tables (a trial's run_id is remapped with the trial).
    private static func runTables(_ db: Database) throws -> [String] {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM shard.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        return try tables.filter { table in
            let columns = Set(try db.columns(in: table, in: "shard").map(\.name))
            return table != "runs" && columns.contains("run_id") && !columns.contains("sweep_id")
        }
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

/// A sweep's identity for merging shards: name, config and shard count.
private struct ShardedSweepKey: Equatable, CustomStringConvertible {
    var name: String
    var hash: String
    var count: Int

    static func all(_ db: Database) throws -> [ShardedSweepKey] {
        try Row.fetchAll(db, sql: """
            SELECT DISTINCT name, config_hash, shard_count FROM sweeps WHERE shard_index IS NOT NULL AND shard_count IS NOT NULL
            """).map { row in
            let name: String = row["name"], hash: String = row["config_hash"], count: Int = row["shard_count"]
            return ShardedSweepKey(name: name, hash: hash, count: count)
        }
    }

    var description: String { "sweep '\(name)' of config \(hash.prefix(12)) in \(count) shards" }
}
