import Foundation
import NetrunStore
import XCTest

final class SweepStoreTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-sweeps-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeStore() throws -> RunStore {
        try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
    }

    private let sweep = NewSweep(name: "grid", configPath: "g.yaml", configText: "grid text", seed: 1,
                                 metric: "val_loss", maximize: false, netrunVersion: "0.1.0")

    private let specs = (0..<3).map { i in
        TrialSpec(trial: i, assignment: "training.reg=\(i)", learningRate: 0.1, reg: Double(i),
                  params: [(path: "training.reg", value: Double(i), text: "\(i)")])
    }

    private func run(_ store: RunStore, trial: Int, in sweepID: Int64, status: RunStatus, score: Double?) throws {
        let id = try store.beginRun(NewRun(name: "grid#\(trial)", configPath: "g.yaml", configText: "grid text", seed: 1,
                                           netrunVersion: "0.1.0"))
        try store.attachRun(sweepID: sweepID, trial: trial, runID: id)
        try store.finishRun(runID: id, status: status, steps: 1, epochs: 1, divergedStep: nil, message: nil)
        try store.recordScore(sweepID: sweepID, trial: trial, score: score)
    }

    func testBestTrialFollowsTheMetricsDirection() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trials: specs)
        XCTAssertFalse(opened.resumed)
        XCTAssertEqual(opened.trials.map(\.isDone), [false, false, false])
        try run(store, trial: 0, in: opened.id, status: .finished, score: 0.5)
        try run(store, trial: 1, in: opened.id, status: .finished, score: 0.2)
        try run(store, trial: 2, in: opened.id, status: .diverged, score: nil)
        XCTAssertEqual(try store.finishSweep(sweepID: opened.id, status: "finished"), 1, "val_loss: lower is better")
    }

    func testReadBackSweepHasEachTrialsValuesStatusAndScore() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trials: specs)
        try run(store, trial: 0, in: opened.id, status: .finished, score: 0.5)
        try run(store, trial: 1, in: opened.id, status: .diverged, score: nil)
        let read = try XCTUnwrap(try store.sweep(id: opened.id))
        XCTAssertEqual(read.metric, "val_loss")
        XCTAssertFalse(read.maximize)
        XCTAssertEqual(read.trials.map(\.trial), [0, 1, 2])
        XCTAssertEqual(read.trials.map(\.score), [0.5, nil, nil])
        XCTAssertEqual(read.trials.map(\.status), [.finished, .diverged, nil])
        XCTAssertEqual(read.trials.map(\.params), (0..<3).map { [SweptParam(path: "training.reg", value: Double($0), text: "\($0)")] })
        XCTAssertNil(try store.sweep(id: opened.id + 1))
    }

    func testSameTextResumesWithEachTrialsState() throws {
        let store = try makeStore()
        let first = try store.openSweep(sweep, trials: specs)
        try run(store, trial: 0, in: first.id, status: .finished, score: 0.5)
        try run(store, trial: 1, in: first.id, status: .failed, score: nil)
        let again = try store.openSweep(sweep, trials: specs)
        XCTAssertTrue(again.resumed)
        XCTAssertEqual(again.id, first.id)
        XCTAssertEqual(again.trials.map(\.runStatus), [.finished, .failed, nil])
        XCTAssertEqual(again.trials.map(\.isDone), [true, false, false])

        var edited = sweep
        edited.configText = "grid text, edited"
        XCTAssertFalse(try store.openSweep(edited, trials: specs).resumed, "another grid is another sweep")
    }

    func testDataDescriptionIsStoredWithTheRun() throws {
        let store = try makeStore()
        let id = try store.beginRun(NewRun(name: "iris", configPath: "i.yaml", configText: "x", seed: 1, netrunVersion: "0.1.0"))
        try store.saveDataDescription(runID: id, DataDescription(
            trainSamples: 90, validationSamples: 30, testSamples: nil, classNames: ["setosa", "versicolor"],
            preprocessing: [(name: "mean", values: [1, 2])]))
        try store.finishRun(runID: id, status: .finished, steps: 1, epochs: 1, divergedStep: nil, message: nil)
        XCTAssertEqual(try store.classNames(runID: id), ["setosa", "versicolor"])
        XCTAssertEqual(try store.preprocessing(runID: id).map(\.name), ["mean"])
        XCTAssertEqual(try store.preprocessing(runID: id).first?.values, [1, 2])
    }
}
