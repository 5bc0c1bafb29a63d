import Foundation
import GRDB
import NetrunCore

extension RunStore {
    /// Replaces the run's checkpoint with `checkpoint` in one transaction: a crash or `kill -9`
    /// mid-write leaves the previous checkpoint whole (SQLite's WAL rolls the write back).
    public func saveCheckpoint<Scalar: NetScalar>(runID: Int64, _ checkpoint: Checkpoint<Scalar>, layout: [TensorLayout]) throws {
        try write("save a checkpoint of run \(runID)") { db in
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ?", arguments: [runID])
            let progress = checkpoint.progress
            try db.execute(sql: """
                INSERT INTO checkpoints (run_id, step, epoch, learning_rate, rng_state, sample_order, config_hash,
                                         plateau_best, plateau_bad, stop_best, stop_bad, best_value, best_step,
                                         running_metrics)
                VALUES (?, ?, ?, ?, ?, ?, (SELECT config_hash FROM runs WHERE id = ?), ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runID, progress.step, progress.epoch, progress.learningRate,
                                 Int64(bitPattern: progress.generator.state), LittleEndian.bytes(progress.order), runID,
                                 progress.plateau.best, progress.plateau.badCount,
                                 progress.earlyStopping.best, progress.earlyStopping.badCount,
                                 progress.best.best, progress.best.bestStep,
                                 try progress.running.map(Self.runningText)])
            let statement = try db.makeStatement(sql: """
                INSERT INTO checkpoint_tensors (run_id, kind, position, layer, name, shape, dtype, data)
                VALUES (?, ?, ?, ?, ?, ?, '\(Scalar.dtypeName)', ?)
                """)
            // The optimizer's state under its checkpoint names, which are the table's kinds.
            let tensorsByKind = [("parameter", checkpoint.parameters)] + checkpoint.optimizerState.sorted { $0.key < $1.key }
                + [("best_parameter", checkpoint.bestParameters)]
            for (kind, tensors) in tensorsByKind {
                for (position, (values, place)) in zip(tensors, layout).enumerated() {
                    try statement.execute(arguments: [runID, kind, position, place.layer, place.name,
                                                      Self.shapeText(place.shape), LittleEndian.bytes(values)])
                }
            }
            try Self.beat(db, runID: runID)
        }
    }

    /// The run's latest checkpoint with the layout of its tensors, or nil. A checkpoint in another
    /// dtype than `Scalar` is refused: the run's config says its dtype, and resuming converts nothing.
    public func checkpoint<Scalar: NetScalar>(runID: Int64, as: Scalar.Type) throws
        -> (checkpoint: Checkpoint<Scalar>, layout: [TensorLayout], configHash: String)?
    {
        try read("read the checkpoint of run \(runID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE run_id = ?", arguments: [runID]) else {
                return nil
            }
            let corrupt = StoreError(path: path, action: "read the checkpoint of run \(runID)", reason: "a blob is not whole values")
            guard let order = LittleEndian.ints(row["sample_order"]) else { throw corrupt }
            var parameters: [[Scalar]] = [], state: [String: [[Scalar]]] = [:], best: [[Scalar]] = []
            var layout: [TensorLayout] = []
            for tensor in try Row.fetchAll(db, sql: """
                SELECT kind, layer, name, shape, dtype, data FROM checkpoint_tensors WHERE run_id = ? ORDER BY kind, position
                """, arguments: [runID]) {
                guard (tensor["dtype"] as String) == Scalar.dtypeName else {
                    throw StoreError(path: path, action: "read the checkpoint of run \(runID)",
                                     reason: "its tensors are \(tensor["dtype"] as String), the run's config trains in \(Scalar.dtypeName)")
                }
                guard let values = LittleEndian.values(tensor["data"], as: Scalar.self) else { throw corrupt }
                switch tensor["kind"] as String {
                case "parameter":
                    parameters.append(values)
                    layout.append(TensorLayout(layer: tensor["layer"], name: tensor["name"],
                                               shape: Self.shape(from: tensor["shape"])))
                case "best_parameter":
                    best.append(values)
                case let kind:
                    // 'velocity' (SGD's momentum, also in checkpoints made before Adam) or Adam's
                    // moments; a kind the optimizer does not keep is refused by `mismatch`.
                    state[kind, default: []].append(values)
                }
            }
            var running: RunningCounts?
            if let text = row["running_metrics"] as String? {
                guard let counts = Self.running(from: text) else {
                    throw StoreError(path: path, action: "read the checkpoint of run \(runID)",
                                     reason: "its running_metrics are not the counts netrun writes")
                }
                running = counts
            }
            let progress = TrainingProgress(
                step: row["step"], epoch: row["epoch"], learningRate: row["learning_rate"],
                generator: SplitMix64(seed: UInt64(bitPattern: row["rng_state"])), order: order,
                plateau: MetricWatch(best: row["plateau_best"], badCount: row["plateau_bad"]),
                earlyStopping: MetricWatch(best: row["stop_best"], badCount: row["stop_bad"]),
                best: MetricWatch(best: row["best_value"], bestStep: row["best_step"]), running: running)
            return (Checkpoint(progress: progress, parameters: parameters, optimizerState: state, bestParameters: best),
                    layout, row["config_hash"])
        }
    }

    /// `train_metrics: running`'s counts as JSON; the sums are Doubles, written so they read back
    /// to the same bits (and a non-finite one as a string).
    static func runningText(_ counts: RunningCounts) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }

    static func running(from text: String) -> RunningCounts? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(RunningCounts.self, from: Data(text.utf8))
    }

    /// The run's latest float32 checkpoint, or nil.
    public func checkpoint(runID: Int64) throws -> (checkpoint: Checkpoint<Float>, layout: [TensorLayout], configHash: String)? {
        try checkpoint(runID: runID, as: Float.self)
    }

    /// Drops a run's checkpoint (its final weights stay in `weights`).
    public func deleteCheckpoint(runID: Int64) throws {
        try write("delete the checkpoint of run \(runID)") { db in
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ?", arguments: [runID])
        }
    }

    /// Reopens a stopped or stale run at its checkpoint's step (nil: from the start), owned by this
    /// process: metrics logged after that step are dropped, since continuing logs them again,
    /// identically. Throws `RunInUseError` when another live process trains the run; the check and
    /// the claim are one transaction, so of two processes resuming one run, one wins.
    public func reopenRun(runID: Int64, atStep step: Int?) throws {
        let busy: RunInUseError? = try write("reopen run \(runID)") { db in
            if let busy = try Self.busyOwner(db, runID: runID) { return busy }
            try db.execute(sql: "DELETE FROM metrics WHERE run_id = ? AND step > ?", arguments: [runID, step ?? -1])
            let owner = ProcessOwner.current
            try db.execute(sql: """
                UPDATE runs SET status = 'running', ended_at = NULL, diverged_step = NULL, message = NULL,
                    -- A killed process never closed its session: it trained until its last heartbeat.
                    training_seconds = CASE WHEN status = 'running' THEN coalesce(training_seconds, 0)
                        + max(0, (julianday(heartbeat_at) - julianday(coalesce(session_started_at, started_at))) * 86400)
                        ELSE training_seconds END,
                    session_started_at = \(Self.now),
                    owner_pid = ?, owner_host = ?, owner_started = ?, heartbeat_at = \(Self.now)
                WHERE id = ?
                """, arguments: [owner.pid, owner.host, owner.started, runID])
            return nil
        }
        if let busy { throw busy }
    }

    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }

    static func shape(from text: String) -> [Int] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
    }
}
