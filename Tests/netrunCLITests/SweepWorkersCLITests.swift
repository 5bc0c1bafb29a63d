import Foundation
import NetrunStore
import XCTest

/// `netrun sweep` processes sharing one database, killed and run again, and grids too big to list.
final class SweepWorkersCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// 9 trials of 18 steps each (60 training points in batches of 20, 6 epochs), a checkpoint
    /// at the end of every epoch: steps 3, 6, 9, …
    private let spiral = """
        name: spiral
        seed: 3
        data:
          synthetic: {kind: spiral, classes: 3, per_class: 30}
          split: {val: 30}
        model: {layers: [{dense: {units: 8, activation: relu}}, {dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 20, epochs: 6}
        sweep:
          grid:
            training.learning_rate: [0.01, 0.1, 0.5]
            training.reg: [0, 0.001, 0.01]

        """

    private func write(_ text: String, as name: String = "sweep.yaml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Starts netrun with the test hook set to `stopAt` (`N[:SIGNAL]`) for that process only.
    private func start(_ arguments: [String], stopAt: String? = nil) throws -> CLIRunner.Running {
        if let stopAt { setenv("NETRUN_TEST_STOP_AT_STEP", stopAt, 1) }
        defer { unsetenv("NETRUN_TEST_STOP_AT_STEP") }
        return try CLIRunner.start(arguments)
    }

    /// The answer of `sqlite3 DATABASE QUERY`: the database as anyone else reads it.
    private func sql(_ query: String, _ path: String? = nil) throws -> String {
        let process = Process(), out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: process.executableURL!.path) else {
            throw XCTSkip("needs /usr/bin/sqlite3")
        }
        process.arguments = [path ?? database, query]
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func bestLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("best: trial ") }.map(String.init)
    }

    func testTwoSweepsOnOneDatabaseShareTheTrialsAndNameTheSameBest() throws {
        let path = try write(spiral)
        // Create the database first, so the two processes race for trials, not for the migrations.
        _ = try RunStore(path: database)
        let first = try start(["sweep", path, "--db", database, "--jobs", "1"])
        let second = try start(["sweep", path, "--db", database, "--jobs", "2"])
        let results = [first.finish(), second.finish()]
        for result in results { XCTAssertEqual(result.status, 0, result.stderr) }

        XCTAssertEqual(try sql("SELECT count(*) FROM runs"), "9", "each trial ran once")
        XCTAssertEqual(try sql("SELECT count(DISTINCT run_id) FROM trials WHERE status = 'done'"), "9")
        XCTAssertEqual(try sql("SELECT count(*) FROM runs WHERE status = 'running'"), "0")
        XCTAssertEqual(try sql("SELECT status FROM sweeps"), "finished")
        let best = try sql("SELECT best_trial FROM sweeps")
        let lines = results.map { bestLine($0.stdout) }
        XCTAssertEqual(lines[0], lines[1], "both name the winner")
        XCTAssertTrue(lines[0]?.hasPrefix("best: trial \(best) (") ?? false, "\(lines[0] ?? "no best line"), database: \(best)")
        XCTAssertEqual(try sql("SELECT count(*) FROM checkpoints"), "1", "only the best keeps its checkpoint")
        XCTAssertEqual(try sql("PRAGMA integrity_check"), "ok")
    }

    func testASweepTakesOverTheTrialOfAProcessKilledBesideIt() throws {
        let path = try write(spiral)
        _ = try RunStore(path: database)
        let doomed = try start(["sweep", path, "--db", database, "--jobs", "1"], stopAt: "10:KILL")
        let survivor = try start(["sweep", path, "--db", database, "--jobs", "1"])
        let (lost, kept) = (doomed.finish(), survivor.finish())
        XCTAssertEqual(kept.status, 0, kept.stderr)
        if lost.status == SIGKILL {
            // It died holding a trial at step 10; the survivor waited for it if need be, then took
            // the trial over from its checkpoint at step 9.
            XCTAssertTrue(kept.stdout.contains(", continued from step 9)"), kept.stdout)
        } else {
            XCTAssertEqual(lost.status, 0, "the survivor ran every trial before it could claim one: \(lost.stderr)")
        }
        XCTAssertEqual(try sql("SELECT count(*), sum(status = 'running') FROM runs"), "9|0")
        XCTAssertEqual(try sql("SELECT status FROM sweeps"), "finished")
        XCTAssertTrue(bestLine(kept.stdout)?.hasPrefix("best: trial \(try sql("SELECT best_trial FROM sweeps")) (") ?? false,
                      kept.stdout)
        XCTAssertEqual(try sql("SELECT count(*) FROM checkpoints"), "1")
        XCTAssertEqual(try sql("PRAGMA integrity_check"), "ok")
    }

    func testAKilledSweepContinuesItsTrialsFromTheirCheckpoints() throws {
        let path = try write(spiral)
        let killed = try start(["sweep", path, "--db", database, "--jobs", "1"], stopAt: "8:KILL").finish()
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertEqual(try sql("SELECT id, status FROM runs"), "1|running", "nobody could mark it")
        XCTAssertEqual(try sql("SELECT run_id, step FROM checkpoints"), "1|6")

        let again = try CLIRunner.run(["sweep", path, "--db", database, "--jobs", "1"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("finished (run 1, continued from step 6)"), again.stdout)
        XCTAssertEqual(try sql("SELECT count(*), sum(status = 'running') FROM runs"), "9|0")
        XCTAssertEqual(try sql("SELECT count(*) FROM checkpoints"), "1", "only the best keeps its checkpoint")
        XCTAssertEqual(try sql("PRAGMA integrity_check"), "ok")

        let whole = directory.appendingPathComponent("whole.sqlite").path
        let reference = try CLIRunner.run(["sweep", path, "--db", whole, "--jobs", "1"])
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertEqual(bestLine(again.stdout)?.replacingOccurrences(of: database, with: ""),
                       bestLine(reference.stdout)?.replacingOccurrences(of: whole, with: ""))
        XCTAssertEqual(try RunStore(path: database).weights(runID: 1), try RunStore(path: whole).weights(runID: 1),
                       "the continued trial ends exactly as an uninterrupted one")
    }

    func testATrialKilledBeforeItsFirstCheckpointStartsAgainInItsOwnRun() throws {
        let path = try write(spiral)
        let killed = try start(["sweep", path, "--db", database, "--jobs", "2"], stopAt: "2:KILL").finish()
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertEqual(try sql("SELECT count(*) FROM checkpoints"), "0")

        let again = try CLIRunner.run(["sweep", path, "--db", database, "--jobs", "2"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("started again from step 0)"), again.stdout)
        XCTAssertEqual(try sql("SELECT count(*), sum(status = 'running') FROM runs"), "9|0", "no second run for it")
        XCTAssertEqual(try sql("SELECT count(*) FROM metrics WHERE step = 0"), String(9 * 5), "step 0 logged once per run")  // loss and accuracy of train and val, and lr
        XCTAssertEqual(try sql("PRAGMA integrity_check"), "ok")
    }

    func testAMillionTrialGridStartsAtOnceAndSaysItsSize() throws {
        let thousand = "[" + (1...1000).map { "\(Double($0) / 1000)" }.joined(separator: ", ") + "]"
        let path = try write(spiral.replacingOccurrences(of: "[0.01, 0.1, 0.5]", with: thousand)
            .replacingOccurrences(of: "[0, 0.001, 0.01]", with: thousand))
        let clock = ContinuousClock(), start = clock.now
        let stopped = try self.start(["sweep", path, "--db", database, "--jobs", "1"], stopAt: "1").finish()
        // Listing the grid took minutes and gigabytes; planning it lazily takes about a second.
        XCTAssertLessThan((clock.now - start) / .seconds(1), 60)
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stdout.hasPrefix("netrun sweep spiral: 1000000 trials over training.learning_rate × training.reg"),
                      stopped.stdout)
        XCTAssertEqual(try sql("SELECT trial_count, status FROM sweeps"), "1000000|interrupted")
        XCTAssertEqual(try sql("SELECT count(*) FROM trials"), "1000", "the first thousand listed, the rest as claimed")
        XCTAssertEqual(try sql("SELECT count(*), min(status) FROM runs"), "1|interrupted")
    }

    func testAGridBeyondTenMillionTrialsIsRefusedWithItsSize() throws {
        let hundred = "[" + (1...100).map(String.init).joined(separator: ", ") + "]"
        let path = try write(spiral.replacingOccurrences(of: "    training.reg: [0, 0.001, 0.01]\n", with: """
                training.reg: \(hundred)
                training.epochs: \(hundred)
                seed: \(hundred)
                training.batch_size: \(hundred)

            """))
        let result = try CLIRunner.run(["sweep", path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: \(path):11:5: sweep.grid: the grid has 3 × 100 × 100 × 100 × 100 = 300000000 trials; "
                       + "a sweep runs at most 10000000: split it into several sweeps or sweep fewer values\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing written for a refused grid")
    }
}
