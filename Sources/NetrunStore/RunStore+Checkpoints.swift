import Foundation
import GRDB
import NetrunCore

extension RunStore {
    /// Replaces the run's checkpoint with `checkpoint` in one transaction: a crash or `kill -9`
    /// mid-write leaves the previous checkpoint whole (SQLite's WAL rolls the write back).
    public func saveCheckpoint(runID: Int64, _ checkpoint: Checkpoint<Float>, layout: [TensorLayout]) throws {
        try write("save a checkpoint of run \(runID)") { db in
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = ?", arguments: [runID])
            let progress = checkpoint.progress
            try db.execute(sql: """
                INSERT INTO checkpoints (run_id, step, epoch, learning_rate, rng_state, sample_order, config_hash)
                VALUES (?, ?, ?, ?, ?, ?, (SELECT config_hash FROM runs WHERE id = ?))
                """, arguments: [runID, progress.step, progress.epoch, progress.learningRate,
                                 Int64(bitPattern: progress.generator.state), LittleEndian.bytes(progress.order), runID])
            let statement = try db.makeStatement(sql: """
                INSERT INTO checkpoint_tensors (run_id, kind, position, layer, name, shape, dtype, data)
                VALUES (?, ?, ?, ?, ?, ?, 'float32', ?)
                """)
            // The optimizer's state under its checkpoint names, which are the table's kinds.
            let tensorsByKind = [("parameter", checkpoint.parameters)] + checkpoint.optimizerState.sorted { $0.key < $1.key }
            for (kind, tensors) in tensorsByKind {
                for (position, (values, place)) in zip(tensors, layout).enumerated() {
                    try statement.execute(arguments: [runID, kind, position, place.layer, place.name,
                                                      Self.shapeText(place.shape), LittleEndian.bytes(values)])
                }
            }
            try Self.beat(db, runID: runID)
        }
    }

    /// The run's latest checkpoint with the layout of its tensors, or nil.
    public func checkpoint(runID: Int64) throws -> (checkpoint: Checkpoint<Float>, layout: [TensorLayout], configHash: String)? {
        try read("read the checkpoint of run \(runID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE run_id = ?", arguments: [runID]) else {
                return nil
            }
            let corrupt = StoreError(path: path, action: "read the checkpoint of run \(runID)", reason: "a blob is not whole values")
            guard let order = LittleEndian.ints(row["sample_order"]) else { throw corrupt }
            var parameters: [[Float]] = [], state: [String: [[Float]]] = [:], layout: [TensorLayout] = []
            for tensor in try Row.fetchAll(db, sql: """
                SELECT kind, layer, name, shape, data FROM checkpoint_tensors WHERE run_id = ? ORDER BY kind, position
                """, arguments: [runID]) {
                guard let values = LittleEndian.floats(tensor["data"]) else { throw corrupt }
                let kind: String = tensor["kind"]
                if kind == "parameter" {
                    parameters.append(values)
                    layout.append(TensorLayout(layer: tensor["layer"], name: tensor["name"],
                                               shape: Self.shape(from: tensor["shape"])))
                } else {
                    // 'velocity' (SGD's momentum, also in checkpoints made before Adam) or Adam's
                    // moments; a kind the optimizer does not keep is refused by `mismatch`.
                    state[kind, default: []].append(values)
                }
            }
            let progress = TrainingProgress(step: row["step"], epoch: row["epoch"], learningRate: row["learning_rate"],
                                            generator: SplitMix64(seed: UInt64(bitPattern: row["rng_state"])), order: order)
            return (Checkpoint(progress: progress, parameters: parameters, optimizerState: state), layout, row["config_hash"])
        }
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
                    owner_pid = ?, owner_host = ?, heartbeat_at = \(Self.now)
                WHERE id = ?
                """, arguments: [owner.pid, owner.host, runID])
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
