import Foundation
import GRDB
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunRunner
import NetrunStore
import XCTest

/// `training.dtype: float64`: data, preprocessing, training, checkpoints, weights and resume all in
/// Double, for exact comparisons with float64 references.
final class Float64RunTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-f64-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func config(_ dtype: String = "float64") throws -> Config {
        try ConfigLoader.decode(text: """
            name: spiral64
            seed: 6
            data:
              synthetic: {kind: spiral, classes: 3, per_class: 40}
              split: {val: 30}
              preprocess: {scale: 0.3, standardize: true}
            model:
              layers: [{dense: {units: 16, activation: tanh}}, {dense: 3}]
            loss: softmax_cross_entropy
            training: {learning_rate: 0.5, momentum: 0.8, learning_rate_decay: 0.97, batch_size: 16, epochs: 12,
                       log_every: 2, checkpoint_every: 5, dtype: \(dtype)}
            """, path: "spiral.yaml")
    }

    private func column(_ sql: String) throws -> [String] {
        try DatabaseQueue(path: directory.appendingPathComponent("n.sqlite").path).read { db in
            try String.fetchAll(db, sql: sql)
        }
    }

    func testAFloat64RunStoresItsWeightsPreprocessingAndCheckpointAsFloat64() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let prepared = try PreparedRun<Double>(config: try config())
        XCTAssertTrue(prepared.modelSummary.hasSuffix(", float64"), prepared.modelSummary)
        let report = try TrainingRun.run(prepared, store: store)
        XCTAssertEqual(report.status, .finished)
        XCTAssertEqual(Set(try column("SELECT DISTINCT dtype FROM weights")), ["float64"])
        XCTAssertEqual(Set(try column("SELECT DISTINCT dtype FROM preprocessing")), ["float64"])
        XCTAssertEqual(Set(try column("SELECT DISTINCT dtype FROM checkpoint_tensors")), ["float64"])

        let weights = try store.weights(runID: report.runID)
        XCTAssertEqual(weights.map(\.dtype), Array(repeating: .float64, count: 4))
        XCTAssertEqual(weights, TrainingRun.weightTensors(prepared.network).sorted { ($0.layer, $0.name) < ($1.layer, $1.name) })
        XCTAssertTrue(weights.flatMap(\.values).contains { Double(Float($0)) != $0 }, "values beyond float32's precision")
        // The fitted mean is Float64's, not rounded to Float.
        let mean = try XCTUnwrap(prepared.data.preprocessing.mean)
        XCTAssertTrue(mean.contains { Double(Float($0)) != $0 })
        XCTAssertEqual(try store.preprocessing(runID: report.runID).first { $0.name == "mean" }?.values, mean)
    }

    func testFloat64TrainsCloseToFloat32ButNotInIt() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let wide = try TrainingRun.run(try PreparedRun<Double>(config: try config()), store: store)
        let narrow = try TrainingRun.run(try PreparedRun<Float>(config: try config("float32")), store: store)
        let a = try XCTUnwrap(wide.result.final?.value("train", "loss"))
        let b = try XCTUnwrap(narrow.result.final?.value("train", "loss"))
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, b, accuracy: 1e-4 * abs(a))
    }

    func testStopThenResumeAFloat64RunIsBitIdentical() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let whole = try TrainingRun.run(try PreparedRun<Double>(config: try config()), store: store)
        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Double>(config: try config()), store: store,
                                          shouldStop: { steps += 1; return steps == 37 })
        XCTAssertEqual(stopped.status, .interrupted)
        XCTAssertEqual(try store.checkpoint(runID: stopped.runID, as: Double.self)?.checkpoint.progress.step, 37)
        XCTAssertThrowsError(try store.checkpoint(runID: stopped.runID, as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("its tensors are float64, the run's config trains in float32"), "\(error)")
        }
        let resumed = try TrainingRun.resume(runID: stopped.runID, store: store)
        XCTAssertEqual(resumed.status, .finished)
        XCTAssertEqual(try store.weights(runID: resumed.runID).map { $0.values.map(\.bitPattern) },
                       try store.weights(runID: whole.runID).map { $0.values.map(\.bitPattern) })
        func metrics(_ id: Int64) throws -> [String] {
            try store.metrics(runID: id).map { "\($0.step) \($0.split) \($0.name) \($0.value.bitPattern)" }
        }
        XCTAssertEqual(try metrics(resumed.runID), try metrics(whole.runID))
    }

    func testAStoredFloat64ModelEvaluatesInFloat64() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let report = try TrainingRun.run(try PreparedRun<Double>(config: try config()), store: store)
        let model = try StoredModel(runID: report.runID, store: store)
        XCTAssertEqual(model.network.dtype, .float64)
        let val = try model.evaluate(split: "val")
        XCTAssertEqual(val.loss, try XCTUnwrap(report.result.final?.value("val", "loss")), accuracy: 1e-12)
    }

    func testAFloat64RunIsEstimatedAtEightBytesAValue() throws {
        let wide = MemoryEstimate(try config(), samples: [120], inputWidth: 2)
        let narrow = MemoryEstimate(try config("float32"), samples: [120], inputWidth: 2)
        XCTAssertEqual(wide.model.value, 2 * narrow.model.value)
        XCTAssertEqual(wide.activations.value, 2 * narrow.activations.value)
        XCTAssertGreaterThan(wide.data.value, narrow.data.value)
    }

    func testASweepInFloat64RunsEveryTrialInFloat64() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let sweep = try ConfigLoader.decode(text: try config().text + "\nsweep: {grid: {training.learning_rate: [0.1, 0.5]}}\n",
                                            path: "spiral.yaml")
        let report = try SweepRun.run(try SweepPlan(config: sweep), store: store, jobs: 1)
        XCTAssertEqual(report.outcomes.map(\.status), [.finished, .finished])
        XCTAssertEqual(Set(try column("SELECT DISTINCT dtype FROM weights")), ["float64"])
    }
}
