import Foundation
import NetrunStore
import XCTest

/// Stopping netrun from outside: Ctrl-C, SIGTERM and kill -9, then `netrun resume`.
final class InterruptTests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Long enough to be stopped midway in a debug build: a checkpoint every epoch.
    private func writeConfig(epochs: Int) throws -> String {
        let path = directory.appendingPathComponent("long.yaml").path
        try """
            name: long
            seed: 4
            data: {synthetic: {kind: spiral, classes: 3, per_class: 300}}
            model: {layers: [{dense: {units: 64, activation: relu}}, {dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, momentum: 0.9, batch_size: 10, epochs: \(epochs), log_every: 1, checkpoint_every: 1}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Waits until run 1 has a checkpoint past `step`, reading the database as sqlite3 would.
    private func waitForCheckpoint(pastStep step: Int, timeout: Double = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: database),
               let saved = try? RunStore(path: database).checkpoint(runID: 1), saved.checkpoint.progress.step > step {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("no checkpoint within \(timeout) s")
    }

    func testCtrlCCheckpointsMarksInterruptedAndResumeFinishesIdentically() throws {
        let config = try writeConfig(epochs: 20)
        let running = try CLIRunner.start([config, "--db", database, "--quiet"])
        try waitForCheckpoint(pastStep: 0)
        running.signal(SIGINT)
        let stopped = running.finish()
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("continue with: netrun resume 1 --db \(database)"), stopped.stderr)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .interrupted)

        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let whole = try CLIRunner.run([config, "--db", database, "--quiet"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertEqual(try store.weights(runID: 1), try store.weights(runID: 2), "stopped and resumed = never stopped")
    }

    func testSIGTERMExits143() throws {
        let running = try CLIRunner.start([try writeConfig(epochs: 60), "--db", database, "--quiet"])
        try waitForCheckpoint(pastStep: 0)
        running.signal(SIGTERM)
        XCTAssertEqual(running.finish().status, 143)
        XCTAssertEqual(try RunStore(path: database).summary(runID: 1)?.status, .interrupted)
    }

    func testKillNineLeavesAnOpenableDatabaseAndALoadableCheckpoint() throws {
        let config = try writeConfig(epochs: 20)
        let running = try CLIRunner.start([config, "--db", database, "--quiet"])
        try waitForCheckpoint(pastStep: 90)
        running.signal(SIGKILL)
        XCTAssertEqual(running.finish().status, SIGKILL)

        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .running, "nobody could mark it")
        let saved = try XCTUnwrap(try store.checkpoint(runID: 1))
        XCTAssertEqual(saved.checkpoint.parameters.map(\.count), [128, 64, 192, 3])
        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try CLIRunner.run([config, "--db", database, "--quiet"]).status, 0)
        XCTAssertEqual(try store.weights(runID: 1), try store.weights(runID: 2))
    }
}
