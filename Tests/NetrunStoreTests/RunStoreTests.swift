import Foundation
import NetrunStore
import XCTest

final class RunStoreTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-store-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeStore() throws -> RunStore {
        try RunStore(path: folder.appendingPathComponent("nested/dir/netrun.sqlite").path)
    }

    private let xor = NewRun(name: "xor", configPath: "configs/xor.yaml", configText: "abc",
                             seed: UInt64.max - 1, netrunVersion: "0.1.0")

    func testCreatesParentFoldersAndRecordsARunningRun() throws {
        let store = try makeStore()
        let id = try store.beginRun(xor)
        let run = try XCTUnwrap(store.summary(runID: id))
        XCTAssertEqual(run.name, "xor")
        XCTAssertEqual(run.status, .running)
        XCTAssertEqual(run.seed, UInt64.max - 1, "seeds above Int64.max survive the round trip")
        XCTAssertEqual(run.configHash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertNil(run.endedAt)
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.path))
    }

    func testFinishCopiesTheLastLoggedMetricsIntoTheRun() throws {
        let store = try makeStore()
        let id = try store.beginRun(xor)
        try store.appendMetrics(runID: id, [
            MetricPoint(step: 0, epoch: 0, split: "train", name: "loss", value: 0.7),
            MetricPoint(step: 0, epoch: 0, split: "train", name: "accuracy", value: 0.5),
        ])
        try store.appendMetrics(runID: id, [
            MetricPoint(step: 10, epoch: 10, split: "train", name: "loss", value: 0.01),
            MetricPoint(step: 10, epoch: 10, split: "train", name: "accuracy", value: 1),
        ])
        try store.finishRun(runID: id, status: .finished, steps: 10, epochs: 10, divergedStep: nil, message: nil)

        let run = try XCTUnwrap(store.summary(runID: id))
        XCTAssertEqual(run.status, .finished)
        XCTAssertEqual(run.trainLoss, 0.01)
        XCTAssertEqual(run.trainAccuracy, 1)
        XCTAssertNil(run.testLoss)
        XCTAssertNotNil(run.endedAt)
        XCTAssertEqual(try store.metrics(runID: id).count, 4)
    }

    func testNonFiniteMetricsAreStoredAsNull() throws {
        let store = try makeStore()
        let id = try store.beginRun(xor)
        try store.appendMetrics(runID: id, [MetricPoint(step: 3, epoch: 1, split: "train", name: "loss", value: .infinity)])
        try store.finishRun(runID: id, status: .diverged, steps: 3, epochs: 1, divergedStep: 3, message: "diverged")
        XCTAssertTrue(try store.metrics(runID: id)[0].value.isNaN)
        let run = try XCTUnwrap(store.summary(runID: id))
        XCTAssertEqual(run.status, .diverged)
        XCTAssertEqual(run.divergedStep, 3)
        XCTAssertNil(run.trainLoss)
    }

    func testWeightsRoundTripBitExactly() throws {
        let store = try makeStore()
        let id = try store.beginRun(xor)
        let tensors = [
            WeightTensor(layer: 0, name: "bias", shape: [2], values: [-0.0, .leastNonzeroMagnitude]),
            WeightTensor(layer: 0, name: "weight", shape: [2, 3], values: [1, -2.5, 3e-8, .greatestFiniteMagnitude, 0.1, 7]),
        ]
        try store.saveWeights(runID: id, tensors)
        let loaded = try store.weights(runID: id)
        XCTAssertEqual(loaded.map(\.shape), [[2], [2, 3]])
        XCTAssertEqual(loaded.flatMap(\.values).map(\.bitPattern), tensors.flatMap(\.values).map(\.bitPattern))
    }

    func testDuplicateMetricIsRejectedAndNothingOfThatBatchIsKept() throws {
        let store = try makeStore()
        let id = try store.beginRun(xor)
        let point = MetricPoint(step: 1, epoch: 1, split: "train", name: "loss", value: 1)
        try store.appendMetrics(runID: id, [point])
        XCTAssertThrowsError(try store.appendMetrics(runID: id, [
            MetricPoint(step: 2, epoch: 2, split: "train", name: "loss", value: 1), point,
        ])) { error in
            XCTAssertTrue("\(error)".contains("netrun.sqlite: could not record metrics of run \(id)"), "\(error)")
        }
        XCTAssertEqual(try store.metrics(runID: id), [point], "a failed batch is rolled back as a whole")
    }

    func testReopeningKeepsRunsAndListsNewestFirst() throws {
        let first = try makeStore().beginRun(xor)
        let store = try makeStore()
        let second = try store.beginRun(xor)
        XCTAssertEqual(try store.summaries().map(\.id), [second, first])
    }

    func testUnopenablePathNamesTheFile() {
        XCTAssertThrowsError(try RunStore(path: "/proc/netrun/netrun.sqlite")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/proc/netrun/netrun.sqlite: could not"), "\(error)")
        }
    }
}
