import Foundation
import NetrunStore
import XCTest

/// Stopping netrun from outside: Ctrl-C, SIGTERM, a hangup, a closed pipe, a file size limit and
/// kill -9, then `netrun resume`. The stops come from the test hook (NETRUN_TEST_STOP_AT_STEP), so
/// each lands at an exact step however fast the machine is.
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

    /// 30 steps an epoch, 180 in all; a checkpoint every `checkpointEvery` epochs (at step 30, 60, …).
    private func writeConfig(checkpointEvery: Int = 1) throws -> String {
        let path = directory.appendingPathComponent("long.yaml").path
        try """
            name: long
            seed: 4
            data: {synthetic: {kind: spiral, classes: 3, per_class: 100}}
            model: {layers: [{dense: {units: 32, activation: relu}}, {dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, momentum: 0.9, batch_size: 10, epochs: 6, log_every: 1,
                       checkpoint_every: \(checkpointEvery)}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func stopAt(_ step: Int, _ signal: String? = nil) -> [String: String] {
        ["NETRUN_TEST_STOP_AT_STEP": signal.map { "\(step):\($0)" } ?? "\(step)"]
    }

    /// Run 1 resumed to the end equals run 2, the same config never stopped: weights and every metric.
    private func assertResumedEqualsUninterrupted(_ config: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> CLIRunner.Result {
        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr, file: file, line: line)
        let whole = try CLIRunner.run([config, "--db", database, "--quiet"])
        XCTAssertEqual(whole.status, 0, whole.stderr, file: file, line: line)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .finished, file: file, line: line)
        XCTAssertEqual(try store.weights(runID: 1), try store.weights(runID: 2), "stopped and resumed = never stopped",
                       file: file, line: line)
        XCTAssertEqual(try store.metrics(runID: 1).map { "\($0)" }, try store.metrics(runID: 2).map { "\($0)" },
                       file: file, line: line)
        return resumed
    }

    func testCtrlCStopsAtTheStepWithACheckpointAndResumeFinishesIdentically() throws {
        let config = try writeConfig()
        let stopped = try CLIRunner.run([config, "--db", database, "--quiet"], environment: stopAt(40))
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("continue with: netrun resume 1 --db \(database)"), stopped.stderr)
        let store = try RunStore(path: database)
        let run = try XCTUnwrap(store.summary(runID: 1))
        XCTAssertEqual(run.status, .interrupted)
        XCTAssertEqual(run.steps, 40)
        XCTAssertEqual(try store.checkpoint(runID: 1)?.checkpoint.progress.step, 40, "checkpointed where it stopped")
        try assertResumedEqualsUninterrupted(config)
    }

    func testTermHangupClosedPipeAndFileSizeLimitStopLikeCtrlCWithTheirExitCodes() throws {
        let config = try writeConfig()
        for (signal, status) in [("TERM", 143), ("HUP", 129), ("PIPE", 141), ("XFSZ", 153)] {
            let database = directory.appendingPathComponent("\(signal).sqlite").path
            let stopped = try CLIRunner.run([config, "--db", database], environment: stopAt(40, signal))
            XCTAssertEqual(stopped.status, Int32(status), "\(signal): \(stopped.stderr)")
            let store = try RunStore(path: database)
            XCTAssertEqual(try store.summary(runID: 1)?.status, .interrupted, signal)
            XCTAssertEqual(try store.checkpoint(runID: 1)?.checkpoint.progress.step, 40, signal)
        }
    }

    func testKillNineLeavesAStaleRunThatResumeFinishesIdentically() throws {
        let config = try writeConfig()
        let killed = try CLIRunner.run([config, "--db", database, "--quiet"], environment: stopAt(70, "KILL"))
        XCTAssertEqual(killed.status, SIGKILL)

        let store = try RunStore(path: database)
        let run = try XCTUnwrap(store.summary(runID: 1))
        XCTAssertEqual(run.status, .running, "nobody could mark it")
        XCTAssertTrue(run.isStale)
        XCTAssertEqual(try store.checkpoint(runID: 1)?.checkpoint.progress.step, 60, "the last one before the kill")
        let listed = try CLIRunner.run(["runs", "--db", database])
        XCTAssertTrue(listed.stdout.split(separator: "\n").last?.contains(" long  stale ") ?? false, listed.stdout)
        XCTAssertTrue(try CLIRunner.run(["runs", "--db", database, "--status", "stale"]).stdout.contains("stale"))
        XCTAssertTrue(try CLIRunner.run(["runs", "--db", database, "--status", "running"]).stdout.hasPrefix("no runs"))
        let shown = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertTrue(shown.stdout.hasPrefix("run 1: long, stale\n"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("is gone"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("continue it with: netrun resume 1 --db \(database)"), shown.stdout)
        XCTAssertTrue(try CLIRunner.run(["show", "1", "--db", database, "--json"]).stdout.contains(#""status":"stale""#))

        try assertResumedEqualsUninterrupted(config)
    }

    func testARunKilledBeforeItsFirstCheckpointStartsOverFromStepZeroSayingSo() throws {
        let config = try writeConfig(checkpointEvery: 3)  // the first at step 90
        let killed = try CLIRunner.run([config, "--db", database, "--quiet"], environment: stopAt(20, "KILL"))
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertNil(try RunStore(path: database).checkpoint(runID: 1))

        let resumed = try assertResumedEqualsUninterrupted(config)
        XCTAssertTrue(resumed.stderr.contains("run 1 stopped before its first checkpoint; training it again from step 0"),
                      resumed.stderr)
    }

    func testResumingARunItsProcessStillTrainsIsRefusedNamingThatProcess() throws {
        let config = try writeConfig()
        let paused = try PausedRun([config, "--db", database, "--quiet"], stopAt: 40)
        XCTAssertTrue(paused.waitUntilStopped())
        let refused = try CLIRunner.run(["resume", "1", "--db", database])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("run 1 (long) is being trained by pid \(paused.pid) on "), refused.stderr)
        XCTAssertTrue(try CLIRunner.run(["runs", "--db", database]).stdout.contains(" running "))

        paused.signal(SIGKILL)
        XCTAssertEqual(paused.finish().status, SIGKILL)
        try assertResumedEqualsUninterrupted(config)
    }
}
