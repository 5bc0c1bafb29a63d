import Foundation
import GRDB
import NetrunStore
import XCTest

/// The `hyperparameters` table: one row per resolved setting, numbers as REAL values.
final class HyperparameterStoreTests: XCTestCase {
    private var folder: URL!
    private var path: String { folder.appendingPathComponent("netrun.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-store-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A finished run with this learning rate and final validation accuracy.
    private func record(_ store: RunStore, learningRate: Double, valAccuracy: Double) throws -> Int64 {
        let id = try store.beginRun(NewRun(name: "xor", configPath: "xor.yaml", configText: "x", seed: 1, netrunVersion: "0"))
        try store.saveHyperparameters(runID: id, [
            Hyperparameter(key: "training.learning_rate", value: learningRate, text: String(learningRate)),
            Hyperparameter(key: "training.optimizer", value: nil, text: "sgd"),
        ])
        try store.appendMetrics(runID: id, [MetricPoint(step: 1, epoch: 1, split: "val", name: "accuracy", value: valAccuracy)])
        try store.finishRun(runID: id, status: .finished, steps: 1, epochs: 1, divergedStep: nil, message: nil)
        return id
    }

    func testSettingsReadBackPerRunInKeyOrder() throws {
        let store = try RunStore(path: path)
        let id = try record(store, learningRate: 0.01, valAccuracy: 0.5)
        XCTAssertEqual(try store.hyperparameters(runIDs: [id, 99]), [id: [
            Hyperparameter(key: "training.learning_rate", value: 0.01, text: "0.01"),
            Hyperparameter(key: "training.optimizer", value: nil, text: "sgd"),
        ]])
        try store.saveHyperparameters(runID: id, [Hyperparameter(key: "seed", value: 1, text: "1")])
        XCTAssertEqual(try store.hyperparameters(runIDs: [id])[id]?.map(\.key), ["seed"], "saving again replaces")
    }

    func testBestValidationAccuracyByLearningRateIsOnePlainQuery() throws {
        let store = try RunStore(path: path)
        _ = try record(store, learningRate: 0.1, valAccuracy: 0.6)
        _ = try record(store, learningRate: 0.1, valAccuracy: 0.8)
        _ = try record(store, learningRate: 0.01, valAccuracy: 0.7)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.value AS learning_rate, max(r.val_accuracy) AS best_val_accuracy, count(*) AS runs
                FROM hyperparameters h JOIN runs r ON r.id = h.run_id
                WHERE h.key = 'training.learning_rate'
                GROUP BY h.value ORDER BY best_val_accuracy DESC
                """)
        }
        XCTAssertEqual(rows.map { [$0["learning_rate"], $0["best_val_accuracy"], $0["runs"]] as [Double] },
                       [[0.1, 0.8, 2], [0.01, 0.7, 1]])
    }

    func testARunsSettingsGoWithIt() throws {
        let store = try RunStore(path: path)
        let id = try record(store, learningRate: 0.1, valAccuracy: 0.6)
        try store.deleteRun(runID: id)
        XCTAssertEqual(try store.hyperparameters(runIDs: [id]), [:])
    }
}
