import Foundation
import NetrunStore
import XCTest

/// What reaches a pipe while a run trains, and what happens when the pipe or terminal goes away.
final class LiveOutputTests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("live.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// 9 steps an epoch, a table row and a checkpoint every epoch (steps 0, 9, 18, 27, …).
    private func writeConfig(epochs: Int = 30) throws -> String {
        let path = directory.appendingPathComponent("live.yaml").path
        try """
            name: live
            seed: 2
            data: {synthetic: {kind: spiral, classes: 3, per_class: 30}}
            model: {layers: [{dense: {units: 16, activation: tanh}}, {dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, batch_size: 10, epochs: \(epochs), log_every: 1}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTableRowsReachAPipeWhileTrainingRuns() throws {
        let paused = try PausedRun([try writeConfig(), "--db", database], stopAt: 20)
        XCTAssertTrue(paused.waitUntilStopped())
        // Stopped after step 20: the header and the rows of steps 0, 9 and 18 are already in the
        // pipe, not in a buffer that reaches it when the process exits.
        let lines = paused.outputSoFar().split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("netrun live: 2 → dense 16") ?? false, "\(lines)")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("   epoch     step") }, "\(lines)")
        XCTAssertEqual(lines[(header + 1)...].map { $0.split(separator: " ").prefix(2).joined(separator: " ") },
                       ["0 0", "1 9", "2 18"], lines.joined(separator: "\n"))
        paused.signal(SIGCONT)
        let finished = paused.finish()
        XCTAssertEqual(finished.status, 0, finished.stderr)
        XCTAssertTrue(finished.stdout.contains("finished: "), finished.stdout)
    }

    func testSweepRowsReachAPipeAsTrialsFinish() throws {
        // Trial 0 trains 1 epoch (9 steps), trial 1 three; the pause at step 20 falls in trial 1.
        let path = try writeConfig()
        try (String(contentsOfFile: path, encoding: .utf8)
             + "\nsweep:\n  metric: train_loss\n  grid:\n    training.epochs: [1, 3]\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let paused = try PausedRun(["sweep", path, "--jobs", "1", "--db", database], stopAt: 20)
        XCTAssertTrue(paused.waitUntilStopped())
        let lines = paused.outputSoFar().split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("netrun sweep live: 2 trials") ?? false, "\(lines)")
        XCTAssertEqual(lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("0 ") }.count, 1,
                       "trial 0's row is in the pipe while trial 1 trains: \(lines)")
        paused.signal(SIGCONT)
        let finished = paused.finish()
        XCTAssertEqual(finished.status, 0, finished.stderr)
    }

    func testAClosedPipeStopsTheRunAtTheNextRowWithACheckpoint() throws {
        let paused = try PausedRun([try writeConfig(), "--db", database], stopAt: 20)
        XCTAssertTrue(paused.waitUntilStopped())
        XCTAssertFalse(paused.outputSoFar().isEmpty)
        paused.closeOutput()  // as `netrun … | head -5` once head has its lines
        paused.signal(SIGCONT)
        let stopped = paused.finish()
        XCTAssertEqual(stopped.status, 141, "128 + SIGPIPE, not killed by it: \(stopped.stderr)")
        XCTAssertTrue(stopped.stderr.contains("standard output was closed; stopping after this step"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("continue with: netrun resume 1"), stopped.stderr)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .interrupted)
        XCTAssertEqual(try store.checkpoint(runID: 1)?.checkpoint.progress.step, 27, "the row after the pause failed")
    }

    func testAHangupStopsTheRunWithACheckpoint() throws {
        let paused = try PausedRun([try writeConfig(epochs: 3000), "--db", database, "--quiet"], stopAt: 20)
        XCTAssertTrue(paused.waitUntilStopped())
        paused.signal(SIGHUP)  // the terminal closed; it is handled once the process goes on
        paused.signal(SIGCONT)
        let stopped = paused.finish()
        XCTAssertEqual(stopped.status, 129, stopped.stderr)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .interrupted)
        XCTAssertNotNil(try store.checkpoint(runID: 1))
    }

    func testAFileSizeLimitOnTheLogStopsTheRunInsteadOfKillingIt() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else { throw XCTSkip("needs prlimit") }
        // `ulimit -f` with the log nearly at the limit: a row soon crosses it, long before the
        // database (much smaller) would.
        let limit = 4 << 20
        let log = directory.appendingPathComponent("log.txt")
        try Data(count: limit - 400).write(to: log)
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        let process = Process(), errors = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--fsize=\(limit)", CLIRunner.binary.path, try writeConfig(), "--db", database]
        process.standardOutput = handle
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try handle.close()

        XCTAssertEqual(process.terminationReason, .exit, "not killed by SIGXFSZ")
        XCTAssertEqual(process.terminationStatus, 153, stderr)
        XCTAssertTrue(stderr.contains("standard output reached the file size limit; stopping after this step"), stderr)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .interrupted)
        XCTAssertNotNil(try store.checkpoint(runID: 1))
    }
}
