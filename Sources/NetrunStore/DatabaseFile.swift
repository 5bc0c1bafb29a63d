import Foundation
import GRDB

/// What a database path may name, checked before SQLite sees it, and the lock that lets two
/// processes create the same new database at once.
enum DatabaseFile {
    /// The path as SQLite should get it: never a URI or `:memory:`, never a folder or device.
    ///
    /// SQLite would happily open `/dev/null` (leaving a journal beside it), `:memory:` (recording
    /// nothing), or read `file:…` as a URI; none of those is a place to keep runs.
    static func checked(_ path: String, action: String) throws -> (sqlitePath: String, exists: Bool) {
        func refuse(_ reason: String) -> StoreError { StoreError(path: path, action: action, reason: reason) }
        if path.isEmpty { throw StoreError(path: "--db ''", action: action, reason: "the path is empty; give a file path") }
        if path == ":memory:" {
            throw refuse("an in-memory database would keep nothing; give a file path, e.g. runs/netrun.sqlite")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT else { throw refuse(String(cString: strerror(errno))) }
            return (sqlitePath(path), false)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return (sqlitePath(path), true)
        case S_IFDIR: throw refuse("it is a folder, not a database file; give a file path such as \(path)/netrun.sqlite")
        default: throw refuse("it is not a regular file (a device, FIFO or socket); give a file path")
        }
    }

    /// A relative path that starts like a URI (`file:…`) is made explicit, so SQLite reads it as a file name.
    private static func sqlitePath(_ path: String) -> String {
        path.hasPrefix("file:") ? "./" + path : path
    }

    /// A URI opening `path` read-only. With no `-wal` file beside it no connection is open (the last
    /// one to close removes it), so the file is read as immutable: no `-wal`, `-shm` or lock is made,
    /// which also works in a read-only folder. With a `-wal` file a writer may be running, and a
    /// `-journal` may be a crashed writer's to roll back, so then the read takes SQLite's locks as usual.
    static func readOnlyURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var encoded = ""
        for character in absolute.unicodeScalars {
            switch character {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.unicodeScalars.append(character)
            }
        }
        let inUse = FileManager.default.fileExists(atPath: path + "-wal")
            || FileManager.default.fileExists(atPath: path + "-journal")
        return "file:" + encoded + "?mode=ro" + (inUse ? "" : "&immutable=1")
    }

    /// Runs `body` holding an exclusive `flock` on `folder`, so processes opening databases in it
    /// create and migrate them one at a time: GRDB applies each migration in its own transaction
    /// after reading which are applied, so two processes creating one database at once would both
    /// apply the first ("table runs already exists"). The folder is locked, not the database file,
    /// because closing any descriptor of the database would drop SQLite's own POSIX locks on it.
    static func withCreationLock<T>(in folder: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // A folder that cannot be opened for the lock can still hold a database; go on unlocked.
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

/// A database whose schema has migrations this netrun does not know: a newer netrun wrote it.
/// A database made by an older netrun, which a reading command cannot read until a command that
/// records runs (or a reading command allowed to write the file) upgrades it.
public struct OlderSchemaError: Error, CustomStringConvertible, Sendable {
    public var path: String
    /// The newest migration the file has, and this netrun's newest.
    public var schemaEnd: String, current: String

    public var description: String {
        "\(path): cannot read the database: it was made by an older netrun (its schema ends at '\(schemaEnd)', "
            + "this netrun's at '\(current)') and the file cannot be written to upgrade it; run a command that records "
            + "runs (netrun train, resume or sweep) on it once where it can be written"
    }
}

public struct NewerSchemaError: Error, CustomStringConvertible, Sendable {
    public var path: String
    /// The applied migrations this netrun does not know, sorted.
    public var unknownMigrations: [String]
    /// The newest migration this netrun knows.
    public var knownMigration: String
    /// The `netrun_version` of the newest recorded run, if any.
    public var newestRunVersion: String?

    public var description: String {
        var text = "\(path): written by a newer netrun"
        if let newestRunVersion { text += " (netrun \(newestRunVersion) recorded its latest run)" }
        text += ": its schema has migration '\(unknownMigrations.last ?? "?")', but this netrun knows only up to "
            + "'\(knownMigration)'; use that netrun or a newer one with this database"
        return text
    }
}

extension Schema {
    /// Throws `NewerSchemaError` when a newer netrun migrated the database.
    static func refuseNewer(_ db: Database, path: String) throws {
        let migrator = Schema.migrator
        let applied = try migrator.appliedIdentifiers(db)
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known).sorted()
        guard !unknown.isEmpty else { return }
        let version = try? String.fetchOne(db, sql: "SELECT netrun_version FROM runs ORDER BY id DESC LIMIT 1")
        throw NewerSchemaError(path: path, unknownMigrations: unknown, knownMigration: migrator.migrations.last ?? "",
                               newestRunVersion: version)
    }

    /// Throws unless the database holds exactly this netrun's schema, which reading needs: reading
    /// never migrates, so an older schema has to be upgraded by a command that writes.
    static func requireCurrent(_ db: Database, path: String) throws {
        try refuseNewer(db, path: path)
        let migrator = Schema.migrator
        let completed = try migrator.completedMigrations(db)
        guard completed.count < migrator.migrations.count else { return }
        let action = "read the database"
        if completed.isEmpty {
            throw StoreError(path: path, action: action, reason: "it is not a netrun database (it has no netrun tables)")
        }
        throw OlderSchemaError(path: path, schemaEnd: completed.last!, current: migrator.migrations.last!)
    }
}
