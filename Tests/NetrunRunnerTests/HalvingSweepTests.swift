import Foundation
import GRDB
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

final class HalvingSweepTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-halving-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Noisy XOR, 3 × 3 grid, a cosine schedule over the whole run (so a trial stopped
    /// at a rung must have trained as the full-length run); rungs at 1, 3 and 9 epochs; lr 1e30 diverges.
    private let grid = """
        name: halving
        seed: 3
        data:
          synthetic: {kind: xor, count: 120}
          split: {val: 40}
        model:
          layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training:
          learning_rate: 0.1
          batch_size: 20
          epochs: 9
          schedule: {cosine: {min_lr: 0}}
        sweep:
          grid:
            training.learning_rate: [0.05, 0.3, 1e30]
            training.reg: [0, 0.001, 0.01]
          halving: {min_epochs: 1, factor: 3}

        """

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func plan(_ text: String? = nil) throws -> SweepPlan {
        try SweepPlan(config: try ConfigLoader.decode(text: text ?? grid, path: "halving.yaml"))
    }

    @discardableResult
    private func sweep(into name: String, shard: SweepShard? = nil,
                       shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> SweepReport {
        try SweepRun.run(try plan(), store: try RunStore(path: path(name)), jobs: 2, shard: shard, shouldStop: shouldStop)
    }

    private func rows(_ path: String, _ sql: String) throws -> [[DatabaseValue]] {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
    }

    /// sweep_results without ids and durations, then every trial's weights and metrics.
    private func records(_ path: String) throws -> [[DatabaseValue]] {
        try rows(path, """
            SELECT sweep, trial, status, rung, train_accuracy, val_accuracy, train_loss, val_loss, best, assignment FROM sweep_results
            """) + rows(path, """
            SELECT t.trial, w.kind, w.layer, w.name, w.data FROM trials t JOIN weights w ON w.run_id = t.run_id
            ORDER BY t.trial, w.kind, w.layer, w.name
            """) + rows(path, """
            SELECT t.trial, m.step, m.split, m.name, m.value FROM trials t JOIN metrics m ON m.run_id = t.run_id
            ORDER BY t.trial, m.step, m.split, m.name
            """)
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testRungsGrowByTheFactorAndTheLastEndsAtTheConfiguredEpochs() throws {
        func halving(_ minEpochs: Int, _ factor: Int) throws -> SweepHalving {
            let text = grid.replacingOccurrences(of: "{min_epochs: 1, factor: 3}", with: "{min_epochs: \(minEpochs), factor: \(factor)}")
            return try XCTUnwrap(try plan(text).sweep.halving)
        }
        XCTAssertEqual(try halving(1, 3).rungs(epochs: 9), [1, 3, 9])
        XCTAssertEqual(try halving(1, 3).rungs(epochs: 10), [1, 3, 9, 10], "not a power of the factor: the last rung is short")
        XCTAssertEqual(try halving(2, 2).rungs(epochs: 12), [2, 4, 8, 12])
        XCTAssertEqual(try halving(1, 3).rungs(epochs: 2), [1, 2])
        XCTAssertEqual((0..<4).map { try! halving(1, 3).trials(inRung: $0, of: 27) }, [27, 9, 3, 1])
        XCTAssertEqual((0..<4).map { try! halving(1, 3).trials(inRung: $0, of: 10) }, [10, 4, 2, 1], "⌈n/η⌉, rounded up")
        XCTAssertEqual(try halving(1, 3).metric.value.label, "val_accuracy", "the sweep's metric by default")
    }

    func testTheBenchConfigIsA27TrialGridWithRungsAt3_9And27Epochs() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let plan = try SweepPlan(config: try ConfigLoader.load(path: repository.appendingPathComponent("bench/configs/digits-halving.yaml").path))
        let halving = try XCTUnwrap(plan.sweep.halving)
        XCTAssertEqual(plan.count, 27)
        XCTAssertEqual(halving.rungs(epochs: plan.config.training.epochs), [3, 9, 27])
        XCTAssertEqual((0..<3).map { halving.trials(inRung: $0, of: plan.count) }, [27, 9, 3])
    }

    func testBadHalvingSettingsAreLocated() {
        func refused(_ halving: String, _ training: String = "epochs: 9") -> String {
            error { try self.plan(self.grid.replacingOccurrences(of: "{min_epochs: 1, factor: 3}", with: halving)
                                      .replacingOccurrences(of: "epochs: 9", with: training)) }
        }
        XCTAssertEqual(refused("{min_epochs: 1, factor: 1}"),
                       "halving.yaml:18:36: sweep.halving.factor: factor must be at least 2 (keep the best 1/factor at each rung), got 1")
        XCTAssertEqual(refused("{min_epochs: 0, factor: 3}"), "halving.yaml:18:25: sweep.halving.min_epochs: min_epochs must be at least 1, got 0")
        XCTAssertEqual(refused("{min_epochs: 9, factor: 3}"),
                       "halving.yaml:18:25: sweep.halving.min_epochs: min_epochs (9) must be less than training.epochs (9): "
                       + "the first rung ends before the last")
        XCTAssertTrue(refused("{min_epochs: 1, factor: 3, metric: val_acc}").hasPrefix("halving.yaml:18:47: sweep.halving.metric: unknown metric 'val_acc'; expected SPLIT_METRIC"))
        XCTAssertTrue(refused("{min_epochs: 1, factor: 3, metric: test_loss}")
            .hasSuffix("sweep.halving.metric: test_loss is measured only when a run ends; rank the rungs by a val_ or train_ metric"))
        XCTAssertTrue(refused("{min_epochs: 1, factor: 3}", "epochs: 9\n  log_every: 2")
            .contains("sweep.halving: the rung at 1 epochs has no log point to rank trials by: training.log_every (2) must divide"))
        XCTAssertTrue(refused("{min_epochs: 1, factor: 3, eta: 3}").contains("eta"))
        XCTAssertEqual(error { try self.plan(self.grid.replacingOccurrences(of: "training.reg: [0, 0.001, 0.01]",
                                                                          with: "training.epochs: [9, 27]")) },
                       "halving.yaml:18:12: sweep.halving: successive halving gives every trial the same rungs, "
                       + "so training.epochs cannot be swept with it")
        XCTAssertEqual(error { try self.plan(self.grid.replacingOccurrences(of: "split: {val: 40}", with: "split: {test: 40}")
                                                 .replacingOccurrences(of: "  halving: {min_epochs: 1, factor: 3}",
                                                                       with: "  metric: train_accuracy\n  halving: {min_epochs: 1, factor: 3, metric: val_loss}")) },
                       "halving.yaml:19:47: sweep.halving.metric: val_loss needs a validation set; add data.split.val or data.val")
    }

    func testTheBestThirdOfEachRungContinuesAndTheRestArePrunedWithTheirRung() throws {
        let report = try sweep(into: "a.sqlite")
        let store = try RunStore(path: path("a.sqlite"))
        let results = try rows(path("a.sqlite"), "SELECT trial, status, rung FROM sweep_results ORDER BY trial")
        let status = Dictionary(uniqueKeysWithValues: results.map { (Int.fromDatabaseValue($0[0])!, String.fromDatabaseValue($0[1])!) })
        let rung = Dictionary(uniqueKeysWithValues: results.map { (Int.fromDatabaseValue($0[0])!, Int.fromDatabaseValue($0[2])) })
        // Each rung's ranking worked out from the metrics the runs logged: val accuracy at the
        // rung's last epoch, higher first, the earlier trial among equals.
        func ranked(_ trials: [Int], atEpoch epoch: Int) throws -> [Int] {
            let scores = try trials.map { trial -> (Int, Double) in
                let runID = try XCTUnwrap(report.outcomes[trial].runID)
                let value = try store.metrics(runID: runID).last { $0.epoch == epoch && $0.split == "val" && $0.name == "accuracy" }
                return (trial, try XCTUnwrap(value).value)
            }
            return scores.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        }
        let diverged = (0..<9).filter { status[$0] == "diverged" }
        XCTAssertFalse(diverged.isEmpty, "lr 1e30 diverges within the first epoch")
        XCTAssertTrue(diverged.allSatisfy { $0 >= 6 }, "a diverging trial is recorded and the sweep goes on")
        let rung1 = try ranked((0..<9).filter { !diverged.contains($0) }, atEpoch: 1)
        let rung3 = try ranked(Array(rung1.prefix(3)), atEpoch: 3)
        for trial in rung1.dropFirst(3) { XCTAssertEqual(status[trial], "pruned"); XCTAssertEqual(rung[trial], 1) }
        for trial in rung3.dropFirst(1) { XCTAssertEqual(status[trial], "pruned"); XCTAssertEqual(rung[trial], 3) }
        XCTAssertEqual(status[rung3[0]], "finished")
        XCTAssertEqual(rung[rung3[0]], 9)
        XCTAssertEqual(report.best, rung3[0], "the best is chosen among trials that completed the last rung")
        XCTAssertEqual(report.outcomes.filter(\.pruned).map(\.trial), (rung1.dropFirst(3) + rung3.dropFirst(1)).sorted())
        XCTAssertEqual(try rows(path("a.sqlite"), "SELECT status FROM sweeps"), [["finished".databaseValue]])
        XCTAssertEqual(try rows(path("a.sqlite"), """
            SELECT count(*) FROM checkpoints c JOIN trials t ON t.run_id = c.run_id WHERE t.pruned
            """), [[0.databaseValue]], "pruned trials keep no checkpoint")
    }

    func testTheSurvivorEqualsTheSameTrialTrainedStraightThroughBitForBit() throws {
        let report = try sweep(into: "a.sqlite")
        let store = try RunStore(path: path("a.sqlite"))
        let best = try XCTUnwrap(report.best)
        let straight = try TrainingRun.run(try PreparedRun<Float>(config: try plan().trial(best).config), store: store)
        let survivor = try XCTUnwrap(report.outcomes[best].runID)
        XCTAssertEqual(try store.weights(runID: survivor), try store.weights(runID: straight.runID))
        func logged(_ runID: Int64) throws -> [String] {
            try store.metrics(runID: runID).map { "\($0.step) \($0.epoch) \($0.split) \($0.name) \($0.value.bitPattern)" }
        }
        XCTAssertEqual(try logged(survivor), try logged(straight.runID))
        XCTAssertGreaterThan(try logged(survivor).count, 20)
    }

    func testAHalvingSweepStoppedAgainAndAgainEndsAsOneRunStraightThrough() throws {
        try sweep(into: "whole.sqlite")
        var invocations = 0
        while try sweep(into: "stopped.sqlite", shouldStop: StepCounter(stopAfter: 9).step).interrupted {
            invocations += 1
            XCTAssertLessThan(invocations, 60)
        }
        XCTAssertGreaterThan(invocations, 3, "stopped in several rungs")
        XCTAssertEqual(try records(path("stopped.sqlite")), try records(path("whole.sqlite")))
    }

    func testATrialWhoseProcessDiedAfterItsRungEndedIsRecordedAtThatRungWithoutTrainingOn() throws {
        try sweep(into: "whole.sqlite", shard: SweepShard(index: 0, count: 3))
        try sweep(into: "died.sqlite", shard: SweepShard(index: 0, count: 3))
        // Trial 3's run stopped at the end of its first rung (interrupted, with its checkpoint
        // there), and its process died before releasing the trial with its score.
        try DatabaseQueue(path: path("died.sqlite")).write { db in
            try db.execute(sql: """
                UPDATE trials SET status = 'running', rung = NULL, score = NULL, claim_pid = ?, claim_host = ? WHERE trial = 3
                """, arguments: [Int32.max, ProcessOwner.current.host])
        }
        let report = try sweep(into: "died.sqlite", shard: SweepShard(index: 0, count: 3))
        XCTAssertEqual(report.outcomes.first { $0.trial == 3 }?.rung, 1)
        XCTAssertEqual(try records(path("died.sqlite")), try records(path("whole.sqlite")))
    }

    func testShardsRunTheFirstRungAndTheMergedSweepContinuesAsOneMachine() throws {
        try sweep(into: "whole.sqlite")
        let shards = try (0..<3).map { index -> String in
            let report = try sweep(into: "shard-\(index).sqlite", shard: SweepShard(index: index, count: 3))
            XCTAssertTrue(report.outcomes.allSatisfy { $0.trial % 3 == index && ($0.rung == 1 || $0.status == .diverged) })
            return path("shard-\(index).sqlite")
        }
        let merged = try RunStore(path: path("merged.sqlite"))
        _ = try merged.merge(databases: shards)
        let report = try SweepRun.run(try plan(), store: merged, jobs: 2)
        XCTAssertFalse(report.interrupted)
        XCTAssertEqual(try records(path("merged.sqlite")), try records(path("whole.sqlite")))
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
