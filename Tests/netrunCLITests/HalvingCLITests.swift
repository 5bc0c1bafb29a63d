import Foundation
import XCTest

/// `netrun sweep` of a config with `sweep.halving`, run as the built binary.
final class HalvingCLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-halving-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Six trials, rungs at 1, 2 and 4 epochs: 6 → 3 → 2 trials.
    private let sweep = """
        name: blobs
        seed: 3
        data:
          synthetic: {kind: blobs, classes: 3, per_class: 40, dimensions: 2, spread: 2}
          split: {val: 30}
          preprocess: {standardize: true}
        model: {layers: [{dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 10, epochs: 4}
        sweep:
          grid:
            training.learning_rate: [0.001, 0.01, 0.1]
            training.reg: [0, 0.01]
          halving: {min_epochs: 1, factor: 2}

        """

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Halving over a random search: six draws, rungs at 1, 2 and 4 epochs.
    func testHalvingPrunesARandomSearchToo() throws {
        let random = sweep.replacingOccurrences(of: """
              grid:
                training.learning_rate: [0.001, 0.01, 0.1]
                training.reg: [0, 0.01]
            """, with: """
              random: {trials: 6, training.learning_rate: {log_uniform: [0.001, 0.1]}}
            """)
        XCTAssertTrue(random.contains("random:"))
        try random.write(toFile: path("r.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["sweep", path("r.yaml"), "--db", path("r.sqlite")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("successive halving: rungs at 1, 2, 4 epochs"), result.stdout)
        XCTAssertTrue(result.stdout.contains("; 4 pruned"), result.stdout)

        let lengths = random.replacingOccurrences(of: "training.learning_rate: {log_uniform: [0.001, 0.1]}",
                                                  with: "training.epochs: {int_uniform: [4, 8]}")
        try lengths.write(toFile: path("e.yaml"), atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["sweep", path("e.yaml"), "--db", path("e.sqlite")])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("training.epochs cannot be swept with it"), refused.stderr)
    }

    func testHalvingSweepPrintsEachRungItsPromotionsAndThePrunedTrials() throws {
        try sweep.write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("a.sqlite"), "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[1], "  successive halving: rungs at 1, 2, 4 epochs, the best 1/2 by val_accuracy continue")
        XCTAssertEqual(lines.filter { $0.contains("rung of 1 epoch done (run") }.count, 6, result.stdout)
        XCTAssertEqual(lines.filter { $0.contains("rung of 2 epochs done (run") }.count, 3, result.stdout)
        XCTAssertEqual(lines.filter { $0.contains("finished (run") }.count, 2, result.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("  rung of 1 epoch: trials ") && $0.hasSuffix(" continue, 3 pruned") }.count, 1,
                       result.stdout)
        XCTAssertEqual(lines.filter { $0.hasPrefix("  rung of 2 epochs: trials ") && $0.hasSuffix(" continue, 1 pruned") }.count, 1,
                       result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("best: trial ") && $0.hasSuffix("; 4 pruned") }, result.stdout)

        let again = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("a.sqlite")])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("resuming: 6 of 6 trials done earlier are not run again"), again.stdout)
        XCTAssertEqual(again.stdout.components(separatedBy: "pruned at 1 epoch earlier (run").count - 1, 3, again.stdout)
        XCTAssertEqual(again.stdout.components(separatedBy: "pruned at 2 epochs earlier (run").count - 1, 1, again.stdout)

        // netrun runs names a pruned trial's run pruned (it is `interrupted` in the store), and filters by it.
        let listed = try CLIRunner.run(["runs", "--db", path("a.sqlite")])
        XCTAssertEqual(listed.stdout.components(separatedBy: " pruned ").count - 1, 4, listed.stdout)
        XCTAssertFalse(listed.stdout.contains(" interrupted "), listed.stdout)
        let pruned = try CLIRunner.run(["runs", "--status", "pruned", "--json", "--db", path("a.sqlite")])
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(pruned.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.map { $0["status"] as? String }, Array(repeating: "pruned", count: 4))
        let interrupted = try CLIRunner.run(["runs", "--status", "interrupted", "--db", path("a.sqlite")])
        XCTAssertEqual(interrupted.stdout, "no runs in \(path("a.sqlite")) match\n")
    }

    func testAHalvingSweepStoppedOrKilledInItsSecondRungContinuesToTheSameResult() throws {
        try sweep.write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        // 9 steps an epoch: step 13 falls in the second rung (epoch 2) of the first promoted trial.
        func summary(_ database: String) throws -> String {
            let again = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path(database)])
            XCTAssertEqual(again.status, 0, again.stderr)
            return again.stdout.replacingOccurrences(of: path(database), with: "DB")
        }
        let whole = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("whole.sqlite"), "--jobs", "1"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        for stop in ["13", "13:KILL"] {
            let database = "stopped-\(stop).sqlite"
            let stopped = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path(database), "--jobs", "1"],
                                            environment: ["NETRUN_TEST_STOP_AT_STEP": stop])
            XCTAssertNotEqual(stopped.status, 0, stopped.stdout)
            XCTAssertTrue(stopped.stdout.contains("rung of 1 epoch: trials "), stopped.stdout)
            let continued = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path(database), "--jobs", "1"])
            XCTAssertEqual(continued.status, 0, continued.stderr)
            XCTAssertEqual(try summary(database), try summary("whole.sqlite"), stop)
        }
    }

    func testHalvingShardsRunTheFirstRungAndTheMergedDatabaseContinues() throws {
        try sweep.write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        for index in 0..<2 {
            let shard = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("shard-\(index).sqlite"), "--shard", "\(index)/2"])
            XCTAssertEqual(shard.status, 0, shard.stderr)
            XCTAssertTrue(shard.stdout.contains("shard \(index)/2: first rung done; merge the shards"), shard.stdout)
            XCTAssertEqual(shard.stdout.components(separatedBy: "rung of 1 epoch done").count - 1, 3, shard.stdout)
        }
        let merge = try CLIRunner.run(["merge", path("shard-0.sqlite"), path("shard-1.sqlite"), "-o", path("merged.sqlite")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let merged = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("merged.sqlite")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let whole = try CLIRunner.run(["sweep", path("s.yaml"), "--db", path("whole.sqlite")])
        func best(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("best: trial ") }.map { String($0.prefix { $0 != "(" }) }
        }
        XCTAssertNotNil(best(whole.stdout), whole.stdout)
        XCTAssertEqual(best(merged.stdout), best(whole.stdout), merged.stdout)
    }
}
