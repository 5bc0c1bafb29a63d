import Foundation
import GRDB
@testable import NetrunStore
import XCTest

/// What a database path may be, a database from a newer or older netrun, and reading without writing.
final class DatabaseFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-dbfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func error(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    private func newRun(_ name: String) -> NewRun {
        NewRun(name: name, configPath: "x.yaml", configText: "t", seed: 1, netrunVersion: "0.1.0")
    }

    private func recordedDatabase() throws -> String {
        let database = path("runs.sqlite")
        let store = try RunStore(path: database)
        _ = try store.beginRun(newRun("xor"))
        return database
    }

    func testPathsThatCannotHoldADatabaseAreRefusedBeforeAnythingIsCreated() throws {
        XCTAssertEqual(error { try RunStore(path: "") },
                       "--db '': could not open the database: the path is empty; give a file path")
        XCTAssertEqual(error { try RunStore(path: ":memory:") }, ":memory:: could not open the database: "
                       + "an in-memory database would keep nothing; give a file path, e.g. runs/netrun.sqlite")
        XCTAssertEqual(error { try RunStore(path: folder.path) }, "\(folder.path): could not open the database: "
                       + "it is a folder, not a database file; give a file path such as \(folder.path)/netrun.sqlite")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertEqual(error { try RunStore(path: fifo) }, "\(fifo): could not open the database: "
                       + "it is not a regular file (a device, FIFO or socket); give a file path")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["fifo"], "no journal beside it")
    }

    func testReadingAMissingDatabaseCreatesNothing() {
        let missing = path("typo/netrun.sqlite")
        XCTAssertEqual(error { try RunStore(readingAt: missing) }, "\(missing): could not read the database: "
                       + "there is no database at this path (netrun train, resume and sweep create one)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("typo")))
    }

    func testReadingLeavesTheFileAndItsFolderUntouched() throws {
        let database = try recordedDatabase()
        let before = try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date
        let store = try RunStore(readingAt: database)
        XCTAssertEqual(try store.summaries().map(\.name), ["xor"])
        XCTAssertEqual(try store.metrics(runID: 1).count, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["runs.sqlite"])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date, before)
        XCTAssertThrowsError(try store.beginRun(newRun("x")))
    }

    func testReadingWhileAWriterHasTheDatabaseOpenSeesItsCommits() throws {
        let database = path("live.sqlite")
        let writer = try RunStore(path: database)
        _ = try writer.beginRun(newRun("first"))
        XCTAssertEqual(try RunStore(readingAt: database).summaries().map(\.name), ["first"])
        _ = try writer.beginRun(newRun("second"))
        XCTAssertEqual(try RunStore(readingAt: database).summaries().count, 2)
    }

    func testADatabaseFromANewerNetrunIsRefusedNamingBothVersions() throws {
        let database = try recordedDatabase()
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('042-from-the-future')")
            try db.execute(sql: "UPDATE runs SET netrun_version = '9.0.0'")
        }
        let known = Schema.migrator.migrations.last!
        let expected = "\(database): written by a newer netrun (netrun 9.0.0 recorded its latest run): its schema has "
            + "migration '042-from-the-future', but this netrun knows only up to '\(known)'; use that netrun or a newer one with this database"
        XCTAssertEqual(error { try RunStore(path: database) }, expected)
        XCTAssertEqual(error { try RunStore(readingAt: database) }, expected)
    }

    func testReadingAnOlderSchemaSaysHowToUpgradeIt() throws {
        let database = path("old.sqlite")
        try Schema.migrator.migrate(try DatabaseQueue(path: database), upTo: "003-checkpoints")
        XCTAssertTrue(error { try RunStore(readingAt: database) }.contains(
            "it was made by an older netrun (its schema ends at '003-checkpoints'"))
        _ = try RunStore(path: database)
        XCTAssertNoThrow(try RunStore(readingAt: database))
    }
}
