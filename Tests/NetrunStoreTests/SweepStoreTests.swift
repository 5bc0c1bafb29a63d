import Foundation
import GRDB
@testable import NetrunStore
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
        try store.finishTrial(sweepID: sweepID, trial: trial, score: score, done: status == .finished || status == .diverged)
    }

    func testBestTrialFollowsTheMetricsDirection() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 3, listing: { self.specs })
        XCTAssertFalse(opened.resumed)
        XCTAssertEqual(opened.trials.map(\.isDone), [false, false, false])
        try run(store, trial: 0, in: opened.id, status: .finished, score: 0.5)
        try run(store, trial: 1, in: opened.id, status: .finished, score: 0.2)
        try run(store, trial: 2, in: opened.id, status: .diverged, score: nil)
        XCTAssertEqual(try store.closeSweep(sweepID: opened.id).best, 1, "val_loss: lower is better")
    }

    func testReadBackSweepHasEachTrialsValuesStatusAndScore() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 3, listing: { self.specs })
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
        let first = try store.openSweep(sweep, trialCount: 3, listing: { self.specs })
        try run(store, trial: 0, in: first.id, status: .finished, score: 0.5)
        try run(store, trial: 1, in: first.id, status: .failed, score: nil)
        let again = try store.openSweep(sweep, trialCount: 3, listing: { self.specs })
        XCTAssertTrue(again.resumed)
        XCTAssertEqual(again.id, first.id)
        XCTAssertEqual(again.trials.map(\.runStatus), [.finished, .failed, nil])
        XCTAssertEqual(again.trials.map(\.isDone), [true, false, false])

        var edited = sweep
        edited.configText = "grid text, edited"
        XCTAssertFalse(try store.openSweep(edited, trialCount: 3, listing: { self.specs }).resumed, "another grid is another sweep")
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

    // MARK: - Claims

    /// A process that is alive on this host and is not this one (init).
    private let otherLive = ProcessOwner(pid: 1, host: ProcessOwner.current.host)
    /// A process that cannot exist: its claims are a dead owner's.
    private let dead = ProcessOwner(pid: Int32.max, host: ProcessOwner.current.host)

    private func spec(_ i: Int) -> TrialSpec {
        TrialSpec(trial: i, assignment: "training.reg=\(i)", learningRate: 0.1, reg: Double(i),
                  params: [(path: "training.reg", value: Double(i), text: "\(i)")])
    }

    private func claimed(_ claim: TrialClaim) -> (trial: Int, stale: Bool)? {
        if case .claimed(let state, let stale) = claim { return (state.trial, stale) }
        return nil
    }

    func testATrialClaimedByAProcessWhosePidCameRoundIsTakenOverAsStale() throws {
        #if os(Linux)
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 1, listing: { [spec(0)] })
        // Claimed by a process that started at another time than the one now holding pid 1.
        let gone = ProcessOwner(pid: 1, host: ProcessOwner.current.host, started: "another-boot/17")
        XCTAssertEqual(claimed(try store.claimTrial(sweepID: opened.id, owner: gone, spec: spec))?.trial, 0)
        XCTAssertEqual(try store.trialStates(sweepID: opened.id).first?.owner, gone)
        let taken = try XCTUnwrap(claimed(try store.claimTrial(sweepID: opened.id, spec: spec)))
        XCTAssertEqual(taken.trial, 0)
        XCTAssertTrue(taken.stale)
        #else
        throw XCTSkip("process start times are read from Linux's /proc")
        #endif
    }

    func testClaimsHandOutEachTrialOnceAndRecordTheRestOfTheGridAsClaimed() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 5, listing: { (0..<2).map(self.spec) })
        XCTAssertEqual(opened.trials.map(\.trial), [0, 1], "only the listed trials are recorded up front")
        var taken: [Int] = []
        for owner in [ProcessOwner.current, otherLive, .current, otherLive, .current] {
            let claim = try store.claimTrial(sweepID: opened.id, owner: owner, spec: spec)
            taken.append(try XCTUnwrap(claimed(claim)).trial)
        }
        XCTAssertEqual(taken, [0, 1, 2, 3, 4])
        XCTAssertEqual(try store.trialStates(sweepID: opened.id).map(\.claim), Array(repeating: .running, count: 5))
        guard case .wait = try store.claimTrial(sweepID: opened.id, spec: spec) else {
            return XCTFail("another live process holds trials it may yet leave: wait")
        }
        for trial in [1, 3] { try store.finishTrial(sweepID: opened.id, trial: trial, score: 0.5, done: true) }
        guard case .none = try store.claimTrial(sweepID: opened.id, spec: spec) else {
            return XCTFail("only this process's own claims are left: nothing to wait for")
        }
        try store.finishTrial(sweepID: opened.id, trial: 2, score: nil, done: false)
        XCTAssertEqual(claimed(try store.claimTrial(sweepID: opened.id, owner: otherLive, spec: spec))?.trial, 2,
                       "a released trial is pending again")
    }

    func testATrialWhoseOwnerDiedIsTakenOverAndItsUnlinkedRunDropped() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 3, listing: { (0..<3).map(self.spec) })
        XCTAssertEqual(claimed(try store.claimTrial(sweepID: opened.id, owner: dead, spec: spec))?.trial, 0)
        // The dead owner had begun a run for trial 0 and was killed before linking it.
        let orphan = try store.beginRun(NewRun(name: "grid#0", configPath: "g.yaml", configText: "grid text", seed: 1,
                                               netrunVersion: "0.1.0"))
        let taken = try XCTUnwrap(claimed(try store.claimTrial(sweepID: opened.id, spec: spec)))
        XCTAssertEqual(taken.trial, 0)
        XCTAssertTrue(taken.stale)
        XCTAssertNil(try store.summary(runID: orphan), "no run is left running for a dead process")
        XCTAssertEqual(try store.trialStates(sweepID: opened.id).first?.owner, .current)
    }

    func testASweepIsFinishedOnlyWhenEveryTrialIsDone() throws {
        let store = try makeStore()
        let opened = try store.openSweep(sweep, trialCount: 2, listing: { (0..<2).map(self.spec) })
        _ = try store.claimTrial(sweepID: opened.id, owner: otherLive, spec: spec)
        _ = try store.claimTrial(sweepID: opened.id, spec: spec)
        try run(store, trial: 1, in: opened.id, status: .finished, score: 0.3)
        let meanwhile = try store.closeSweep(sweepID: opened.id)
        XCTAssertEqual(meanwhile.status, "running", "another process still works on trial 0")
        XCTAssertEqual(meanwhile.unfinished, 1)
        try run(store, trial: 0, in: opened.id, status: .finished, score: 0.2)
        let standing = try store.closeSweep(sweepID: opened.id)
        XCTAssertEqual(standing.status, "finished")
        XCTAssertEqual(standing.best, 0)
    }

    func testASweepFromBeforeClaimsKeepsItsDoneTrialsAndContinuesTheRest() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("n.sqlite").path
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "004-sweep-overrides")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, config_path, config_text, config_hash, seed, status, netrun_version)
                VALUES ('grid#0', 'g.yaml', 'grid text', 'h', 1, 'finished', '0.1.0'),
                       ('grid#1', 'g.yaml', 'grid text', 'h', 1, 'running', '0.1.0');
                INSERT INTO sweeps (name, config_path, config_text, config_hash, seed, metric, maximize, netrun_version)
                VALUES ('grid', 'g.yaml', 'grid text', 'h', 1, 'val_loss', 0, '0.1.0');
                INSERT INTO trials (sweep_id, trial, assignment, learning_rate, reg, run_id, score)
                VALUES (1, 0, 'training.reg=0', 0.1, 0, 1, 0.5), (1, 1, 'training.reg=1', 0.1, 1, 2, NULL),
                       (1, 2, 'training.reg=2', 0.1, 2, NULL, NULL);
                """)
        }
        try old.close()

        let store = try makeStore()
        XCTAssertEqual(try store.trialStates(sweepID: 1).map(\.claim), [.done, .pending, .pending])
        XCTAssertEqual(claimed(try store.claimTrial(sweepID: 1, spec: spec))?.trial, 1,
                       "the trial whose run was left running is continued first")
    }
}
