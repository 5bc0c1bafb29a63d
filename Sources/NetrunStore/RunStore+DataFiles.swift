import Foundation
import GRDB

/// One data file as a run read it: enough to tell later whether it is still the same file.
public struct DataFingerprint: Sendable, Equatable {
    /// The source that read it: `train` (the `data:` source, which any split cuts from), `val` or `test`.
    public var role: String
    /// As written in the config.
    public var path: String
    public var absolutePath: String
    /// Bytes on disk.
    public var size: Int64
    /// Seconds since 1970; recorded for people, not compared (a `touch` changes nothing that matters).
    public var modified: Double
    /// Lower-case hex SHA-256 of the bytes on disk.
    public var sha256: String

    public init(role: String, path: String, absolutePath: String, size: Int64, modified: Double, sha256: String) {
        self.role = role
        self.path = path
        self.absolutePath = absolutePath
        self.size = size
        self.modified = modified
        self.sha256 = sha256
    }
}

/// What the store knows of where a run's data came from; absent for runs recorded before it was kept.
public struct RecordedData: Sendable, Equatable {
    /// The config file's folder as an absolute path: relative data paths resolve against it.
    public var configFolder: String
    public var files: [DataFingerprint]

    public init(configFolder: String, files: [DataFingerprint]) {
        self.configFolder = configFolder
        self.files = files
    }
}

/// A row of `data_files`.
struct DataFileRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "data_files"

    var runID: Int64
    var role: String
    var path: String
    var absolutePath: String
    var size: Int64
    var mtime: Double
    var sha256: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", role, path, absolutePath = "absolute_path", size, mtime, sha256
    }

    enum Columns {
        static let runID = Column(CodingKeys.runID)
    }

    init(runID: Int64, _ file: DataFingerprint) {
        self.runID = runID
        role = file.role
        path = file.path
        absolutePath = file.absolutePath
        size = file.size
        mtime = file.modified
        sha256 = file.sha256
    }

    var fingerprint: DataFingerprint {
        DataFingerprint(role: role, path: path, absolutePath: absolutePath, size: size, modified: mtime, sha256: sha256)
    }
}

extension RunStore {
    /// Inserts a new run's data files and config folder, inside `beginRun`'s transaction.
    static func recordDataFiles(_ db: Database, runID: Int64, configFolder: String?, _ files: [DataFingerprint]) throws {
        guard let configFolder else { return }
        try db.execute(sql: "UPDATE runs SET config_folder = ? WHERE id = ?", arguments: [configFolder, runID])
        for file in files { try DataFileRecord(runID: runID, file).insert(db) }
    }

    /// The config folder and data files recorded with run `runID`; nil for a run recorded before
    /// netrun kept them (or no such run).
    public func recordedData(runID: Int64) throws -> RecordedData? {
        try read("read the data files of run \(runID)") { db in
            guard let folder = try String.fetchOne(db, sql: "SELECT config_folder FROM runs WHERE id = ?",
                                                   arguments: [runID]) else { return nil }
            // In reading order: the training source, then val, then test.
            let files = try DataFileRecord.filter(DataFileRecord.Columns.runID == runID)
                .order(sql: "CASE role WHEN 'train' THEN 0 WHEN 'val' THEN 1 ELSE 2 END, absolute_path").fetchAll(db)
            return RecordedData(configFolder: folder, files: files.map(\.fingerprint))
        }
    }
}
