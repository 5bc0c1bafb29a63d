import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

final class SweepRunTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Noisy XOR, 200 points, 2 × 3 grid; the lr of 50 with squared error diverges.
    private let grid = """
        name: grid
        seed: 2
        data:
          synthetic: {kind: xor, count: 200}
          split: {val: 50}
        model:
          layers: [{dense: {units: 8, activation: tanh}}, {dense: 2}]
        loss: mse
        training: {learning_rate: 0.1, batch_size: 20, epochs: 20}
        sweep:
          grid:
            training.learning_rate: [0.05, 0.3, 50]
            training.reg: [0, 0.001]

        """

    private func store(_ name: String) throws -> RunStore {
        try RunStore(path: directory.appendingPathComponent(name).path)
    }

    private func sweep(_ store: RunStore, jobs: Int) throws -> SweepReport {
        try SweepRun.run(try SweepPlan(config: try ConfigLoader.decode(text: grid, path: "grid.yaml")), store: store, jobs: jobs)
    }

    func testEveryTrialIsARunAndTheBestHasTheHighestValidationAccuracy() throws {
        let store = try store("a.sqlite")
        let report = try sweep(store, jobs: 2)
        XCTAssertEqual(report.outcomes.map(\.trial), Array(0..<6))
        XCTAssertEqual(report.outcomes.map(\.status), [.finished, .finished, .finished, .finished, .diverged, .diverged],
                       "a diverging trial is recorded and the sweep goes on")
        let scores = report.outcomes.map { $0.score ?? -1 }
        XCTAssertEqual(report.best, scores.firstIndex(of: scores.max()!))
        for outcome in report.outcomes {
            let run = try XCTUnwrap(try store.summary(runID: try XCTUnwrap(outcome.runID)))
            XCTAssertEqual(run.name, "grid#\(outcome.trial)")
            XCTAssertEqual(run.validationAccuracy, outcome.status == .finished ? outcome.score : run.validationAccuracy)
        }
    }

    func testParallelTrialsGiveTheSameNumbersAsOneByOne() throws {
        let serialStore = try store("serial.sqlite"), parallelStore = try store("parallel.sqlite")
        let serial = try sweep(serialStore, jobs: 1), parallel = try sweep(parallelStore, jobs: 2)
        for (a, b) in zip(serial.outcomes, parallel.outcomes) {
            // Bit patterns, so a diverged trial's NaN compares equal to itself.
            XCTAssertEqual(try serialStore.metrics(runID: a.runID!).map { "\($0.step) \($0.split) \($0.name) \($0.value.bitPattern)" },
                           try parallelStore.metrics(runID: b.runID!).map { "\($0.step) \($0.split) \($0.name) \($0.value.bitPattern)" })
            XCTAssertEqual(try serialStore.weights(runID: a.runID!), try parallelStore.weights(runID: b.runID!))
        }
    }

    func testTrialEqualsASingleRunWithItsValues() throws {
        let store = try store("a.sqlite")
        let report = try sweep(store, jobs: 2)
        let single = grid.replacingOccurrences(of: "learning_rate: 0.1,", with: "learning_rate: 0.3,")
            .replacingOccurrences(of: "epochs: 20}", with: "epochs: 20, reg: 0.001}")
        let run = try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.decode(text: single, path: "one.yaml")), store: store)
        XCTAssertEqual(try store.weights(runID: run.runID), try store.weights(runID: report.outcomes[3].runID!))
    }

    func testRerunningResumesAndRerunsOnlyUnfinishedTrials() throws {
        let store = try store("a.sqlite")
        let first = try sweep(store, jobs: 2)
        // Trial 1's run failed, as a crash would leave it; it has no checkpoint (not the best).
        try store.finishRun(runID: first.outcomes[1].runID!, status: .failed, steps: 3, epochs: 0,
                            divergedStep: nil, message: nil)
        let second = try sweep(store, jobs: 2)
        XCTAssertTrue(second.resumed)
        XCTAssertEqual(second.sweepID, first.sweepID)
        XCTAssertEqual(second.outcomes.map(\.skipped), [true, false, true, true, true, true])
        XCTAssertNotEqual(second.outcomes[1].runID, first.outcomes[1].runID, "a new run for the failed trial")
        XCTAssertEqual(second.outcomes[1].score, first.outcomes[1].score, "the re-run gives the same result")
        XCTAssertEqual(second.best, first.best)
    }

    func testAFinishedTrialReleasedLaterIsScoredByItsLastLoggedMetric() throws {
        let store = try store("a.sqlite")
        let ranked = grid.replacingOccurrences(of: "    training.reg: [0, 0.001]\n", with: "  metric: val_macro_f1\n")
        let plan = try SweepPlan(config: try ConfigLoader.decode(text: ranked, path: "grid.yaml"))
        let first = try SweepRun.run(plan, store: store, jobs: 1)
        let score = try XCTUnwrap(first.outcomes[0].score)
        let logged = try store.metrics(runID: first.outcomes[0].runID!).last { $0.split == "val" && $0.name == "macro_f1" }
        XCTAssertEqual(score, logged?.value)
        // Its process died after the run ended but before it released the trial with its score.
        try store.finishTrial(sweepID: first.sweepID, trial: 0, score: nil, done: false)
        let second = try SweepRun.run(plan, store: store, jobs: 1)
        XCTAssertEqual(second.outcomes[0].runID, first.outcomes[0].runID, "not run again")
        XCTAssertEqual(second.outcomes[0].score, score)
    }

    func testAMetricTheTargetsDoNotHaveIsRefusedBeforeAnyTrialRuns() throws {
        let store = try store("a.sqlite")
        // XOR's targets are class labels, even with a squared-error loss.
        let ranked = grid.replacingOccurrences(of: "    training.reg: [0, 0.001]\n", with: "  metric: val_rmse\n")
        let plan = try SweepPlan(config: try ConfigLoader.decode(text: ranked, path: "grid.yaml"))
        XCTAssertThrowsError(try SweepRun.run(plan, store: store, jobs: 1)) { error in
            XCTAssertEqual("\(error)", "grid.yaml:13:11: sweep.metric: val_rmse is not measured for class labels; "
                           + "rank by loss, accuracy, top<k> or a macro_ metric")
        }
        XCTAssertEqual(try store.summaries().count, 0)
    }

    func testMetricNeedsItsSplit() {
        let noValidation = grid.replacingOccurrences(of: "  split: {val: 50}\n", with: "")
        XCTAssertThrowsError(try SweepPlan(config: try ConfigLoader.decode(text: noValidation, path: "g.yaml"))) { error in
            XCTAssertEqual("\(error)", "g.yaml:10:3: sweep.metric: val_accuracy needs a validation set; add data.split.val or data.val")
        }
    }

    func testOnlyTheBestTrialKeepsItsCheckpoint() throws {
        let store = try store("a.sqlite")
        let report = try sweep(store, jobs: 2)
        let best = try XCTUnwrap(report.best)
        for outcome in report.outcomes {
            let kept = try store.checkpoint(runID: outcome.runID!) != nil
            XCTAssertEqual(kept, outcome.trial == best, "trial \(outcome.trial)")
        }
    }

    func testAStoppedSweepContinuesItsInterruptedTrialsFromTheirCheckpoints() throws {
        let plan = try SweepPlan(config: try ConfigLoader.decode(text: grid, path: "grid.yaml"))
        let stopped = try store("stopped.sqlite"), whole = try store("whole.sqlite")
        let counter = StepCounter(limit: 50)
        let first = try SweepRun.run(plan, store: stopped, jobs: 1, shouldStop: { counter.tick() })
        XCTAssertTrue(first.interrupted)
        XCTAssertEqual(first.outcomes.last?.status, .interrupted)
        let second = try SweepRun.run(plan, store: stopped, jobs: 2)
        XCTAssertFalse(second.interrupted)
        let reference = try SweepRun.run(plan, store: whole, jobs: 2)
        XCTAssertEqual(second.best, reference.best)
        for (a, b) in zip(second.outcomes, reference.outcomes) where a.status == .finished {
            XCTAssertEqual(try stopped.weights(runID: a.runID!), try whole.weights(runID: b.runID!), "trial \(a.trial)")
        }
        XCTAssertEqual(second.outcomes.first { $0.trial == first.outcomes.last?.trial }?.runID, first.outcomes.last?.runID,
                       "the interrupted trial continued its own run")
    }

    func testAMillionTrialGridIsPlannedWithoutListingIt() throws {
        let thousand = (1...1000).map { "\(Double($0) / 1000)" }.joined(separator: ", ")
        let text = grid.replacingOccurrences(of: "[0.05, 0.3, 50]", with: "[\(thousand)]")
            .replacingOccurrences(of: "[0, 0.001]", with: "[\(thousand)]")
        let plan = try SweepPlan(config: try ConfigLoader.decode(text: text, path: "grid.yaml"))
        XCTAssertEqual(plan.count, 1_000_000)
        let trial = try plan.trial(1_234)
        XCTAssertEqual(trial.values.map(\.text), ["0.002", "0.235"], "first axis slowest")
        XCTAssertEqual([trial.spec.learningRate, trial.spec.reg], [0.002, 0.235])
        XCTAssertEqual(trial.config.name, "grid#1234")
        XCTAssertEqual(plan.assignment(ofTrial: 999_999), "training.learning_rate=1.0, training.reg=1.0")
    }

    func testAGridOfMoreThanTenMillionTrialsIsRefusedWithItsSize() {
        let hundred = "[" + (1...100).map(String.init).joined(separator: ", ") + "]"
        let text = grid.replacingOccurrences(of: "    training.reg: [0, 0.001]\n", with: """
                training.reg: \(hundred)
                training.epochs: \(hundred)
                training.batch_size: \(hundred)
                seed: \(hundred)

            """)
        XCTAssertThrowsError(try SweepPlan(config: try ConfigLoader.decode(text: text, path: "grid.yaml"))) { error in
            XCTAssertEqual("\(error)", "grid.yaml:12:5: sweep.grid: the grid has 3 × 100 × 100 × 100 × 100 = 300000000 trials; "
                           + "a sweep runs at most 10000000: split it into several sweeps or sweep fewer values")
        }
    }

    func testABadValueIsRefusedBeforeAnyTrialRuns() throws {
        let text = grid.replacingOccurrences(of: "[0, 0.001]", with: "[0, 0.001, high]")
        XCTAssertThrowsError(try SweepPlan(config: try ConfigLoader.decode(text: text, path: "grid.yaml"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("grid.yaml:13:30: training.reg: expected a number"), "\(error)")
        }
    }
}

/// Says stop once `limit` steps have been counted, from any thread.
private final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func tick() -> Bool {
        lock.withLock {
            count += 1
            return count >= limit
        }
    }
}
