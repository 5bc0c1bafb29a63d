import Foundation
import GRDB
import NetrunConfig
import NetrunRunner
import NetrunStore
import XCTest

/// Random sweeps run, store their draws exactly, and shard and merge as grids do.
final class RandomSweepTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-random-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Noisy XOR, a grid of two strengths × 3 random draws each, two epochs.
    private let random = """
        name: random
        seed: 3
        data:
          synthetic: {kind: xor, count: 120}
          split: {val: 40}
        model:
          layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 20, epochs: 2}
        sweep:
          grid:
            training.reg: [0, 0.001]
          random:
            trials: 3
            training.learning_rate: {log_uniform: [0.01, 1]}
            model.layers[0].dense.units: {int_uniform: [2, 8]}

        """

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func plan(_ text: String? = nil) throws -> SweepPlan {
        try SweepPlan(config: try ConfigLoader.decode(text: text ?? random, path: "random.yaml"))
    }

    private func rows(_ path: String, _ sql: String) throws -> [[DatabaseValue]] {
        try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
    }

    func testEachTrialTrainsItsDrawAndTheStoreHoldsItBitForBit() throws {
        let plan = try plan()
        XCTAssertEqual(plan.count, 6)
        let store = try RunStore(path: path("whole.sqlite"))
        let report = try SweepRun.run(plan, store: store, jobs: 2)
        let sweep = try XCTUnwrap(try store.sweep(id: report.sweepID))
        XCTAssertEqual(sweep.trials.count, 6)
        for stored in sweep.trials {
            let trial = try plan.trial(stored.trial)
            let rate = try XCTUnwrap(stored.params.first { $0.path == "training.learning_rate" })
            XCTAssertEqual(rate.value?.bitPattern, trial.config.training.learningRate.bitPattern, "trial \(stored.trial)")
            XCTAssertEqual(stored.learningRate.bitPattern, trial.config.training.learningRate.bitPattern)
            XCTAssertEqual(rate.text, "\(trial.config.training.learningRate)")
            XCTAssertTrue((0.01...1).contains(trial.config.training.learningRate))
            let units = try XCTUnwrap(stored.params.first { $0.path == "model.layers[0].dense.units" })
            XCTAssertTrue((2...8).contains(Int(try XCTUnwrap(units.value))))
            XCTAssertEqual(stored.params.first { $0.path == "training.reg" }?.value, stored.trial < 3 ? 0 : 0.001,
                           "the grid varies slowest")
            XCTAssertEqual(stored.status, .finished)
        }
        // The run's own stored overrides rebuild the same Double: what `netrun resume` and `eval` read.
        let stored = try rows(path("whole.sqlite"), "SELECT r.config_overrides, t.trial FROM runs r JOIN trials t ON t.run_id = r.id")
        for row in stored {
            let overrides = try ConfigOverride.parse(text: String.fromDatabaseValue(row[0]) ?? "", source: "run")
            let rebuilt = try ConfigLoader.decode(text: random, path: "random.yaml", overrides: overrides)
            let trial = try plan.trial(Int.fromDatabaseValue(row[1]) ?? -1)
            XCTAssertEqual(rebuilt.training.learningRate.bitPattern, trial.config.training.learningRate.bitPattern)
        }
    }

    func testARandomSweepRunAsTwoShardsAndMergedEqualsTheOneMachineSweep() throws {
        try SweepRun.run(try plan(), store: try RunStore(path: path("whole.sqlite")), jobs: 2)
        let shards = try (0..<2).map { index in
            try SweepRun.run(try plan(), store: try RunStore(path: path("shard-\(index).sqlite")), jobs: 1,
                             shard: SweepShard(index: index, count: 2))
            return path("shard-\(index).sqlite")
        }
        let report = try RunStore(path: path("merged.sqlite")).merge(databases: shards)
        XCTAssertEqual(report.sweeps.first?.missing, [])
        let results = """
            SELECT trial, learning_rate, reg, status, train_accuracy, val_accuracy, train_loss, val_loss, best, assignment
            FROM sweep_results ORDER BY trial
            """
        XCTAssertEqual(try rows(path("merged.sqlite"), results), try rows(path("whole.sqlite"), results))
        let params = "SELECT trial, path, value, text FROM trial_params ORDER BY trial, path"
        XCTAssertEqual(try rows(path("merged.sqlite"), params), try rows(path("whole.sqlite"), params))
        let weights = "SELECT t.trial, w.kind, w.layer, w.name, w.data FROM trials t JOIN weights w ON w.run_id = t.run_id "
            + "ORDER BY t.trial, w.kind, w.layer, w.name"
        XCTAssertEqual(try rows(path("merged.sqlite"), weights), try rows(path("whole.sqlite"), weights))
    }

    func testTheShippedRandomConfigPlansNineLogUniformTrials() throws {
        let plan = try SweepPlan(config: try ConfigLoader.load(path: "configs/digits-random.yaml"))
        XCTAssertEqual(plan.count, 9)
        let rates = try (0..<9).map { try plan.trial($0).config.training.learningRate }
        XCTAssertTrue(rates.allSatisfy { (0.01...10).contains($0) })
        XCTAssertEqual(Set(rates).count, 9)
    }

    func testARandomSweepOfMoreThanTenMillionTrialsIsRefusedWithItsSize() {
        let text = random.replacingOccurrences(of: "trials: 3", with: "trials: 6000000")
        XCTAssertThrowsError(try plan(text)) { error in
            XCTAssertEqual("\(error)", "random.yaml:12:5: sweep.grid: the sweep has 2 × 6000000 random = 12000000 trials; "
                           + "a sweep runs at most 10000000: split it into several sweeps or sweep fewer values")
        }
    }

    func testADistributionTheConfigCannotTakeIsRefusedBeforeAnyTrialRuns() {
        let text = random.replacingOccurrences(of: "{int_uniform: [2, 8]}", with: "{uniform: [2, 8]}")
        XCTAssertThrowsError(try plan(text)) { error in
            XCTAssertTrue("\(error)".contains("model.layers[0].dense.units: expected an integer, got 2.0"), "\(error)")
        }
    }
}
