import Foundation
import GRDB
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

final class ResumeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let spiral = """
        name: spiral
        seed: 6
        data:
          synthetic: {kind: spiral, classes: 3, per_class: 40}
          split: {val: 30}
        model:
          layers: [{dense: {units: 16, activation: relu}}, {dense: 3}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.5, momentum: 0.8, learning_rate_decay: 0.97, batch_size: 16, epochs: 12,
                   log_every: 2, checkpoint_every: 5}
        """

    private func metricRows(_ store: RunStore, _ runID: Int64) throws -> [String] {
        try store.metrics(runID: runID).map { "\($0.step) \($0.epoch) \($0.split) \($0.name) \($0.value.bitPattern)" }
    }

    /// The spiral run with each optimizer (and its state kinds): the config's SGD with momentum,
    /// and the others written as overrides.
    private let optimizers: [(overrides: [String], state: [String])] = [
        ([], ["velocity"]),
        (["training.momentum=null"], []),
        (["training.optimizer={sgd: {nesterov: true, weight_decay: 0.001}}"], ["velocity"]),
        (["training.momentum=null", "training.learning_rate=0.01", "training.optimizer={adam: {weight_decay: 0.001}}"],
         ["exp_avg", "exp_avg_sq"]),
        (["training.momentum=null", "training.learning_rate=0.01", "training.optimizer={adam: {amsgrad: true}}"],
         ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]),
        (["training.momentum=null", "training.learning_rate=0.01", "training.optimizer=adamw"], ["exp_avg", "exp_avg_sq"]),
    ]

    func testStopThenResumeEqualsAnUninterruptedRunInWeightsAndMetricsForEveryOptimizer() throws {
        for (overrides, state) in optimizers {
            let store = try RunStore(path: directory.appendingPathComponent("n\(overrides.count)-\(state.count).sqlite").path)
            let config = try ConfigLoader.decode(text: spiral, path: "spiral.yaml",
                                                 overrides: overrides.map(ConfigOverride.parse(argument:)))
            let name = config.training.optimizer.description
            let whole = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)

            var steps = 0
            let stopped = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store,
                                              shouldStop: { steps += 1; return steps == 37 })
            XCTAssertEqual(stopped.status, .interrupted, name)
            XCTAssertEqual(try store.summary(runID: stopped.runID)?.status, .interrupted, name)
            let saved = try XCTUnwrap(try store.checkpoint(runID: stopped.runID)?.checkpoint)
            XCTAssertEqual(saved.progress.step, 37, name)
            XCTAssertEqual(saved.optimizerState.keys.sorted(), state, "\(name): the state under PyTorch's names")

            let resumed = try TrainingRun.resume(runID: stopped.runID, store: store)
            XCTAssertEqual(resumed.status, .finished, name)
            XCTAssertEqual(resumed.runID, stopped.runID, "the same run continues")
            XCTAssertEqual(try store.weights(runID: resumed.runID), try store.weights(runID: whole.runID), name)
            XCTAssertEqual(try metricRows(store, resumed.runID), try metricRows(store, whole.runID), name)
        }
    }

    func testACheckpointWithAnotherOptimizersStateIsRefusedNotTrusted() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let sgd = try ConfigLoader.decode(text: spiral, path: "spiral.yaml")
        let adam = try ConfigLoader.decode(text: spiral, path: "spiral.yaml", overrides: [
            try ConfigOverride.parse(argument: "training.momentum=null"),
            try ConfigOverride.parse(argument: "training.optimizer=adam")])
        var steps = 0
        let sgdRun = try TrainingRun.run(try PreparedRun<Float>(config: sgd), store: store, shouldStop: { steps += 1; return steps == 10 })
        steps = 0
        let adamRun = try TrainingRun.run(try PreparedRun<Float>(config: adam), store: store, shouldStop: { steps += 1; return steps == 10 })
        let (adamSaved, layout, _) = try XCTUnwrap(try store.checkpoint(runID: adamRun.runID))
        let (sgdSaved, _, _) = try XCTUnwrap(try store.checkpoint(runID: sgdRun.runID))

        // Adam's moments in the SGD run's checkpoint, and SGD's velocity in the Adam run's.
        try store.saveCheckpoint(runID: sgdRun.runID, adamSaved, layout: layout)
        XCTAssertThrowsError(try TrainingRun.prepareResume(runID: sgdRun.runID, store: store, as: Float.self)) {
            XCTAssertTrue($0 is RunnerError, "\($0)")
            XCTAssertEqual("\($0)", "run \(sgdRun.runID)'s checkpoint does not fit the model its config builds: "
                           + "it holds optimizer state 'exp_avg', which sgd does not keep")
        }
        try store.saveCheckpoint(runID: adamRun.runID, sgdSaved, layout: layout)
        XCTAssertThrowsError(try TrainingRun.prepareResume(runID: adamRun.runID, store: store, as: Float.self)) {
            XCTAssertEqual("\($0)", "run \(adamRun.runID)'s checkpoint does not fit the model its config builds: "
                           + "it holds optimizer state 'velocity', which adam does not keep")
        }
        // A checkpoint missing one tensor of Adam's second moment (a corrupt database).
        try store.saveCheckpoint(runID: adamRun.runID, adamSaved, layout: layout)
        try sqlite3(store.path, "DELETE FROM checkpoint_tensors WHERE run_id = \(adamRun.runID) AND kind = 'exp_avg_sq' AND position = 3")
        XCTAssertThrowsError(try TrainingRun.prepareResume(runID: adamRun.runID, store: store, as: Float.self)) {
            XCTAssertEqual("\($0)", "run \(adamRun.runID)'s checkpoint does not fit the model its config builds: "
                           + "3 exp_avg_sq tensors for 4 parameters")
        }
    }

    /// Runs `text` whole, and again stopped after step `stop` then resumed: the two must end alike
    /// in every bit: model and last weights, metrics, outcome, message and best step.
    private func assertResumeAfter(step stop: Int, equalsAWholeRun text: String,
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        let store = try RunStore(path: directory.appendingPathComponent("n\(stop).sqlite").path)
        let config = try ConfigLoader.decode(text: text, path: "resume.yaml")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store,
                                          shouldStop: { steps += 1; return steps == stop })
        XCTAssertEqual(stopped.status, .interrupted, file: file, line: line)
        let resumed = try TrainingRun.resume(runID: stopped.runID, store: store)
        XCTAssertEqual(resumed.status, .finished, file: file, line: line)
        for kind in ["model", "last"] {
            XCTAssertEqual(try store.weights(runID: resumed.runID, kind: kind), try store.weights(runID: whole.runID, kind: kind),
                           kind, file: file, line: line)
        }
        XCTAssertEqual(try metricRows(store, resumed.runID), try metricRows(store, whole.runID), file: file, line: line)
        let (a, b) = (try XCTUnwrap(try store.summary(runID: resumed.runID)), try XCTUnwrap(try store.summary(runID: whole.runID)))
        XCTAssertEqual([a.steps, a.bestStep], [b.steps, b.bestStep], file: file, line: line)
        XCTAssertEqual(a.message, b.message, file: file, line: line)
    }

    func testResumeMidPlateauIsBitIdentical() throws {
        // Best at 210, no better at 240: stopped at 245 with plateau one log point into its
        // patience; the whole run halves the rate at 300, and so must the resumed one.
        let text = EarlyStoppingTests.overfitting(", schedule: {plateau: {metric: val_loss, patience: 2, factor: 0.5}}, checkpoint_every: 60")
        try assertResumeAfter(step: 245, equalsAWholeRun: text)
        try assertResumeAfter(step: 37, equalsAWholeRun: spiral.replacingOccurrences(
            of: "learning_rate_decay: 0.97,", with: "schedule: {plateau: {metric: val_accuracy, patience: 0, factor: 0.5}},"))
    }

    func testResumeMidWarmupAndMidCosineIsBitIdentical() throws {
        let text = spiral.replacingOccurrences(of: "learning_rate_decay: 0.97,", with:
            "schedule: {cosine: {min_lr: 0.01}, warmup: {steps: 20}},")
        try assertResumeAfter(step: 13, equalsAWholeRun: text)
        try assertResumeAfter(step: 37, equalsAWholeRun: text)
    }

    func testResumeMidPatienceWithKeepBestIsBitIdentical() throws {
        // Best at 210, no better at 240: stopped at 245 with one bad log point and the best weights
        // in the checkpoint; the whole run stops early at 300 and keeps 210's weights.
        let text = EarlyStoppingTests.overfitting(", early_stopping: {patience: 3}, keep_best: val_loss, checkpoint_every: 60")
        try assertResumeAfter(step: 245, equalsAWholeRun: text)
    }

    func testResumeBetweenLogPointsWithRunningMetricsIsBitIdentical() throws {
        // Stopped at step 37, one step past a log point (every 12 steps): the mean at step 48 is
        // over the batches of steps 37–48, the one counted before the stop among them.
        let text = spiral.replacingOccurrences(of: "log_every: 2,", with: "log_every: 2, train_metrics: running,")
        try assertResumeAfter(step: 37, equalsAWholeRun: text)
        try assertResumeAfter(step: 41, equalsAWholeRun: text)
    }

    func testACheckpointsUnreadableRunningCountsAreRefusedNamingThem() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let text = spiral.replacingOccurrences(of: "log_every: 2,", with: "log_every: 2, train_metrics: running,")
        let config = try ConfigLoader.decode(text: text, path: "spiral.yaml")
        var steps = 0
        let stopped = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store,
                                          shouldStop: { steps += 1; return steps == 37 })
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: "UPDATE checkpoints SET running_metrics = '{\"rows\": 5}'")
        }
        XCTAssertThrowsError(try TrainingRun.resume(runID: stopped.runID, store: store)) { error in
            XCTAssertTrue("\(error)".contains("running_metrics"), "\(error)")
        }
    }

    func testResumeFromAnOlderCheckpointDropsTheMetricsLoggedAfterIt() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let config = try ConfigLoader.decode(text: spiral, path: "spiral.yaml")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        // A kill between checkpoints leaves the run with an older checkpoint (epoch 5, from a run
        // stopped there) and metrics logged past it (up to epoch 12 here).
        let killed = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        var steps = 0
        let atFive = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store,
                                         shouldStop: { steps += 1; return steps == 5 * 6 })  // 6 steps per epoch
        let (fifth, layout, _) = try XCTUnwrap(try store.checkpoint(runID: atFive.runID))
        try store.saveCheckpoint(runID: killed.runID, fifth, layout: layout)
        try store.finishRun(runID: killed.runID, status: .failed, steps: 0, epochs: 0, divergedStep: nil, message: "killed")

        let resumed = try TrainingRun.resume(runID: killed.runID, store: store)
        XCTAssertEqual(resumed.status, .finished)
        XCTAssertEqual(try metricRows(store, killed.runID), try metricRows(store, whole.runID))
    }

    func testResumeFromTheFinalCheckpointOnlyRecordsTheEnd() throws {
        // Killed after the last checkpoint but before the run was marked finished.
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let config = try ConfigLoader.decode(text: spiral, path: "spiral.yaml")
        let run = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        let metrics = try metricRows(store, run.runID), weights = try store.weights(runID: run.runID)
        try store.finishRun(runID: run.runID, status: .failed, steps: 0, epochs: 0, divergedStep: nil, message: "killed")
        let resumed = try TrainingRun.resume(runID: run.runID, store: store)
        XCTAssertEqual(resumed.status, .finished)
        XCTAssertEqual(resumed.result.final, run.result.final)
        XCTAssertEqual(try metricRows(store, run.runID), metrics)
        XCTAssertEqual(try store.weights(runID: run.runID), weights)
    }

    func testResumeRefusesWhatItCannotContinue() throws {
        let store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
        let finished = try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.decode(text: spiral, path: "s.yaml")),
                                           store: store)
        XCTAssertThrowsError(try TrainingRun.resume(runID: finished.runID, store: store)) {
            XCTAssertEqual("\($0)", "run \(finished.runID) (spiral) already finished; nothing to resume")
        }
        XCTAssertThrowsError(try TrainingRun.resume(runID: 99, store: store)) {
            XCTAssertEqual("\($0)", "no run 99 in \(store.path)")
        }
    }

    /// Runs `sql` on the database with the sqlite3 shell, as another process would.
    private func sqlite3(_ path: String, _ sql: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("needs /usr/bin/sqlite3") }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [path, sql]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0, sql)
    }

    /// The database refuses every metric from `step` on, as a full disk would.
    private func fillTheDisk(_ path: String, atStep step: Int) throws {
        try sqlite3(path, """
            CREATE TRIGGER disk_full BEFORE INSERT ON metrics WHEN NEW.step >= \(step)
            BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END
            """)
    }

    func testAFailedRunRecordsTheStepsItReachedAndResumesFromItsCheckpoint() throws {
        let path = directory.appendingPathComponent("n.sqlite").path
        let store = try RunStore(path: path)
        let config = try ConfigLoader.decode(text: spiral, path: "spiral.yaml")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        try fillTheDisk(path, atStep: 48)  // the log point of epoch 8; the last checkpoint is at step 30
        XCTAssertThrowsError(try TrainingRun.run(try PreparedRun<Float>(config: config), store: store))
        let failed = try XCTUnwrap(store.summary(runID: 2))
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.steps, 48)
        XCTAssertEqual(failed.epochs, 8)
        XCTAssertTrue(failed.message?.contains("database or disk is full") ?? false, failed.message ?? "")

        try sqlite3(path, "DROP TRIGGER disk_full")
        XCTAssertEqual(try TrainingRun.resume(runID: 2, store: store).status, .finished)
        XCTAssertEqual(try store.weights(runID: 2), try store.weights(runID: whole.runID))
        XCTAssertEqual(try metricRows(store, 2), try metricRows(store, whole.runID))
    }

    func testARunThatFailedBeforeItsFirstCheckpointStartsOverWhenResumed() throws {
        let path = directory.appendingPathComponent("n.sqlite").path
        let store = try RunStore(path: path)
        let config = try ConfigLoader.decode(text: spiral, path: "spiral.yaml")
        let whole = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        try fillTheDisk(path, atStep: 12)
        XCTAssertThrowsError(try TrainingRun.run(try PreparedRun<Float>(config: config), store: store))
        XCTAssertNil(try store.checkpoint(runID: 2))

        try sqlite3(path, "DROP TRIGGER disk_full")
        let (_, point) = try TrainingRun.prepareResume(runID: 2, store: store, as: Float.self)
        XCTAssertNil(point.checkpoint)
        XCTAssertEqual(point.step, 0)
        XCTAssertEqual(try TrainingRun.resume(runID: 2, store: store).status, .finished)
        XCTAssertEqual(try store.weights(runID: 2), try store.weights(runID: whole.runID))
        XCTAssertEqual(try metricRows(store, 2), try metricRows(store, whole.runID))
    }
}
