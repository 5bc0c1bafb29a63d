import Foundation
import GRDB
import NetrunCore
import NetrunStore
import XCTest

/// Who trains a running run, and telling a live owner from a killed one.
final class RunLivenessTests: XCTestCase {
    private var folder: URL!
    private var path: String { folder.appendingPathComponent("netrun.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-live-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private let run = NewRun(name: "xor", configPath: "xor.yaml", configText: "abc", seed: 1, netrunVersion: "0.1.0")
    /// No process has this id (Linux pids stay below 2^22).
    private let deadPID = Int32.max

    /// Changes the run's row as another process (or an older netrun) would have left it.
    private func setRun(_ id: Int64, _ assignments: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "UPDATE runs SET \(assignments) WHERE id = \(id)", arguments: arguments) }
        try queue.close()
    }

    func testANewRunIsOwnedByThisProcessWithAHeartbeat() throws {
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)
        let summary = try XCTUnwrap(store.summary(runID: id))
        XCTAssertEqual(summary.owner, ProcessOwner.current)
        XCTAssertNotNil(summary.heartbeatAt)
        XCTAssertFalse(summary.isStale)
        XCTAssertEqual(summary.shownStatus, "running")
    }

    func testLogPointsAndCheckpointsMoveTheHeartbeat() throws {
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)
        try setRun(id, "heartbeat_at = '2000-01-01T00:00:00.000Z'")
        try store.appendMetrics(runID: id, [MetricPoint(step: 0, epoch: 0, split: "train", name: "loss", value: 1)])
        XCTAssertGreaterThan(try XCTUnwrap(store.summary(runID: id)?.heartbeatAt), "2001")

        try setRun(id, "heartbeat_at = '2000-01-01T00:00:00.000Z'")
        let progress = TrainingProgress(step: 1, epoch: 0, learningRate: 0.1, generator: SplitMix64(seed: 1), order: [0])
        try store.saveCheckpoint(runID: id, Checkpoint(progress: progress, parameters: [[1, 2]]),
                                 layout: [TensorLayout(layer: 0, name: "weight", shape: [1, 2])])
        XCTAssertGreaterThan(try XCTUnwrap(store.summary(runID: id)?.heartbeatAt), "2001")
    }

    func testARunWhosePidCameRoundToAnotherProcessIsStale() throws {
        #if os(Linux)
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)
        XCTAssertEqual(try store.summary(runID: id)?.owner?.started, ProcessOwner.startIdentity(of: getpid()))
        XCTAssertNotNil(ProcessOwner.current.started)
        // pid 1 is alive, but it is not the process that started the run (that one started at
        // another time and was killed; its pid went to another process since).
        try setRun(id, "owner_pid = 1, owner_started = 'another-boot/17'")
        XCTAssertTrue(try store.isStale(runID: id))
        try store.reopenRun(runID: id, atStep: nil)
        XCTAssertEqual(try store.owner(runID: id), ProcessOwner.current, "taken over by this process")
        // The same pid with its own start is the owner, alive: the run is busy.
        try setRun(id, "owner_pid = 1, owner_started = ?", [ProcessOwner.startIdentity(of: 1)])
        XCTAssertFalse(try store.isStale(runID: id))
        XCTAssertThrowsError(try store.reopenRun(runID: id, atStep: nil))
        // This process's own pid with another start is an earlier process's.
        XCTAssertEqual(ProcessOwner(pid: getpid(), host: ProcessOwner.current.host, started: "x/1").isAlive, false)
        #else
        throw XCTSkip("process start times are read from Linux's /proc")
        #endif
    }

    func testARunningRunWhoseProcessIsGoneIsStaleAndCanBeTakenOver() throws {
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)
        try setRun(id, "owner_pid = ?", [deadPID])
        XCTAssertTrue(try store.isStale(runID: id))
        XCTAssertEqual(try store.summary(runID: id)?.shownStatus, "stale")
        XCTAssertEqual(try store.listRuns(status: .running).first?.summary.isStale, true, "stored status stays running")

        try store.reopenRun(runID: id, atStep: nil)
        XCTAssertEqual(try store.owner(runID: id), ProcessOwner.current, "taken over by this process")
        XCTAssertFalse(try store.isStale(runID: id))
        try store.finishRun(runID: id, status: .interrupted, steps: 1, epochs: 0, divergedStep: nil, message: nil)
        try setRun(id, "owner_pid = ?", [deadPID])
        XCTAssertFalse(try store.isStale(runID: id), "only a running run can be stale")
    }

    func testReopeningARunALiveProcessTrainsIsRefusedNamingThatProcess() throws {
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)  // owned by this process, which is alive
        let me = ProcessOwner.current
        XCTAssertThrowsError(try store.reopenRun(runID: id, atStep: 3)) { error in
            XCTAssertEqual("\(error)", "run \(id) (xor) is being trained by pid \(me.pid) on \(me.host); "
                           + "wait for it to end or stop it (kill -INT \(me.pid)), then resume")
        }
        try setRun(id, "owner_host = 'elsewhere'")
        XCTAssertFalse(try store.isStale(runID: id), "another host's process cannot be checked from here")
        XCTAssertThrowsError(try store.reopenRun(runID: id, atStep: 3)) { error in
            XCTAssertTrue("\(error)".contains("pid \(me.pid) on elsewhere, another host"), "\(error)")
        }
    }

    func testARunRecordedBeforeOwnersWereKeptCanBeReopened() throws {
        let store = try RunStore(path: path)
        let id = try store.beginRun(run)
        try store.appendMetrics(runID: id, [MetricPoint(step: 0, epoch: 0, split: "train", name: "loss", value: 1),
                                            MetricPoint(step: 5, epoch: 1, split: "train", name: "loss", value: 0.5)])
        try setRun(id, "owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL")
        XCTAssertFalse(try store.isStale(runID: id))
        try store.reopenRun(runID: id, atStep: nil)
        XCTAssertEqual(try store.metrics(runID: id), [], "starting over drops every logged point")
    }
}
