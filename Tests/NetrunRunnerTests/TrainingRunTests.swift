import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

final class TrainingRunTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let xor = """
        name: xor
        seed: 1
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
          test: {inputs: [[1, 1], [0, 1]], targets: [0, 1]}
        model:
          layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.5, momentum: 0.5, batch_size: 2, epochs: 200, log_every: 50}
        """

    private func run(_ text: String, store: RunStore) throws -> RunReport {
        let prepared = try PreparedRun<Float>(config: try ConfigLoader.decode(text: text, path: "xor.yaml"))
        return try TrainingRun.run(prepared, store: store)
    }

    func testRecordsConfigMetricsWeightsAndOutcome() throws {
        let store = try RunStore(path: directory.appendingPathComponent("runs/n.sqlite").path)
        let report = try run(xor, store: store)
        XCTAssertEqual(report.status, .finished)
        let summary = try XCTUnwrap(try store.summary(runID: report.runID))
        XCTAssertEqual(summary.status, .finished)
        XCTAssertEqual(summary.seed, 1)
        XCTAssertEqual(summary.steps, 400)
        let metrics = try store.metrics(runID: report.runID)
        XCTAssertEqual(Set(metrics.map(\.step)), [0, 100, 200, 300, 400])
        XCTAssertEqual(metrics.filter { $0.split == "test" }.map(\.step), [400, 400], "test loss and accuracy, once, at the end")
        XCTAssertEqual(Set(metrics.map(\.split)), ["train", "test"])
        XCTAssertEqual(metrics.last { $0.split == "train" && $0.name == "accuracy" }?.value, 1)
        let weights = try store.weights(runID: report.runID)
        XCTAssertEqual(weights.map { "\($0.layer).\($0.name)\($0.shape)" },
                       ["0.bias[4]", "0.weight[4, 2]", "2.bias[2]", "2.weight[2, 4]"])
    }

    func testSameConfigTwiceGivesBitIdenticalMetricsAndWeights() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let a = try run(xor, store: store), b = try run(xor, store: store)
        XCTAssertEqual(try store.metrics(runID: a.runID), try store.metrics(runID: b.runID))
        XCTAssertEqual(try store.weights(runID: a.runID), try store.weights(runID: b.runID))
    }

    func testDivergingRunIsRecordedWithItsStep() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let diverging = """
            data: {inputs: [[3, 1], [1, 4]], targets: [[1], [2]]}
            model: {layers: [{dense: 1}]}
            loss: mse
            training: {learning_rate: 10, epochs: 1000, log_every: 100}
            """
        let report = try run(diverging, store: store)
        XCTAssertEqual(report.status, .diverged)
        XCTAssertTrue(report.message?.contains("try a smaller learning rate than 10.0") == true)
        let summary = try XCTUnwrap(try store.summary(runID: report.runID))
        XCTAssertEqual(summary.status, .diverged)
        guard case .diverged(let step, _) = report.result.outcome else { return XCTFail() }
        XCTAssertEqual(summary.divergedStep, step)
        XCTAssertFalse(try store.metrics(runID: report.runID).isEmpty, "metrics logged before divergence are kept")
    }
}
