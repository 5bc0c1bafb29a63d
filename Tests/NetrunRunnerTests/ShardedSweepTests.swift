import Foundation
import GRDB
import NetrunConfig
import NetrunRunner
import NetrunStore
import XCTest

/// `netrun sweep --shard I/N` and `netrun merge`: shards of a sweep run into their own databases
/// and merge into one that answers as a one-machine sweep does.
final class ShardedSweepTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Noisy XOR, 2 × 3 grid, a few epochs; the lr of 50 diverges.
    private let grid = """
        name: grid
        seed: 2
        data:
          synthetic: {kind: xor, count: 120}
          split: {val: 40}
        model:
          layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 20, epochs: 4}
        sweep:
          grid:
            training.learning_rate: [0.05, 0.3, 50]
            training.reg: [0, 0.001]

        """

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func plan(_ overrides: [String] = []) throws -> SweepPlan {
        try SweepPlan(config: try ConfigLoader.decode(text: grid, path: "grid.yaml",
                                                      overrides: overrides.map(ConfigOverride.parse(argument:))))
    }

    @discardableResult
    private func sweep(into name: String, shard: SweepShard? = nil, _ overrides: [String] = []) throws -> SweepReport {
        try SweepRun.run(try plan(overrides), store: try RunStore(path: path(name)), jobs: 2, shard: shard)
    }

    /// Runs the grid as 3 shards into shard-0…2.sqlite.
    private func shards(_ indices: [Int] = [0, 1, 2]) throws -> [String] {
        try indices.map { index in
            try sweep(into: "shard-\(index).sqlite", shard: SweepShard(index: index, count: 3))
            return path("shard-\(index).sqlite")
        }
    }

    private func rows(_ path: String, _ sql: String) throws -> [[DatabaseValue]] {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
    }

    /// sweep_results without ids and durations, and each trial's weights (both kinds) and metrics.
    private func results(_ path: String) throws -> [[DatabaseValue]] {
        try rows(path, """
            SELECT sweep, trial, learning_rate, reg, status, train_accuracy, val_accuracy, test_accuracy, train_loss, val_loss,
                   best, assignment FROM sweep_results
            """)
    }

    private func trialRecords(_ path: String) throws -> [[DatabaseValue]] {
        try rows(path, """
            SELECT t.trial, w.kind, w.layer, w.name, w.shape, w.dtype, w.data FROM trials t JOIN weights w ON w.run_id = t.run_id
            ORDER BY t.trial, w.kind, w.layer, w.name
            """) + rows(path, """
            SELECT t.trial, m.step, m.split, m.name, m.value FROM trials t JOIN metrics m ON m.run_id = t.run_id
            ORDER BY t.trial, m.step, m.split, m.name
            """)
    }

    func testAShardRunsTrialsOfItsIndexModNAndListsTheWholeGrid() throws {
        let report = try sweep(into: "shard.sqlite", shard: SweepShard(index: 1, count: 3))
        XCTAssertEqual(report.outcomes.map(\.trial), [1, 4])
        XCTAssertEqual(report.unfinished, 0, "the shard's own trials are all done")
        let store = try RunStore(path: path("shard.sqlite"))
        let states = try store.trialStates(sweepID: report.sweepID)
        XCTAssertEqual(states.map(\.trial), Array(0..<6), "the listing is the whole grid's, for the merge")
        XCTAssertEqual(states.filter { $0.claim == .done }.map(\.trial), [1, 4])
        XCTAssertEqual(try rows(path("shard.sqlite"), "SELECT shard_index, shard_count, trial_count, status FROM sweeps"),
                       [[1.databaseValue, 3.databaseValue, 6.databaseValue, "finished".databaseValue]])

        let again = try sweep(into: "shard.sqlite", shard: SweepShard(index: 1, count: 3))
        XCTAssertEqual(again.sweepID, report.sweepID, "running the shard again continues it")
        XCTAssertTrue(again.outcomes.allSatisfy(\.skipped))
        XCTAssertEqual(try store.summaries().count, 2)
    }

    func testMergedShardsEqualTheOneMachineSweepBitForBit() throws {
        try sweep(into: "whole.sqlite")
        let merged = try RunStore(path: path("merged.sqlite"))
        let report = try merged.merge(databases: try shards())
        XCTAssertEqual(report.files.map(\.runsAdded), [2, 2, 2])
        XCTAssertEqual(report.sweeps.count, 1)
        XCTAssertEqual(report.sweeps.first?.missing, [])
        XCTAssertNil(report.sweeps.first?.missingDescription)

        XCTAssertEqual(try results(path("merged.sqlite")), try results(path("whole.sqlite")))
        XCTAssertEqual(try trialRecords(path("merged.sqlite")), try trialRecords(path("whole.sqlite")))
        let sweepColumns = "SELECT name, config_hash, trial_count, best_trial, status, shard_index FROM sweeps"
        XCTAssertEqual(try rows(path("merged.sqlite"), sweepColumns), try rows(path("whole.sqlite"), sweepColumns))
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT trial FROM trials t JOIN checkpoints c ON c.run_id = t.run_id"),
                       try rows(path("whole.sqlite"), "SELECT trial FROM trials t JOIN checkpoints c ON c.run_id = t.run_id"),
                       "only the best trial keeps its checkpoint, as on one machine")
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT id FROM runs ORDER BY id").map { $0[0] },
                       (1...6).map(\.databaseValue), "run ids renumbered densely")
    }

    func testMergingAShardTwiceAddsNothing() throws {
        let files = try shards()
        let merged = try RunStore(path: path("merged.sqlite"))
        _ = try merged.merge(databases: files)
        let before = try results(path("merged.sqlite")) + trialRecords(path("merged.sqlite"))
        let again = try merged.merge(databases: [files[1], files[1]])
        XCTAssertEqual(again.files.map(\.runsAdded), [0, 0])
        XCTAssertEqual(again.files.map(\.runsPresent), [2, 2])
        XCTAssertEqual(try results(path("merged.sqlite")) + trialRecords(path("merged.sqlite")), before)
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT count(*) FROM runs UNION ALL SELECT count(*) FROM sweeps"),
                       [[6.databaseValue], [1.databaseValue]])
    }

    func testMissingTrialsAreReportedAndTheMergedSweepCanBeCompleted() throws {
        let merged = try RunStore(path: path("merged.sqlite"))
        let report = try merged.merge(databases: try shards([0, 2]))
        let sweep = try XCTUnwrap(report.sweeps.first)
        XCTAssertEqual(sweep.missing, [1, 4])
        XCTAssertEqual(sweep.missingDescription, "trials 1, 4 of 6 are missing: shard 1/3 has not run them")
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT status FROM sweeps"), [["interrupted".databaseValue]])
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT count(*) FROM runs"), [[4.databaseValue]], "nothing invented")

        // The sweep run whole on the merged database runs only what is missing.
        let rest = try self.sweep(into: "merged.sqlite")
        XCTAssertEqual(rest.outcomes.filter { !$0.skipped }.map(\.trial), [1, 4])
        try self.sweep(into: "whole.sqlite")
        XCTAssertEqual(try results(path("merged.sqlite")), try results(path("whole.sqlite")))
    }

    func testAShardMergedHalfwayAndMergedAgainAfterItRanOnEqualsTheOneMachineSweep() throws {
        let steps = StepCounter(stopAfter: 10)  // trial 1 stops in its third epoch, after a checkpoint
        let shard = SweepShard(index: 1, count: 3)
        let stopped = try SweepRun.run(try plan(), store: try RunStore(path: path("shard-1.sqlite")), jobs: 1, shard: shard,
                                       shouldStop: { steps.step() })
        XCTAssertTrue(stopped.interrupted)
        let others = try shards([0, 2])
        let merged = try RunStore(path: path("merged.sqlite"))
        _ = try merged.merge(databases: others + [path("shard-1.sqlite")])
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT status FROM runs WHERE name = 'grid#1'"), [["interrupted".databaseValue]])

        try sweep(into: "shard-1.sqlite", shard: shard)  // continues trial 1's run, then runs trial 4
        let again = try merged.merge(databases: [path("shard-1.sqlite")])
        XCTAssertEqual(again.files.map(\.runsUpdated), [1])
        XCTAssertEqual(again.files.map(\.runsAdded), [1])
        XCTAssertEqual(again.sweeps.first?.missing, [])
        try sweep(into: "whole.sqlite")
        XCTAssertEqual(try results(path("merged.sqlite")), try results(path("whole.sqlite")))
        XCTAssertEqual(try trialRecords(path("merged.sqlite")), try trialRecords(path("whole.sqlite")))
    }

    func testAWholeSweepMergesAsItselfOnce() throws {
        try sweep(into: "whole.sqlite")
        let merged = try RunStore(path: path("merged.sqlite"))
        let first = try merged.merge(databases: [path("whole.sqlite")])
        let second = try merged.merge(databases: [path("whole.sqlite")])
        XCTAssertEqual(first.files.map(\.runsAdded) + second.files.map(\.runsAdded), [6, 0])
        XCTAssertTrue(first.sweeps.isEmpty, "not a sharded sweep: nothing to report")
        XCTAssertEqual(try results(path("merged.sqlite")), try results(path("whole.sqlite")))
        let sweepColumns = "SELECT uuid, name, config_hash, trial_count, best_trial, status, shard_index, shard_count FROM sweeps"
        XCTAssertEqual(try rows(path("merged.sqlite"), sweepColumns), try rows(path("whole.sqlite"), sweepColumns))
    }

    func testShardsOfDifferentSweepsAreRefusedNamingBothFiles() throws {
        let first = try shards([0])[0]
        try sweep(into: "other.sqlite", shard: SweepShard(index: 1, count: 3), ["training.epochs=3"])
        let merged = try RunStore(path: path("merged.sqlite"))
        XCTAssertThrowsError(try merged.merge(databases: [first, path("other.sqlite")])) { error in
            let message = "\(error)"
            XCTAssertTrue(error is MergeError, message)
            XCTAssertTrue(message.hasPrefix("\(first) and \(path("other.sqlite")) hold shards of different sweeps "), message)
        }
        XCTAssertEqual(try rows(path("merged.sqlite"), "SELECT count(*) FROM runs"), [[0.databaseValue]], "nothing written")
    }

    func testPlainRunDatabasesMergeWithRenumberedIds() throws {
        let single = grid.replacingOccurrences(of: "sweep:\n  grid:\n    training.learning_rate: [0.05, 0.3, 50]\n    training.reg: [0, 0.001]\n", with: "")
        var expected: [[Double]] = []
        for name in ["a.sqlite", "b.sqlite"] {
            let store = try RunStore(path: path(name))
            for _ in 0..<2 {
                let run = try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.decode(text: single, path: "one.yaml")),
                                              store: store)
                expected.append(contentsOf: try store.weights(runID: run.runID).map(\.values))
            }
        }
        let merged = try RunStore(path: path("merged.sqlite"))
        let report = try merged.merge(databases: [path("a.sqlite"), path("b.sqlite")])
        XCTAssertEqual(report.files.map(\.runsAdded), [2, 2])
        XCTAssertTrue(report.sweeps.isEmpty)
        XCTAssertEqual(try merged.summaries().map(\.id).sorted(), [1, 2, 3, 4])
        XCTAssertEqual(try (1...4).flatMap { try merged.weights(runID: Int64($0)).map(\.values) }, expected)
        XCTAssertEqual(try merged.metrics(runID: 3).count, try RunStore(path: path("b.sqlite")).metrics(runID: 1).count)
        XCTAssertEqual(try merged.merge(databases: [path("b.sqlite")]).files.map(\.runsAdded), [0])
    }
}

/// Says stop once `stopAfter` training steps have been asked about.
private final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let stopAfter: Int

    init(stopAfter: Int) { self.stopAfter = stopAfter }

    func step() -> Bool {
        lock.withLock {
            count += 1
            return count > stopAfter
        }
    }
}
