import GRDB

/// One of a run's tags: a user's label `key=value`, one value per key.
public struct RunTag: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tags"

    public var runID: Int64
    public var key: String
    public var value: String

    public enum Columns {
        static let runID = Column(CodingKeys.runID)
        static let key = Column(CodingKeys.key)
        static let value = Column(CodingKeys.value)
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", key, value
    }

    public init(runID: Int64, key: String, value: String) {
        self.runID = runID
        self.key = key
        self.value = value
    }
}

/// Tags and a note to put on runs as they start (`--tag KEY=VALUE`, `--note TEXT`).
public struct RunLabels: Sendable {
    public var tags: [(key: String, value: String)]
    public var note: String?

    public init(tags: [(key: String, value: String)], note: String?) {
        self.tags = tags
        self.note = note
    }

    public var isEmpty: Bool { tags.isEmpty && note == nil }
}

extension RunStore {
    /// Sets tags on a run (a key it has already gets the new value), removes `removing`, and
    /// replaces its note when `note` is given (an empty note removes it). False if there is no such run.
    @discardableResult
    public func tag(runID: Int64, _ tags: [(key: String, value: String)], removing: [String] = [], note: String? = nil) throws -> Bool {
        try write("tag run \(runID)") { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) != nil else { return false }
            for key in removing {
                _ = try RunTag.filter(RunTag.Columns.runID == runID && RunTag.Columns.key == key).deleteAll(db)
            }
            for (key, value) in tags { try RunTag(runID: runID, key: key, value: value).save(db) }
            if let note {
                try db.execute(sql: "UPDATE runs SET note = ? WHERE id = ?", arguments: [note.isEmpty ? nil : note, runID])
            }
            return true
        }
    }

    /// A run's tags, by key.
    public func tags(runID: Int64) throws -> [RunTag] {
        try read("read the tags of run \(runID)") { db in
            try RunTag.filter(RunTag.Columns.runID == runID).order(RunTag.Columns.key).fetchAll(db)
        }
    }

    /// The ids of the runs tagged `key` (with any value when `value` is nil).
    public func runIDs(taggedWith key: String, value: String?) throws -> Set<Int64> {
        try read("find runs tagged \(key)") { db in
            var request = RunTag.filter(RunTag.Columns.key == key)
            if let value { request = request.filter(RunTag.Columns.value == value) }
            return Set(try request.fetchAll(db).map(\.runID))
        }
    }
}
