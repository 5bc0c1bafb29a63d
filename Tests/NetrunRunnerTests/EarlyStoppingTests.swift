import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

/// early_stopping and keep_best on a run that overfits: six noisy training points fitted by a
/// big network at a big rate, measured on clean points between them. Full batch and no
/// randomness after initialisation, so a run of fewer epochs follows the same path.
final class EarlyStoppingTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-stopping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Validation loss falls to its low at step 210, rises until 360, dips at 390, then rises.
    static func overfitting(epochs: Int = 600, _ extra: String = "") -> String {
        """
        name: overfit
        seed: 3
        data:
          inputs:  [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]]
          targets: [[-0.4], [-1.2], [0.4], [-0.4], [1.2], [0.4]]
          val:
            inputs:  [[-0.8], [-0.4], [0], [0.4], [0.8]]
            targets: [[-0.8], [-0.4], [0], [0.4], [0.8]]
        model:
          layers: [{dense: {units: 64, activation: tanh}}, {dense: {units: 64, activation: tanh}}, {dense: 1}]
        loss: mse
        training: {learning_rate: 0.3, epochs: \(epochs), log_every: 30\(extra)}
        """
    }

    private func run(_ text: String, _ store: RunStore) throws -> RunReport {
        try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.decode(text: text, path: "overfit.yaml")), store: store)
    }

    func testEarlyStoppingFinishesTheRunWhereValidationLossStoppedImproving() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try run(Self.overfitting(", early_stopping: {metric: val_loss, patience: 3, min_delta: 0.0001}"), store)
        XCTAssertEqual(report.status, .finished)
        XCTAssertEqual(report.result.steps, 300, "best at 210; 240, 270 and 300 are no better")
        let summary = try XCTUnwrap(try store.summary(runID: report.runID))
        XCTAssertEqual(summary.status, .finished)
        XCTAssertEqual(summary.steps, 300)
        XCTAssertEqual(summary.message, "stopped early at step 300: val_loss did not improve by more than 0.0001 for 3 log points")
        XCTAssertEqual(try store.metrics(runID: report.runID).last?.step, 300)
        XCTAssertEqual(try store.weights(runID: report.runID), try store.weights(runID: try run(Self.overfitting(epochs: 300), store).runID),
                       "the model is the weights where it stopped")
    }

    func testKeepBestMakesTheBestLogPointsWeightsTheModelAndKeepsTheLastOnes() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try run(Self.overfitting(", keep_best: val_loss"), store)
        let losses = try store.metrics(runID: report.runID).filter { $0.split == "val" && $0.name == "loss" && $0.step > 0 }
        let lowest = try XCTUnwrap(losses.min { $0.value < $1.value })
        XCTAssertEqual(report.result.bestStep, lowest.step)
        XCTAssertEqual(try store.summary(runID: report.runID)?.bestStep, lowest.step)
        XCTAssertNotEqual(lowest.step, 600, "the problem overfits")

        let toBest = try run(Self.overfitting(epochs: lowest.step), store)
        let plain = try run(Self.overfitting(), store)
        XCTAssertEqual(try store.weights(runID: report.runID), try store.weights(runID: toBest.runID))
        XCTAssertEqual(try store.weights(runID: report.runID, kind: "last"), try store.weights(runID: plain.runID))
        XCTAssertEqual(try store.weights(runID: plain.runID, kind: "last"), [], "without keep_best the model is the last weights")
    }

    /// The test split is measured once, on the run's model: with keep_best, the kept weights.
    func testKeepBestMeasuresTheTestSplitOnTheKeptModel() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        func withTest(_ text: String) -> String {
            text.replacingOccurrences(of: "  val:\n", with: """
                  test:
                    inputs:  [[-0.9], [-0.3], [0.3], [0.9]]
                    targets: [[-0.9], [-0.3], [0.3], [0.9]]
                  val:

                """)
        }
        let kept = try run(withTest(Self.overfitting(", keep_best: val_loss")), store)
        let bestStep = try XCTUnwrap(kept.result.bestStep)
        let toBest = try run(withTest(Self.overfitting(epochs: bestStep)), store)
        let last = try run(withTest(Self.overfitting()), store)
        let keptTest = try XCTUnwrap(kept.result.final?.value("test", "loss"))
        XCTAssertEqual(keptTest, try XCTUnwrap(toBest.result.final?.value("test", "loss")))
        XCTAssertNotEqual(keptTest, try XCTUnwrap(last.result.final?.value("test", "loss")))
        XCTAssertEqual(try store.summary(runID: kept.runID)?.testLoss, keptTest)
        XCTAssertEqual(try StoredModel(runID: kept.runID, store: store).evaluate(split: "test").loss, keptTest, accuracy: 1e-7)
    }

    /// The runs table's train and val columns describe the run's model: with keep_best, the best step's.
    func testKeepBestRunsSummaryAndSweepScoreAreTheKeptModels() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try run(Self.overfitting(", keep_best: val_loss"), store)
        let bestStep = try XCTUnwrap(report.result.bestStep)
        let metrics = try store.metrics(runID: report.runID)
        func value(_ split: String, at step: Int) -> Double? {
            metrics.first { $0.split == split && $0.name == "loss" && $0.step == step }?.value
        }
        let summary = try XCTUnwrap(try store.summary(runID: report.runID))
        XCTAssertEqual(summary.validationLoss, value("val", at: bestStep))
        XCTAssertEqual(summary.trainLoss, value("train", at: bestStep))
        XCTAssertNotEqual(summary.validationLoss, value("val", at: 600), "the last point is worse")

        let sweepText = Self.overfitting(epochs: 240, ", keep_best: val_loss")
            + "\nsweep:\n  metric: val_loss\n  grid:\n    training.learning_rate: [0.3]\n"
        let sweep = try SweepRun.run(try SweepPlan(config: try ConfigLoader.decode(text: sweepText, path: "overfit.yaml")), store: store, jobs: 1)
        let trial = try XCTUnwrap(sweep.outcomes.first)
        let trialRun = try XCTUnwrap(try store.summary(runID: try XCTUnwrap(trial.runID)))
        XCTAssertEqual(trialRun.bestStep, 210)
        XCTAssertEqual(trial.score, trialRun.validationLoss)
        XCTAssertEqual(trial.score, value("val", at: 210), "the same path as the run above up to step 240")
    }

    func testEarlyStoppingWithKeepBestKeepsTheBestBeforeTheStop() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try run(Self.overfitting(", early_stopping: {patience: 3}, keep_best: val_loss"), store)
        XCTAssertEqual(report.result.steps, 300)
        XCTAssertEqual(report.result.bestStep, 210)
        XCTAssertEqual(try store.weights(runID: report.runID), try store.weights(runID: try run(Self.overfitting(epochs: 210), store).runID))
    }

    func testTheRateInForceIsLoggedAtEveryLogPoint() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try run(Self.overfitting(epochs: 90, ", schedule: {step: {every: 30, factor: 0.5}, warmup: {steps: 60}}"), store)
        let rates = try store.metrics(runID: report.runID).filter { $0.split == "train" && $0.name == "lr" }
        XCTAssertEqual(rates.map(\.step), [0, 30, 60, 90])
        // Warmup: step s + 1 runs at (s + 1)/60 of the rate; StepLR halves it after epochs 30, 60, 90.
        XCTAssertEqual(rates.map(\.value), [0.3 / 60, 0.15 * 31 / 60, 0.075, 0.0375])
    }

    func testASweepTrialStopsEarlyByItsOwnConfig() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let text = Self.overfitting(", early_stopping: {patience: 3}") + """

            sweep:
              grid: {training.learning_rate: [0.3, 0.0001]}
              metric: val_loss
            """
        let report = try SweepRun.run(try SweepPlan(config: try ConfigLoader.decode(text: text, path: "grid.yaml")), store: store, jobs: 1)
        let runs = try report.outcomes.map { try XCTUnwrap(try store.summary(runID: try XCTUnwrap($0.runID))) }
        XCTAssertEqual(runs.map(\.status), [.finished, .finished])
        XCTAssertEqual(runs.map(\.steps), [300, 600], "the big rate overfits and stops; the tiny one keeps improving")
        XCTAssertEqual(runs[0].message?.hasPrefix("stopped early at step 300"), true)
    }
}
