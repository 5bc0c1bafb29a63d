import Foundation
import GRDB
import NetrunStore
import XCTest

/// Commands that only read: a missing database is an error, never created; `NETRUN_DB`; `--json` and `predict -`.
final class ReadingCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-reading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testReadingCommandsRefuseAMissingDatabaseAndCreateNothing() throws {
        let missing = path("absent/folder/netrun.sqlite")
        let commands: [[String]] = [["runs"], ["show", "1"], ["plot", "1", "-o", path("p.svg")], ["export", "1", "-o", path("m.safetensors")],
                                    ["eval", "1"], ["predict", "1", "-"], ["weights", "1", "-o", path("w.png")]]
        for command in commands {
            let result = try CLIRunner.run(command + ["--db", missing])
            XCTAssertEqual(result.status, 3, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(missing): could not read the database: there is no database at this path"),
                          "\(command): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("absent")), "no folder was made")
    }

    func testNetrunDBSetsTheDatabaseOfEveryCommand() throws {
        let environment = ["NETRUN_DB": database]
        let trained = try CLIRunner.run(["configs/xor-softmax.yaml", "training.epochs=5", "--quiet"], environment: environment)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertEqual(try RunStore(readingAt: database).summaries().count, 1, "recorded in NETRUN_DB")
        let listed = try CLIRunner.run(["runs", "--json"], environment: environment)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["name"] as? String }, ["xor-softmax"])
        // --db still wins over NETRUN_DB.
        let other = try CLIRunner.run(["runs", "--db", path("other.sqlite")], environment: environment)
        XCTAssertEqual(other.status, 3)
        XCTAssertTrue(other.stderr.contains("other.sqlite: could not read the database"), other.stderr)
    }

    func testPredictReadsStandardInputAndPrintsJSONRows() throws {
        let trained = try CLIRunner.run(["configs/xor-softmax.yaml", "--db", database, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let inputs = "x1,x2\n0,1\n1,1\n"
        let fromFile = path("inputs.csv")
        try inputs.write(toFile: fromFile, atomically: true, encoding: .utf8)
        let expected = try CLIRunner.run(["predict", "1", fromFile, "--db", database])
        XCTAssertEqual(expected.status, 0, expected.stderr)

        let piped = try runWithInput(["predict", "1", "-", "--db", database], input: inputs)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, expected.stdout)

        let json = try runWithInput(["predict", "1", "-", "--db", database, "--json"], input: inputs)
        XCTAssertEqual(json.status, 0, json.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], json.stdout)
        XCTAssertEqual(rows.map { $0["class"] as? String }, ["1", "0"])
        XCTAssertEqual(Set(rows[0].keys), ["class", "p_0", "p_1"])
        XCTAssertGreaterThan(try XCTUnwrap(rows[0]["p_1"] as? Double), 0.5)

        let bad = try runWithInput(["predict", "1", "-", "--db", database], input: "0,1\n1,x\n")
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("standard input"), bad.stderr)
    }

    func testSweepJSONIsOneDocumentWithEveryTrialAndTheBest() throws {
        let config = path("sweep.yaml")
        try TinyConfigs.blobsSweep.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["sweep", config, "--db", database, "--json", "--jobs", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["sweep_id"] as? Int, 1)
        let trials = try XCTUnwrap(object["trials"] as? [[String: Any]])
        XCTAssertEqual(trials.compactMap { ($0["params"] as? [String: Any])?["training.learning_rate"] as? Double }, [0.01, 0.1])
        XCTAssertEqual(trials.map { $0["status"] as? String }, ["finished", "finished"])
        let best = try XCTUnwrap(object["best"] as? [String: Any])
        XCTAssertNotNil(best["run_id"] as? Int)
        XCTAssertNotNil(best["val_accuracy"] as? Double)
    }

    func testAResumedRunReportsTrainingTimeApartFromWallClockTime() throws {
        let stopped = try CLIRunner.run(["configs/xor-softmax.yaml", "--db", database, "--quiet"],
                                        environment: ["NETRUN_TEST_STOP_AT_STEP": "300"])
        XCTAssertNotEqual(stopped.status, 0, stopped.stderr)
        // An hour passes before the resume: moving the start back an hour is the same for the clock.
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "UPDATE runs SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '-1 hour')")
        }
        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains(" s this time; in all "), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains(" s training, 1 h 00 min wall-clock)"), resumed.stdout)

        let shown = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertTrue(shown.stdout.contains(" s over 1 h 00 min of wall-clock time (resumed); "), shown.stdout)
        let json = try CLIRunner.run(["show", "1", "--db", database, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let training = try XCTUnwrap(object["training_seconds"] as? Double)
        XCTAssertGreaterThan(training, 0)
        XCTAssertLessThan(training, 60, "the hour between the sessions is not training")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(object["seconds"] as? Double), 3600)

        // A run never resumed says one time, as before.
        XCTAssertEqual(try CLIRunner.run(["configs/xor-tanh.yaml", "--db", database, "--quiet"]).status, 0)
        let fresh = try CLIRunner.run(["show", "2", "--db", database])
        XCTAssertTrue(fresh.stdout.contains(", took "), fresh.stdout)
        XCTAssertFalse(fresh.stdout.contains("wall-clock"), fresh.stdout)
    }

    func testAKilledSessionCountsAsTrainingUntilItsLastHeartbeat() throws {
        let killed = try CLIRunner.run(["configs/xor-softmax.yaml", "--db", database, "--quiet"],
                                       environment: ["NETRUN_TEST_STOP_AT_STEP": "300:KILL"])
        XCTAssertEqual(killed.status, 9, killed.stderr)
        // The killed session trained a known 100 s: from its start to its last heartbeat.
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: """
                UPDATE runs SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours'),
                                heartbeat_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 hours', '+100 seconds')
                """)
        }
        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let run = try XCTUnwrap(try RunStore(readingAt: database).summary(runID: 1))
        let training = try XCTUnwrap(run.trainingSeconds)
        XCTAssertGreaterThanOrEqual(training, 100)
        XCTAssertLessThan(training, 160, "the gap after the kill is not training")
        XCTAssertNotNil(run.resumedAt)
    }

    /// Runs netrun with `input` on its standard input.
    private func runWithInput(_ arguments: [String], input: String) throws -> CLIRunner.Result {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLIRunner.repository
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // The outputs here are small: read after the process ends.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRunner.Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                                stderr: String(decoding: err, as: UTF8.self))
    }
}
