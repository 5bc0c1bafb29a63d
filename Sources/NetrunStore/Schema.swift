import GRDB

/// The database schema as numbered, append-only migrations. Never edit a shipped migration;
/// add the next number.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001-runs-metrics-weights") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id             INTEGER PRIMARY KEY AUTOINCREMENT,
                    name           TEXT NOT NULL,
                    config_path    TEXT NOT NULL,
                    config_text    TEXT NOT NULL,
                    config_hash    TEXT NOT NULL,          -- SHA-256 of config_text, hex
                    seed           INTEGER NOT NULL,       -- UInt64 stored as its Int64 bit pattern
                    status         TEXT NOT NULL DEFAULT 'running'
                                   CHECK (status IN ('running', 'finished', 'failed', 'diverged', 'interrupted')),
                    started_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                    ended_at       TEXT,
                    steps          INTEGER NOT NULL DEFAULT 0,
                    epochs         INTEGER NOT NULL DEFAULT 0,
                    diverged_step  INTEGER,
                    message        TEXT,
                    train_loss     REAL,                   -- final metrics: the last logged value of each
                    train_accuracy REAL,
                    test_loss      REAL,
                    test_accuracy  REAL,
                    netrun_version TEXT NOT NULL
                );

                CREATE TABLE metrics (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    step   INTEGER NOT NULL,
                    epoch  INTEGER NOT NULL,
                    split  TEXT NOT NULL,                  -- 'train' or 'test'
                    name   TEXT NOT NULL,                  -- 'loss' or 'accuracy'
                    value  REAL,                           -- NULL when the value was NaN or infinite
                    PRIMARY KEY (run_id, split, name, step)
                ) WITHOUT ROWID;

                CREATE TABLE weights (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    layer  INTEGER NOT NULL,               -- index in the model's layer list, from 0
                    name   TEXT NOT NULL,                  -- 'weight' (out × in) or 'bias'
                    shape  TEXT NOT NULL,                  -- JSON array, e.g. [4,2]
                    dtype  TEXT NOT NULL CHECK (dtype IN ('float32')),
                    data   BLOB NOT NULL,                  -- little-endian, row-major
                    PRIMARY KEY (run_id, layer, name)
                ) WITHOUT ROWID;

                CREATE VIEW run_overview AS
                SELECT id, name, status, started_at, ended_at,
                       round((julianday(ended_at) - julianday(started_at)) * 86400, 3) AS duration_s,
                       epochs, steps, train_loss, train_accuracy, test_loss, test_accuracy
                FROM runs
                ORDER BY started_at DESC, id DESC;
                """)
        }
        migrator.registerMigration("002-validation-data-sweeps") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN val_loss REAL;
                ALTER TABLE runs ADD COLUMN val_accuracy REAL;
                ALTER TABLE runs ADD COLUMN train_samples INTEGER;
                ALTER TABLE runs ADD COLUMN val_samples INTEGER;
                ALTER TABLE runs ADD COLUMN test_samples INTEGER;

                CREATE TABLE classes (
                    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    class_id INTEGER NOT NULL,             -- the model's output index
                    name     TEXT NOT NULL,
                    PRIMARY KEY (run_id, class_id)
                ) WITHOUT ROWID;

                CREATE TABLE preprocessing (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    name   TEXT NOT NULL CHECK (name IN ('scale', 'mean', 'std')),
                    shape  TEXT NOT NULL,
                    dtype  TEXT NOT NULL CHECK (dtype IN ('float32')),
                    data   BLOB NOT NULL,                  -- x <- (x * scale - mean) / std, per feature
                    PRIMARY KEY (run_id, name)
                ) WITHOUT ROWID;

                CREATE TABLE sweeps (
                    id             INTEGER PRIMARY KEY AUTOINCREMENT,
                    name           TEXT NOT NULL,
                    config_path    TEXT NOT NULL,
                    config_text    TEXT NOT NULL,
                    config_hash    TEXT NOT NULL,          -- a re-run with the same hash resumes this sweep
                    seed           INTEGER NOT NULL,
                    metric         TEXT NOT NULL,          -- e.g. 'val_accuracy'
                    maximize       INTEGER NOT NULL CHECK (maximize IN (0, 1)),
                    status         TEXT NOT NULL DEFAULT 'running'
                                   CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
                    started_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                    ended_at       TEXT,
                    best_trial     INTEGER,
                    netrun_version TEXT NOT NULL
                );
                CREATE INDEX sweeps_by_hash ON sweeps(config_hash);

                CREATE TABLE trials (
                    sweep_id      INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
                    trial         INTEGER NOT NULL,        -- position in the grid, from 0
                    assignment    TEXT NOT NULL,           -- 'training.learning_rate=1e-07, training.reg=25000'
                    learning_rate REAL NOT NULL,           -- the trial's effective values, whether swept or not
                    reg           REAL NOT NULL,
                    run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,  -- the latest attempt
                    score         REAL,                    -- the sweep's metric for this trial
                    PRIMARY KEY (sweep_id, trial),
                    UNIQUE (sweep_id, assignment)
                );

                CREATE TABLE trial_params (
                    sweep_id INTEGER NOT NULL,
                    trial    INTEGER NOT NULL,
                    path     TEXT NOT NULL,                -- the swept key path, e.g. 'training.reg'
                    value    REAL,                         -- the value when it is a number
                    text     TEXT NOT NULL,                -- the value as written
                    PRIMARY KEY (sweep_id, trial, path),
                    FOREIGN KEY (sweep_id, trial) REFERENCES trials(sweep_id, trial) ON DELETE CASCADE
                ) WITHOUT ROWID;

                DROP VIEW run_overview;
                CREATE VIEW run_overview AS
                SELECT id, name, status, started_at, ended_at,
                       round((julianday(ended_at) - julianday(started_at)) * 86400, 3) AS duration_s,
                       epochs, steps, train_loss, train_accuracy, val_loss, val_accuracy, test_loss, test_accuracy
                FROM runs
                ORDER BY started_at DESC, id DESC;

                CREATE VIEW sweep_results AS
                SELECT s.id AS sweep_id, s.name AS sweep, t.trial, t.learning_rate, t.reg,
                       coalesce(r.status, 'pending') AS status,
                       r.train_accuracy, r.val_accuracy, r.test_accuracy, r.train_loss, r.val_loss,
                       round((julianday(r.ended_at) - julianday(r.started_at)) * 86400, 3) AS duration_s,
                       t.trial IS s.best_trial AS best, t.run_id, t.assignment
                FROM trials t
                JOIN sweeps s ON s.id = t.sweep_id
                LEFT JOIN runs r ON r.id = t.run_id
                ORDER BY s.id DESC, CASE WHEN s.maximize THEN -t.score ELSE t.score END ASC NULLS LAST, t.trial;
                """)
        }
        migrator.registerMigration("003-checkpoints") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN config_overrides TEXT NOT NULL DEFAULT '';  -- 'path=value' lines put over config_text

                CREATE TABLE checkpoints (                 -- the latest checkpoint of each run
                    run_id        INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
                    step          INTEGER NOT NULL,        -- updates applied
                    epoch         INTEGER NOT NULL,        -- epochs completed
                    learning_rate REAL NOT NULL,           -- after the decays so far
                    rng_state     INTEGER NOT NULL,        -- SplitMix64 state, as its Int64 bit pattern
                    sample_order  BLOB NOT NULL,           -- the current epoch's order, little-endian int32
                    config_hash   TEXT NOT NULL,
                    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                );

                CREATE TABLE checkpoint_tensors (
                    run_id   INTEGER NOT NULL REFERENCES checkpoints(run_id) ON DELETE CASCADE,
                    kind     TEXT NOT NULL CHECK (kind IN ('parameter', 'velocity')),
                    position INTEGER NOT NULL,             -- index in the network's parameter list
                    layer    INTEGER NOT NULL,
                    name     TEXT NOT NULL,
                    shape    TEXT NOT NULL,
                    dtype    TEXT NOT NULL CHECK (dtype IN ('float32')),
                    data     BLOB NOT NULL,
                    PRIMARY KEY (run_id, kind, position)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("004-sweep-overrides") { db in
            try db.execute(sql: """
                ALTER TABLE sweeps ADD COLUMN config_overrides TEXT NOT NULL DEFAULT '';  -- command-line 'path=value' lines
                """)
        }
        migrator.registerMigration("005-run-liveness") { db in
            // Who trains a running run, so a run left `running` by a killed process can be told
            // from one still training (see ProcessOwner). Kept after the run ends: who last trained it.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN owner_pid INTEGER;     -- the process training the run
                ALTER TABLE runs ADD COLUMN owner_host TEXT;       -- its host; liveness is checked on that host only
                ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;     -- the last log point or checkpoint written, UTC
                """)
        }
        migrator.registerMigration("006-sweep-trial-claims") { db in
            // Trials are claimed one at a time in a write transaction, so several sweep processes
            // on one database share the grid; rows are added as trials are claimed, so a huge grid
            // starts at once.
            try db.execute(sql: """
                ALTER TABLE sweeps ADD COLUMN trial_count INTEGER;  -- grid points; trials rows appear as they are claimed
                ALTER TABLE trials ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'done'));  -- 'running': claimed by claim_pid on claim_host
                ALTER TABLE trials ADD COLUMN claim_pid INTEGER;    -- the process that runs (or last ran) the trial
                ALTER TABLE trials ADD COLUMN claim_host TEXT;
                ALTER TABLE trials ADD COLUMN claimed_at TEXT;
                UPDATE trials SET status = 'done'
                    WHERE run_id IN (SELECT id FROM runs WHERE status IN ('finished', 'diverged'));
                CREATE INDEX trials_by_status ON trials(sweep_id, status, trial);
                """)
        }
        migrator.registerMigration("007-data-fingerprints") { db in
            try db.execute(sql: """
                -- The config file's folder as an absolute path, which relative data paths resolve
                -- against on resume and eval; NULL for runs recorded before data fingerprints.
                ALTER TABLE runs ADD COLUMN config_folder TEXT;

                CREATE TABLE data_files (                  -- every data file a run read, as it was then
                    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    role          TEXT NOT NULL CHECK (role IN ('train', 'val', 'test')),  -- the source: data, data.val, data.test
                    path          TEXT NOT NULL,           -- as written in the config
                    absolute_path TEXT NOT NULL,
                    size          INTEGER NOT NULL CHECK (size >= 0),     -- bytes
                    mtime         REAL NOT NULL,           -- seconds since 1970; datetime(mtime, 'unixepoch') shows it
                    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),  -- of the bytes on disk (compressed if .gz)
                    PRIMARY KEY (run_id, role, absolute_path)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("008-dtypes-and-training-state") { db in
            // Tensors may be float64 (`training.dtype: float64`); checkpoints may hold any
            // optimizer's state under PyTorch's names and the weights kept by `keep_best`; a run may
            // keep two sets of weights: its model (the best ones with keep_best, else the last) and,
            // when they differ, the last ones. SQLite cannot alter a CHECK, so the three tables are
            // rebuilt with their rows.
            try db.execute(sql: """
                CREATE TABLE weights_new (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    kind   TEXT NOT NULL DEFAULT 'model'
                           CHECK (kind IN ('model', 'last')),  -- 'model': what eval/predict/export use
                    layer  INTEGER NOT NULL,               -- index in the model's layer list, from 0
                    name   TEXT NOT NULL,                  -- 'weight' (out × in) or 'bias'
                    shape  TEXT NOT NULL,                  -- JSON array, e.g. [4,2]
                    dtype  TEXT NOT NULL CHECK (dtype IN ('float32', 'float64')),
                    data   BLOB NOT NULL,                  -- little-endian, row-major
                    PRIMARY KEY (run_id, kind, layer, name)
                ) WITHOUT ROWID;
                INSERT INTO weights_new (run_id, kind, layer, name, shape, dtype, data)
                    SELECT run_id, 'model', layer, name, shape, dtype, data FROM weights;
                DROP TABLE weights;
                ALTER TABLE weights_new RENAME TO weights;

                CREATE TABLE preprocessing_new (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    name   TEXT NOT NULL CHECK (name IN ('scale', 'mean', 'std')),
                    shape  TEXT NOT NULL,
                    dtype  TEXT NOT NULL CHECK (dtype IN ('float32', 'float64')),
                    data   BLOB NOT NULL,                  -- x <- (x * scale - mean) / std, per feature
                    PRIMARY KEY (run_id, name)
                ) WITHOUT ROWID;
                INSERT INTO preprocessing_new SELECT run_id, name, shape, dtype, data FROM preprocessing;
                DROP TABLE preprocessing;
                ALTER TABLE preprocessing_new RENAME TO preprocessing;

                CREATE TABLE checkpoint_tensors_new (
                    run_id   INTEGER NOT NULL REFERENCES checkpoints(run_id) ON DELETE CASCADE,
                    kind     TEXT NOT NULL CHECK (kind IN ('parameter',       -- the weights
                                                           'velocity',        -- SGD's momentum_buffer
                                                           'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq',  -- Adam's
                                                           'best_parameter')), -- kept by keep_best
                    position INTEGER NOT NULL,             -- index in the network's parameter list
                    layer    INTEGER NOT NULL,
                    name     TEXT NOT NULL,
                    shape    TEXT NOT NULL,
                    dtype    TEXT NOT NULL CHECK (dtype IN ('float32', 'float64')),
                    data     BLOB NOT NULL,
                    PRIMARY KEY (run_id, kind, position)
                ) WITHOUT ROWID;
                INSERT INTO checkpoint_tensors_new SELECT run_id, kind, position, layer, name, shape, dtype, data
                    FROM checkpoint_tensors;
                DROP TABLE checkpoint_tensors;
                ALTER TABLE checkpoint_tensors_new RENAME TO checkpoint_tensors;
                """)
        }
        migrator.registerMigration("009-schedule-and-best-state") { db in
            // What a checkpoint needs to continue plateau, early_stopping and keep_best exactly
            // (their tensors are checkpoint_tensors of kind 'best_parameter'), and which log point
            // gave a keep_best run its model.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN best_step INTEGER;          -- keep_best: the step whose weights are the model
                ALTER TABLE checkpoints ADD COLUMN plateau_best REAL;   -- plateau's best value so far (NULL: none yet)
                ALTER TABLE checkpoints ADD COLUMN plateau_bad INTEGER NOT NULL DEFAULT 0;  -- log points since it improved
                ALTER TABLE checkpoints ADD COLUMN stop_best REAL;      -- early_stopping's best value so far
                ALTER TABLE checkpoints ADD COLUMN stop_bad INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE checkpoints ADD COLUMN best_value REAL;     -- keep_best's best value so far
                ALTER TABLE checkpoints ADD COLUMN best_step INTEGER;   -- and its step
                """)
        }
        migrator.registerMigration("010-run-uuid") { db in
            // A stable unique id for every run and sweep, so `netrun merge` can tell a row it
            // already copied from a new one whatever the ids were renumbered to; and the shard of
            // its grid a `netrun sweep --shard I/N` ran. Rows from before get random ids. The
            // triggers give a row inserted without one a random version-4 UUID in the same statement.
            // Random calls, not one random blob cut up by a subquery: SQLite would evaluate that
            // subquery once for the whole UPDATE and give every row the same id.
            let uuid = """
                (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
                 || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1)
                 || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))
                """
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN uuid TEXT;     -- e.g. '1b4e28ba-2fa1-41d2-883f-0016d3cca427'
                ALTER TABLE sweeps ADD COLUMN uuid TEXT;
                UPDATE runs SET uuid = \(uuid);
                UPDATE sweeps SET uuid = \(uuid);
                CREATE UNIQUE INDEX runs_by_uuid ON runs(uuid);
                CREATE UNIQUE INDEX sweeps_by_uuid ON sweeps(uuid);
                CREATE TRIGGER runs_uuid AFTER INSERT ON runs WHEN NEW.uuid IS NULL
                BEGIN UPDATE runs SET uuid = \(uuid) WHERE id = NEW.id; END;
                CREATE TRIGGER sweeps_uuid AFTER INSERT ON sweeps WHEN NEW.uuid IS NULL
                BEGIN UPDATE sweeps SET uuid = \(uuid) WHERE id = NEW.id; END;

                -- The shard a sweep row ran: trials whose index is shard_index mod shard_count.
                -- Both NULL for a whole sweep; a sweep merged from shards keeps shard_count only.
                ALTER TABLE sweeps ADD COLUMN shard_index INTEGER CHECK (shard_index >= 0);
                ALTER TABLE sweeps ADD COLUMN shard_count INTEGER CHECK (shard_count >= 1);
                """)
        }
        migrator.registerMigration("012-halving") { db in
            // Successive halving (sweep.halving) records its pruning on the trial, not as a run
            // status: a trial's run stops at a rung boundary as an interrupted run with a
            // checkpoint, which either continues to the next rung or, pruned, stays where it is.
            // So no CHECK constraint changes and no table is rebuilt.
            try db.execute(sql: """
                ALTER TABLE trials ADD COLUMN rung INTEGER CHECK (rung >= 1);  -- halving: epochs of the last rung it completed
                ALTER TABLE trials ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0 CHECK (pruned IN (0, 1));  -- halving: stopped at `rung`
                DROP VIEW sweep_results;
                CREATE VIEW sweep_results AS
                SELECT s.id AS sweep_id, s.name AS sweep, t.trial, t.learning_rate, t.reg,
                       CASE WHEN t.pruned THEN 'pruned' ELSE coalesce(r.status, 'pending') END AS status,
                       r.train_accuracy, r.val_accuracy, r.test_accuracy, r.train_loss, r.val_loss,
                       round((julianday(r.ended_at) - julianday(r.started_at)) * 86400, 3) AS duration_s,
                       t.trial IS s.best_trial AS best, t.run_id, t.assignment, t.rung
                FROM trials t
                JOIN sweeps s ON s.id = t.sweep_id
                LEFT JOIN runs r ON r.id = t.run_id
                ORDER BY s.id DESC, CASE WHEN s.maximize THEN -t.score ELSE t.score END ASC NULLS LAST, t.trial;
                """)
        }
        migrator.registerMigration("013-hyperparameters") { db in
            // Each run's resolved settings, one row per key (`training.learning_rate`,
            // `model.layers[0].units`, …), so runs can be compared and grouped by any of them in
            // plain SQL. `value` is the number when the setting is one (NULL for names and flags
            // written as text); `text` is how netrun shows it. Runs from before have no rows.
            try db.execute(sql: """
                CREATE TABLE hyperparameters (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key    TEXT NOT NULL,   -- e.g. 'training.learning_rate'
                    value  REAL,            -- e.g. 0.001; NULL when not a number ('adam')
                    text   TEXT NOT NULL,   -- e.g. '0.001'
                    PRIMARY KEY (run_id, key)
                ) WITHOUT ROWID;
                CREATE INDEX hyperparameters_by_key ON hyperparameters(key, value);
                """)
        }
        migrator.registerMigration("014-tags") { db in
            // Wall-clock time (started_at to ended_at) includes the gaps between a stopped run and
            // its resume; training time is the sum of its sessions. A session starts at started_at
            // or at session_started_at (its last resume) and ends at ended_at, or, for a killed
            // process, at its last heartbeat. Older closed runs are taken as one session.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN training_seconds REAL CHECK (training_seconds >= 0);  -- the sessions before the current one, and it once closed
                ALTER TABLE runs ADD COLUMN session_started_at TEXT;  -- the last resume; NULL: never resumed
                UPDATE runs SET training_seconds = max(0, (julianday(ended_at) - julianday(started_at)) * 86400)
                    WHERE ended_at IS NOT NULL;
                -- A user's labels for a run (--tag KEY=VALUE, netrun tag), one value per key, and a free-text note.
                CREATE TABLE tags (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    key    TEXT NOT NULL CHECK (key <> '' AND instr(key, '=') = 0),
                    value  TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                ) WITHOUT ROWID;
                ALTER TABLE runs ADD COLUMN note TEXT;
                """)
        }
        migrator.registerMigration("015-init-from-fingerprint") { db in
            // The safetensors file of `model.init_from` is fingerprinted like a data file: a resume
            // rebuilds frozen layers from it, so a changed file is refused as changed data is.
            try db.execute(sql: """
                CREATE TABLE data_files_new (
                    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    role          TEXT NOT NULL CHECK (role IN ('train', 'val', 'test', 'init_from')),  -- data, data.val, data.test, model.init_from
                    path          TEXT NOT NULL,           -- as written in the config
                    absolute_path TEXT NOT NULL,
                    size          INTEGER NOT NULL CHECK (size >= 0),     -- bytes
                    mtime         REAL NOT NULL,           -- seconds since 1970; datetime(mtime, 'unixepoch') shows it
                    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),  -- of the bytes on disk (compressed if .gz)
                    PRIMARY KEY (run_id, role, absolute_path)
                ) WITHOUT ROWID;
                INSERT INTO data_files_new SELECT run_id, role, path, absolute_path, size, mtime, sha256 FROM data_files;
                DROP TABLE data_files;
                ALTER TABLE data_files_new RENAME TO data_files;
                """)
        }
        migrator.registerMigration("016-running-metrics") { db in
            // train_metrics: running: what the batches since the last log point counted, so a run
            // resumed between log points logs the mean an unstopped run logs. NULL: nothing counted
            // since the last log point (and every checkpoint from before).
            try db.execute(sql: """
                ALTER TABLE checkpoints ADD COLUMN running_metrics TEXT;  -- JSON: each batch shard's counts, and the rows
                """)
        }
        migrator.registerMigration("017-owner-start") { db in
            // When the owning process started (Linux: boot id/start ticks), so a killed owner whose
            // pid came round again to another process is still seen as dead. NULL: not known.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN owner_started TEXT;
                ALTER TABLE trials ADD COLUMN claim_started TEXT;
                """)
        }
        return migrator
    }
}

extension Schema {
    /// Whether the database has nothing in it yet: no table, index, view or trigger.
    static func isEmpty(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0
    }

    /// Makes a new, empty database into one that has run the migrations `SchemaSnapshot` holds, in
    /// the caller's transaction; later migrations are left to the migrator. A database with
    /// anything in it is left alone, as is every database when the snapshot is not a prefix of
    /// the migrations (the migrator then builds it all).
    static func createFromSnapshot(_ db: Database) throws {
        guard migrator.migrations.starts(with: SchemaSnapshot.migrations), try isEmpty(db) else { return }
        for statement in SchemaSnapshot.statements { try db.execute(sql: statement) }
        for identifier in SchemaSnapshot.migrations {
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
        }
    }
}
