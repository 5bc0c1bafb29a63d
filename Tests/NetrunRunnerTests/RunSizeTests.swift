import Foundation
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunRunner
import XCTest

/// Configs asking for more memory or more steps than a run can have are refused with the
/// estimate, at the setting responsible, before anything is allocated or recorded.
final class RunSizeTests: XCTestCase {
    private let xor = """
        name: xor
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
        model:
          layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.5, batch_size: 2, epochs: 20}
        """

    private func config(_ text: String, _ overrides: String...) throws -> Config {
        try ConfigLoader.decode(text: text, path: "xor.yaml",
                                overrides: try overrides.map { try ConfigOverride.parse(argument: $0) })
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    private func assertPrefix(_ text: String, _ prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(text.hasPrefix(prefix), text, file: file, line: line)
    }

    private let budget = MemoryBudget(bytes: ByteCount(1 << 20), origin: "a test's")
    private let budgetText = "more than the memory budget of 1.0 MiB (a test's; set NETRUN_MEMORY_LIMIT to change it)"

    func testEstimateCountsParametersGradientsCheckpointsActivationsAndData() throws {
        let estimate = MemoryEstimate(try config(xor), samples: [4], inputWidth: 2)
        XCTAssertEqual(estimate.parameters, 2 * 4 + 4 + 4 * 2 + 2)
        // value, one gradient (one shard), and two checkpoint copies: 4 Floats per parameter
        XCTAssertEqual(estimate.model, ByteCount(22 * 4 * 4))
        // 4 rows (the evaluation chunk covers the whole set); per row: dense 4 (+2 input gradient),
        // tanh 2·4, dense 2 (+4), the loss's 3·2 and the gathered inputs 2
        XCTAssertEqual(estimate.rows, 4)
        XCTAssertEqual(estimate.activations, ByteCount(4 * 4 * (6 + 8 + 6 + 6 + 2)))
        // inputs and one-hot targets, and the training order with its checkpoint copies
        XCTAssertEqual(estimate.data, ByteCount(4 * 4 * (2 + 2) + 4 * 8 * 3))
    }

    func testEstimateCountsTheOptimizersStateTensors() throws {
        // 22 parameters: value, one gradient, the state, and two checkpoint copies of value and state.
        func model(_ overrides: String...) throws -> ByteCount {
            MemoryEstimate(try ConfigLoader.decode(text: xor, path: "xor.yaml", overrides: try overrides.map(ConfigOverride.parse(argument:))),
                           samples: [4], inputWidth: 2).model
        }
        XCTAssertEqual(try model(), ByteCount(22 * 4 * (1 + 1 + 0 + 2 * 1)), "plain SGD keeps nothing")
        XCTAssertEqual(try model("training.momentum=0.9"), ByteCount(22 * 4 * (1 + 1 + 1 + 2 * 2)), "velocity")
        XCTAssertEqual(try model("training.optimizer=adam"), ByteCount(22 * 4 * (1 + 1 + 2 + 2 * 3)), "exp_avg, exp_avg_sq")
        XCTAssertEqual(try model("training.optimizer={adamw: {amsgrad: true}}"), ByteCount(22 * 4 * (1 + 1 + 3 + 2 * 4)),
                       "and max_exp_avg_sq")
    }

    func testHugeUnitsAreRefusedAtTheLayerWithTheEstimate() throws {
        let huge = try config(xor, "model.layers[0].dense.units=9223372036854775807")
        XCTAssertEqual(error { try MemoryEstimate(huge).check(against: self.budget, huge) },
                       "xor.yaml:6:12: model.layers[0]: the run needs more than 8 EiB of memory — model more than 8 EiB "
                       + "(more than 9223372036854775807 parameters with gradients, checkpoint copies and optimizer state), "
                       + "activations more than 8 EiB (4 rows per layer buffer), data 160 bytes (4 samples) — "
                       + budgetText + "; use fewer units")
        let large = try config(xor, "model.layers[1].units=4294967296")
        assertPrefix(error { try MemoryEstimate(large).check(against: self.budget, large) },
                     "xor.yaml:6:51: model.layers[1]: the run needs about 640.0 GiB of memory — model 320.0 GiB "
                     + "(21474836492 parameters")
    }

    func testPreparingAHugeModelFailsBeforeAllocatingIt() throws {
        let start = ContinuousClock.now
        assertPrefix(error { try PreparedRun<Float>(config: try self.config(self.xor, "model.layers[0].dense.units=4294967296")) },
                     "xor.yaml:6:12: model.layers[0]: the run needs about")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
    }

    func testLargeBatchesAreRefusedAtBatchSize() throws {
        let wide = """
            data: {synthetic: {kind: blobs, classes: 2, per_class: 20000, dimensions: 3}}
            model: {layers: [{dense: {units: 1000, activation: relu}}, {dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, batch_size: 40000, epochs: 1}
            """
        let config = try self.config(wide)
        // 400 MiB holds an evaluation chunk's activations (128 MiB), so the batch is to blame, not the widths.
        let budget = MemoryBudget(bytes: ByteCount(400 << 20), origin: "a test's")
        assertPrefix(error { try MemoryEstimate(config).check(against: budget, config) },
                     "xor.yaml:4:44: training.batch_size: the run needs about 614.3 MiB of memory")
    }

    func testAbsurdSyntheticSetsAreRefusedBeforeGenerating() throws {
        let spiral = try config(xor.replacingOccurrences(of: "inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]\n  targets: [0, 1, 1, 0]",
                                                         with: "synthetic: {kind: spiral, classes: 100000, per_class: 100000}"))
        assertPrefix(error { try PreparedRun<Float>(config: spiral) }, "xor.yaml:3:3: data: the run needs about 372.5 GiB of memory — model 352 bytes")
        // Loading the data on its own (eval, predict) checks too.
        let xorSet = try config(xor.replacingOccurrences(of: "inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]\n  targets: [0, 1, 1, 0]",
                                                         with: "synthetic: {kind: xor, count: 1000000000}"))
        setenv(MemoryBudget.variable, "1G", 1)
        defer { unsetenv(MemoryBudget.variable) }
        XCTAssertEqual(error { try DataLoader.load(xorSet) },
                       "xor.yaml:3:3: data.synthetic: a synthetic set of 1000000000 samples (count 1000000000) needs 22.4 GiB "
                       + "to generate, more than the memory budget of 1.0 GiB (NETRUN_MEMORY_LIMIT=1G)")
    }

    func testEpochsThatOverflowTheStepCountAreRefusedAtEpochs() throws {
        let long = try config(xor, "training.epochs=9223372036854775807")
        XCTAssertEqual(error { try PreparedRun<Float>(config: long) },
                       "command line (training.epochs=9223372036854775807):1:1: training.epochs: 9223372036854775807 epochs "
                       + "of 2 steps is more than the 9007199254740992 (2^53) steps a run can count")
        XCTAssertEqual(try RunLength.steps(try config(xor), trainingSamples: 4), 40)
        XCTAssertEqual(try RunLength.steps(try config(xor, "training.batch_size=3"), trainingSamples: 4), 40)
    }

    func testSweepCountsEveryTrialRunningAtOnce() throws {
        let sweep = try config(xor + "\nsweep:\n  metric: train_loss\n  grid:\n    model.layers[0].dense.units: [100, 2000]\n")
        let plan = try SweepPlan(config: sweep)
        let oneTrial = MemoryEstimate(try plan.trial(1).config)
        // One trial fits, and so does the shared data beside it; a second trial's model does not.
        let perTrial = oneTrial.model + oneTrial.activations
        let budget = MemoryBudget(bytes: ByteCount(oneTrial.total.value + perTrial.value / 2), origin: "a test's")
        XCTAssertNoThrow(try MemoryEstimate.checkSweep(sweep, trials: try (0..<plan.count).map { try plan.trial($0).config }, jobs: 1,
                                                       sharesData: true, budget: budget))
        let refusal = error {
            try MemoryEstimate.checkSweep(sweep, trials: try (0..<plan.count).map { try plan.trial($0).config }, jobs: 4, sharesData: true, budget: budget)
        }
        XCTAssertTrue(refusal.hasPrefix("xor.yaml:6:12: model.layers[0]: the sweep, running 2 trials at once (--jobs), "
                                        + "needs about"), refusal)
    }

    func testSweepSizesOneConfigPerSizeChangingCombination() throws {
        let grid = "\nsweep:\n  metric: train_loss\n  grid:\n    training.learning_rate: [0.1, 0.2, 0.3]\n"
            + "    training.reg: [0, 0.1]\n"
        XCTAssertEqual(try SweepPlan(config: try config(xor + grid)).sizingTrials().count, 1,
                       "learning rate and reg change no sizes")
        let units = try SweepPlan(config: try config(xor + grid + "    model.layers[0].dense.units: [4, 8]\n"))
        XCTAssertEqual(units.count, 12)
        XCTAssertEqual(units.sizingTrials().map { $0.model.layers.count }.count, 2, "one per layer width")
        XCTAssertEqual(units.sizingTrials(limit: 1).count, 1)
    }

    func testTargetsForEveryOutputOfAHugeModelAreRefusedBeforeTheyAreMade() throws {
        // A CSV file's rows are only known once read, so the loader checks before making target rows.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "1,2,0\n3,4,1\n5,6,1\n".write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let wide = try ConfigLoader.decode(text: """
            data: {csv: d.csv}
            model: {layers: [{dense: 200000000}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """, path: folder.appendingPathComponent("wide.yaml").path)
        setenv(MemoryBudget.variable, "1G", 1)
        defer { unsetenv(MemoryBudget.variable) }
        XCTAssertEqual(error { try DataLoader.load(wide) },
                       "\(folder.path)/wide.yaml:1:7: data: 3 samples with a target for each of the model's 200000000 outputs "
                       + "need 2.2 GiB with their inputs, more than the memory budget of 1.0 GiB (NETRUN_MEMORY_LIMIT=1G)")
    }
}
