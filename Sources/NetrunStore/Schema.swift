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
        return migrator
    }
}
