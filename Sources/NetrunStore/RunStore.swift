import Foundation
import GRDB
import NetrunCore

/// The SQLite file every run is recorded in. One writer per file; WAL lets `sqlite3` read while
/// netrun writes.
public final class RunStore: Sendable {
    public let path: String
    /// A `DatabasePool` for writing; a read-only `DatabaseQueue` for the commands that only read.
    private let pool: any DatabaseWriter

    /// Opens (creating it and its parent folders if needed) and migrates the database at `path`.
    /// Refuses a path that is not a file (a folder, a device, `:memory:`, nothing) and a database a
    /// newer netrun migrated (`NewerSchemaError`).
    public init(path: String) throws {
        self.path = path
        let (sqlitePath, _) = try DatabaseFile.checked(path, action: "open the database")
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(path: path, action: "create the folder \(folder.path)", reason: error.localizedDescription)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // WAL with synchronous = NORMAL: a commit is a write to the log without an fsync. A killed
        // process loses nothing committed and the database stays consistent; only a power cut can
        // drop the last commits. SQLite's default (FULL) would sync at every log point and
        // checkpoint, on the training thread.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabaseFile.withCreationLock(in: folder.path) {
                let pool = try DatabasePool(path: sqlitePath, configuration: configuration)
                try pool.read { db in try Schema.refuseNewer(db, path: path) }
                // A new file only: an existing database is not even locked for writing here.
                if try pool.read(Schema.isEmpty) { try pool.write { db in try Schema.createFromSnapshot(db) } }
                try Schema.migrator.migrate(pool)
                return pool
            }
        } catch let error as NewerSchemaError {
            throw error
        } catch {
            throw StoreError(path: path, action: "open the database", reason: Self.reason(error))
        }
    }

    /// Opens the database at `path` for reading only: nothing is created or migrated, and the file
    /// may be read-only or in a read-only folder. A missing file, an older schema or a newer one is an error.
    public init(readingAt path: String) throws {
        self.path = path
        let action = "read the database"
        let (_, exists) = try DatabaseFile.checked(path, action: action)
        guard exists else {
            throw StoreError(path: path, action: action,
                             reason: "there is no database at this path (netrun train, resume and sweep create one)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabaseQueue(path: DatabaseFile.readOnlyURI(path), configuration: configuration)
            try pool.read { db in try Schema.requireCurrent(db, path: path) }
        } catch let error as NewerSchemaError {
            throw error
        } catch let error as OlderSchemaError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, reason: Self.reason(error))
        }
    }

    /// Records a new run as `running`, owned by this process, with the data files it read, and returns its id.
    public func beginRun(_ run: NewRun) throws -> Int64 {
        try write("record a new run") { db in
            let owner = ProcessOwner.current
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_overrides, config_hash, seed, netrun_version,
                                  owner_pid, owner_host, owner_started, heartbeat_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(Self.now))
                """, arguments: [run.name, run.configPath, run.configText, run.configOverrides,
                                 SHA256.hex(run.configText + run.configOverrides), Int64(bitPattern: run.seed),
                                 run.netrunVersion, owner.pid, owner.host, owner.started])
            let runID = db.lastInsertedRowID
            try Self.recordDataFiles(db, runID: runID, configFolder: run.configFolder, run.dataFiles)
            return runID
        }
    }

    /// Adds one log point's metrics in one transaction.
    public func appendMetrics(runID: Int64, _ points: [MetricPoint]) throws {
        try write("record metrics of run \(runID)") { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO metrics (run_id, step, epoch, split, name, value) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for point in points {
                let value: Double? = point.value.isFinite ? point.value : nil
                try statement.execute(arguments: [runID, point.step, point.epoch, point.split, point.name, value])
            }
            try Self.beat(db, runID: runID)
        }
    }

    /// Stores the final parameter tensors of a run, replacing any stored before: its model
    /// (`kind` 'model', what eval, predict and export use) or, with keep_best, its last weights ('last').
    public func saveWeights(runID: Int64, _ tensors: [WeightTensor], kind: String = "model") throws {
        try write("save the weights of run \(runID)") { db in
            try db.execute(sql: "DELETE FROM weights WHERE run_id = ? AND kind = ?", arguments: [runID, kind])
            let statement = try db.makeStatement(sql: """
                INSERT INTO weights (run_id, kind, layer, name, shape, dtype, data) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for tensor in tensors {
                let shape = "[" + tensor.shape.map(String.init).joined(separator: ",") + "]"
                try statement.execute(arguments: [runID, kind, tensor.layer, tensor.name, shape, tensor.dtype.rawValue,
                                                  LittleEndian.bytes(tensor.values, as: tensor.dtype)])
            }
        }
    }

    /// Records what a run trained on: sample counts, class names and the fitted preprocessing.
    public func saveDataDescription(runID: Int64, _ description: DataDescription) throws {
        try write("record the data of run \(runID)") { db in
            try db.execute(sql: "UPDATE runs SET train_samples = ?, val_samples = ?, test_samples = ? WHERE id = ?",
                           arguments: [description.trainSamples, description.validationSamples,
                                       description.testSamples, runID])
            for (id, name) in (description.classNames ?? []).enumerated() {
                try db.execute(sql: "INSERT INTO classes (run_id, class_id, name) VALUES (?, ?, ?)",
                               arguments: [runID, id, name])
            }
            for tensor in description.preprocessing {
                try db.execute(sql: """
                    INSERT INTO preprocessing (run_id, name, shape, dtype, data) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [runID, tensor.name, "[\(tensor.values.count)]", description.dtype.rawValue,
                                     LittleEndian.bytes(tensor.values, as: description.dtype)])
            }
        }
    }

    /// Closes a run: its outcome, counts, end time, and final metrics copied from the logged point of
    /// the run's model: the last one, or with keep_best (`saveBestStep` first) the best step's train
    /// and val metrics; test metrics are measured once, at the end, on that model.
    public func finishRun(runID: Int64, status: RunStatus, steps: Int, epochs: Int,
                          divergedStep: Int?, message: String?) throws {
        try write("finish run \(runID)") { db in
            try db.execute(sql: """
                UPDATE runs SET status = ?, steps = ?, epochs = ?, diverged_step = ?, message = ?,
                    ended_at = \(Self.now),
                    training_seconds = coalesce(training_seconds, 0)
                        + max(0, (julianday('now') - julianday(coalesce(session_started_at, started_at))) * 86400),
                    train_loss     = (\(Self.modelValue("train", "loss"))),
                    train_accuracy = (\(Self.modelValue("train", "accuracy"))),
                    val_loss       = (\(Self.modelValue("val", "loss"))),
                    val_accuracy   = (\(Self.modelValue("val", "accuracy"))),
                    test_loss      = (\(Self.lastValue("test", "loss"))),
                    test_accuracy  = (\(Self.lastValue("test", "accuracy")))
                WHERE id = ?
                """, arguments: [status.rawValue, steps, epochs, divergedStep, message, runID])
        }
    }

    /// Records that the run's model is the weights of `step` (keep_best).
    public func saveBestStep(runID: Int64, step: Int) throws {
        try write("record the best step of run \(runID)") { db in
            try db.execute(sql: "UPDATE runs SET best_step = ? WHERE id = ?", arguments: [step, runID])
        }
    }

    /// The run with id `runID`, or nil.
    public func summary(runID: Int64) throws -> RunSummary? {
        try read("read run \(runID)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID]).map(Self.summary)
        }
    }

    /// All runs, newest first.
    public func summaries() throws -> [RunSummary] {
        try read("list runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC").map(Self.summary)
        }
    }

    /// Every logged metric of a run, by step, then split and name. NULL comes back as NaN.
    public func metrics(runID: Int64) throws -> [MetricPoint] {
        try read("read metrics of run \(runID)") { db in
            try Row.fetchAll(db, sql: """
                SELECT step, epoch, split, name, value FROM metrics WHERE run_id = ? ORDER BY step, split, name
                """, arguments: [runID]).map { row in
                MetricPoint(step: row["step"], epoch: row["epoch"], split: row["split"], name: row["name"],
                            value: row["value"] ?? Double.nan)
            }
        }
    }

    /// The stored weights of a run, by layer then name: its model, or with `kind` 'last' the last
    /// weights of a keep_best run.
    public func weights(runID: Int64, kind: String = "model") throws -> [WeightTensor] {
        try read("read weights of run \(runID)") { db in
            try Row.fetchAll(db, sql: """
                SELECT layer, name, shape, dtype, data FROM weights WHERE run_id = ? AND kind = ? ORDER BY layer, name
                """, arguments: [runID, kind]).map { row in
                let shapeText: String = row["shape"]
                let shape = shapeText.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
                let dtype: String = row["dtype"]
                guard let values = LittleEndian.doubles(row["data"], dtype: dtype), let known = DType(rawValue: dtype) else {
                    throw StoreError(path: self.path, action: "read weights of run \(runID)",
                                     reason: "the blob of layer \(row["layer"] as Int) is not whole \(dtype) values")
                }
                return WeightTensor(layer: row["layer"], name: row["name"], shape: shape, values: values, dtype: known)
            }
        }
    }

    /// The class names of a run's data in class-id order; empty when the data numbers its classes.
    public func classNames(runID: Int64) throws -> [String] {
        try read("read the classes of run \(runID)") { db in
            try String.fetchAll(db, sql: "SELECT name FROM classes WHERE run_id = ? ORDER BY class_id", arguments: [runID])
        }
    }

    /// The fitted preprocessing of a run: `scale`, `mean`, `std`, those that apply.
    public func preprocessing(runID: Int64) throws -> [(name: String, values: [Double])] {
        try read("read the preprocessing of run \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT name, dtype, data FROM preprocessing WHERE run_id = ? ORDER BY name",
                             arguments: [runID]).map { row in
                guard let values = LittleEndian.doubles(row["data"], dtype: row["dtype"]) else {
                    throw StoreError(path: self.path, action: "read the preprocessing of run \(runID)",
                                     reason: "the blob of '\(row["name"] as String)' is not whole \(row["dtype"] as String) values")
                }
                return (row["name"], values)
            }
        }
    }

    // MARK: - Plumbing

    /// The current time as the schema's timestamps write it.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// `name` of `split` at the step whose weights are the run's model: `best_step` when set, else the last.
    private static func modelValue(_ split: String, _ name: String) -> String {
        "SELECT value FROM metrics WHERE run_id = runs.id AND split = '\(split)' AND name = '\(name)' "
            + "AND (runs.best_step IS NULL OR step = runs.best_step) ORDER BY step DESC LIMIT 1"
    }

    private static func lastValue(_ split: String, _ name: String) -> String {
        "SELECT value FROM metrics WHERE run_id = runs.id AND split = '\(split)' AND name = '\(name)' ORDER BY step DESC LIMIT 1"
    }

    static func summary(_ row: Row) -> RunSummary {
        RunSummary(id: row["id"], name: row["name"], configPath: row["config_path"], configText: row["config_text"],
                   configOverrides: row["config_overrides"], configHash: row["config_hash"],
                   seed: UInt64(bitPattern: row["seed"]), status: RunStatus(rawValue: row["status"]) ?? .failed,
                   startedAt: row["started_at"], endedAt: row["ended_at"], steps: row["steps"], epochs: row["epochs"],
                   divergedStep: row["diverged_step"], message: row["message"], netrunVersion: row["netrun_version"],
                   trainLoss: row["train_loss"], trainAccuracy: row["train_accuracy"],
                   validationLoss: row["val_loss"], validationAccuracy: row["val_accuracy"],
                   testLoss: row["test_loss"], testAccuracy: row["test_accuracy"],
                   owner: (row["owner_pid"] as Int32?).map {
                       ProcessOwner(pid: $0, host: row["owner_host"] ?? "", started: row["owner_started"])
                   },
                   heartbeatAt: row["heartbeat_at"], bestStep: row["best_step"],
                   trainingSeconds: row["training_seconds"], resumedAt: row["session_started_at"], note: row["note"],
                   trainSamples: row["train_samples"])
    }

    func write<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, reason: Self.reason(error))
        }
    }

    /// Like `write`, outside a transaction: for `ATTACH`, which a transaction refuses.
    func writeWithoutTransaction<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, reason: Self.reason(error))
        }
    }

    func read<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, action: action, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
