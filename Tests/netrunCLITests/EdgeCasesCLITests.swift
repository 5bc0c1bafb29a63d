import Foundation
import GRDB
@testable import NetrunStore
import XCTest

/// The command line at the edges: databases that are not files, concurrent creation, read-only
/// commands, output paths that are links or devices, negative run ids, names with control characters.
final class EdgeCasesCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-edges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func trainXOR(_ extra: [String] = [], db: String? = nil) throws -> CLIRunner.Result {
        try CLIRunner.run(["configs/xor-softmax.yaml", "training.epochs=2"] + extra + ["--db", db ?? database, "--quiet"])
    }

    /// A private copy of a memory device (`/dev/null` is minor 3, `/dev/full` 7) in the test folder,
    /// so a netrun that wrongly replaced it would not replace the machine's.
    private func device(_ name: String, minor: UInt32) throws -> String {
        let node = path(name)
        guard mknod(node, S_IFCHR | 0o666, dev_t(1 << 8 | minor)) == 0 else {
            throw XCTSkip("cannot make device nodes here (not root)")
        }
        return node
    }

    private func fileType(_ path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    // MARK: - The database file

    func testProcessesCreatingOneNewDatabaseAtOnceAllRecordTheirRuns() throws {
        for round in 0..<5 {
            let db = path("race-\(round).sqlite")
            let processes = try (0..<3).map { _ in
                try CLIRunner.start(["configs/xor-softmax.yaml", "training.epochs=1", "--db", db, "--quiet"])
            }
            for result in processes.map({ $0.finish() }) {
                XCTAssertEqual(result.status, 0, "round \(round): \(result.stderr)")
            }
            XCTAssertEqual(try RunStore(readingAt: db).summaries().count, 3, "round \(round)")
        }
    }

    func testDatabasePathsThatAreNotFilesAreRefusedWithoutCreatingAnything() throws {
        let empty = try trainXOR(db: "")
        XCTAssertEqual(empty.status, 3)
        XCTAssertEqual(empty.stderr, "netrun: --db '': could not open the database: the path is empty; give a file path\n")
        let memory = try CLIRunner.run(["runs", "--db", ":memory:"])
        XCTAssertEqual(memory.status, 3)
        XCTAssertTrue(memory.stderr.contains("an in-memory database would keep nothing"), memory.stderr)
        let folder = try trainXOR(db: directory.path)
        XCTAssertEqual(folder.status, 3)
        XCTAssertTrue(folder.stderr.contains("it is a folder, not a database file"), folder.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
        let null = try device("null", minor: 3)
        let onDevice = try trainXOR(db: null)
        XCTAssertEqual(onDevice.status, 3)
        XCTAssertTrue(onDevice.stderr.contains("\(null): could not open the database: it is not a regular file"), onDevice.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["null"], "no journal beside it")
    }

    func testReadOnlyCommandsNeitherCreateNorChangeFiles() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        let folder = directory.appendingPathComponent("runs").path
        let modified = try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date
        for command in [["runs"], ["show", "1"], ["runs", "--json"], ["eval", "1", "--split", "train"]] {
            let result = try CLIRunner.run(command + ["--db", database])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["test.sqlite"], "no -wal, -shm or journal")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: database)[.modificationDate] as? Date, modified)

        let typo = path("rnus/test.sqlite")
        for command in [["runs"], ["show", "1"], ["plot", "1", "-o", path("p.svg")]] {
            let result = try CLIRunner.run(command + ["--db", typo])
            XCTAssertEqual(result.status, 3, "\(command)")
            XCTAssertEqual(result.stderr, "netrun: \(typo): could not read the database: there is no database at this "
                           + "path (netrun train, resume and sweep create one)\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("rnus")))
    }

    func testADatabaseFromANewerNetrunIsRefusedNamingThisNetrunsVersion() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('900-from-the-future')")
            try db.execute(sql: "UPDATE runs SET netrun_version = '9.0.0'")
        }
        for command in [["runs"], ["configs/xor-softmax.yaml", "training.epochs=1"]] {
            let result = try CLIRunner.run(command + ["--db", database])
            XCTAssertEqual(result.status, 3, "\(command)")
            XCTAssertTrue(result.stderr.hasPrefix("netrun: \(database): written by a newer netrun (netrun 9.0.0 recorded its "
                                                  + "latest run): its schema has migration '900-from-the-future'"), result.stderr)
            XCTAssertTrue(result.stderr.contains("(this is netrun "), result.stderr)
        }
        XCTAssertEqual(try DatabaseQueue(path: database).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") }, 1)
    }

    func testReadingADatabaseFromAnOlderNetrunUpgradesItWhenItCanBeWritten() throws {
        // A database as netrun 0.1 left it: migrations up to 003, one run.
        try FileManager.default.createDirectory(atPath: path("runs"), withIntermediateDirectories: true)
        try Schema.migrator.migrate(try DatabaseQueue(path: database), upTo: "003-checkpoints")
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_hash, seed, netrun_version, status)
                VALUES ('old', 'old.yaml', 'x', 'h', 0, '0.1.0', 'finished')
                """)
        }
        let listed = try CLIRunner.run(["runs", "--db", database])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("old"), listed.stdout)
        XCTAssertEqual(try DatabaseQueue(path: database).read { db in try Schema.migrator.hasCompletedMigrations(db) }, true)
    }

    // MARK: - Output files

    func testExportWritesThroughASymlinkAndKeepsIt() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        let target = path("target.safetensors"), link = path("link.safetensors")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.safetensors")
        for _ in 0..<2 {  // first through a link to nothing yet, then over the target it made
            let result = try CLIRunner.run(["export", "1", "-o", link, "--db", database])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(fileType(link), .typeSymbolicLink)
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "target.safetensors")
            XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: target)).count, 100)
        }
        // /proc/self/fd/1 rather than /dev/stdout: a netrun that renamed over it could not replace it.
        let stdout = try CLIRunner.run(["export", "1", "-o", "/proc/self/fd/1", "--db", database])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        XCTAssertTrue(stdout.stdout.contains("\"__metadata__\""), "the file went down the pipe")
    }

    func testExportToAFullDeviceFailsCleanlyAndKeepsTheDevice() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        let full = try device("full", minor: 7)
        let result = try CLIRunner.run(["export", "1", "-o", full, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: cannot write \(full): no space left on device\n")
        XCTAssertEqual(fileType(full), .typeCharacterSpecial)
    }

    func testPlotWritesIntoAFIFOForItsReader() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        let fifo = path("plot.svg")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let reader = try CLIRunner.Reader(fifo)
        let result = try CLIRunner.run(["plot", "1", "-o", fifo, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(reader.finish().hasPrefix("<?xml"))
        var status = stat()
        XCTAssertEqual(lstat(fifo, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
    }

    func testOutputErrorsArePlainSentences() throws {
        XCTAssertEqual(try trainXOR().status, 0)
        let file = path("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let underFile = try CLIRunner.run(["export", "1", "-o", file + "/w.safetensors", "--db", database])
        XCTAssertEqual(underFile.status, 2)
        XCTAssertEqual(underFile.stderr, "netrun: cannot write \(file)/w.safetensors: not a directory\n")
        try FileManager.default.createDirectory(atPath: path("dir.svg"), withIntermediateDirectories: false)
        let intoFolder = try CLIRunner.run(["plot", "1", "-o", path("dir.svg"), "--db", database])
        XCTAssertEqual(intoFolder.status, 2)
        XCTAssertEqual(intoFolder.stderr, "netrun: cannot write \(path("dir.svg")): it is a folder; give a file name inside it\n")
        let npyOverFile = try CLIRunner.run(["export", "1", "--format", "npy", "-o", file, "--db", database])
        XCTAssertEqual(npyOverFile.status, 2)
        XCTAssertFalse(npyOverFile.stderr.contains("Error Domain"), npyOverFile.stderr)
    }

    // MARK: - Command line and display

    func testANegativeRunIDIsAUsageErrorSayingIDsArePositive() throws {
        for command in [["show", "-1"], ["export", "-3", "-o", "x.safetensors"], ["plot", "1", "-2", "-o", "x.svg"]] {
            let result = try CLIRunner.run(command + ["--db", database])
            XCTAssertEqual(result.status, 64, "\(command)")
            XCTAssertTrue(result.stderr.hasPrefix("netrun: run ids are positive integers, got -"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testRunNamesAreStoredExactlyAndShownEscaped() throws {
        let config = path("named.yaml")
        let text = try String(contentsOfFile: "configs/xor-softmax.yaml", encoding: .utf8)
        try ("name: \"two\\nlines \\e[31mred\\t\"\n" + text.replacingOccurrences(of: "name: xor-softmax", with: ""))
            .write(toFile: config, atomically: true, encoding: .utf8)
        let trained = try CLIRunner.run([config, "training.epochs=2", "--db", database])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.hasPrefix("netrun two\\nlines \\u{1B}[31mred\\t: "), trained.stdout)
        XCTAssertEqual(try RunStore(readingAt: database).summary(runID: 1)?.name, "two\nlines \u{1B}[31mred\t")

        let runs = try CLIRunner.run(["runs", "--db", database])
        XCTAssertEqual(runs.stdout.split(separator: "\n").count, 2, runs.stdout)
        XCTAssertTrue(runs.stdout.contains(" 1  two\\nlines \\u{1B}[31mred\\t  finished"), runs.stdout)
        let show = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertTrue(show.stdout.hasPrefix("run 1: two\\nlines \\u{1B}[31mred\\t, finished\n"), show.stdout)
        for output in [trained.stdout, runs.stdout, show.stdout] {
            XCTAssertFalse(output.unicodeScalars.contains("\u{1B}"), "no escape sequence reaches the terminal")
        }
    }

    func testConfigAndInputPathsThatAreNotFilesSayWhatTheyAre() throws {
        let folder = try CLIRunner.run([directory.path, "--db", database])
        XCTAssertEqual(folder.status, 2)
        XCTAssertEqual(folder.stderr, "netrun: \(directory.path) is a folder, not a file\n")
        let device = try CLIRunner.run(["/dev/null", "--db", database])
        XCTAssertEqual(device.status, 2)
        XCTAssertEqual(device.stderr, "netrun: /dev/null is not a regular file (a device, FIFO or socket)\n")
        let bad = path("bad.yaml")
        try Data("name: x\nseed: \u{1}".utf8 + [0xC3, 0x28]).write(to: URL(fileURLWithPath: bad))
        let utf8 = try CLIRunner.run([bad, "--db", database])
        XCTAssertEqual(utf8.status, 2)
        XCTAssertEqual(utf8.stderr, "netrun: \(bad):2:8: invalid UTF-8 at byte 15 (0xC3); configs are UTF-8 text\n")

        XCTAssertEqual(try trainXOR().status, 0)
        let predict = try CLIRunner.run(["predict", "1", "/dev/null", "--db", database])
        XCTAssertEqual(predict.status, 2)
        XCTAssertTrue(predict.stderr.contains("/dev/null: is not a regular file") || predict.stderr.contains("/dev/null is not a regular file"),
                      predict.stderr)
        let inputs = path("inputs.csv"), link = path("link.csv")
        try "0,1\n1,1\n".write(toFile: inputs, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inputs)
        let throughLink = try CLIRunner.run(["predict", "1", link, "--db", database])
        XCTAssertEqual(throughLink.status, 0, "a link to a file is a file: \(throughLink.stderr)")
        let empty = try trainXOR(["training.epochs="])
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("training.epochs: empty value; write training.epochs=VALUE"), empty.stderr)
    }
}

extension CLIRunner {
    /// Reads a FIFO to its end on another thread, as a process at the other end of a pipe would.
    ///
    /// The reader holds a write end of its own until `finish()`, so it neither blocks opening the
    /// FIFO nor sees an end before netrun has written; if netrun never opens the FIFO, `finish()`
    /// returns nothing instead of hanging.
    final class Reader: @unchecked Sendable {  // `data` is written once, before `done` is left
        private var data = Data()
        private let done = DispatchGroup()
        private let writeEnd: Int32

        init(_ path: String) throws {
            let readEnd = open(path, O_RDONLY | O_NONBLOCK)
            writeEnd = open(path, O_WRONLY | O_NONBLOCK)
            guard readEnd >= 0, writeEnd >= 0 else { throw CocoaError(.fileReadUnknown) }
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) & ~O_NONBLOCK)
            done.enter()
            DispatchQueue.global().async { [self] in
                data = FileHandle(fileDescriptor: readEnd, closeOnDealloc: true).readDataToEndOfFile()
                done.leave()
            }
        }

        func finish() -> String {
            close(writeEnd)
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
