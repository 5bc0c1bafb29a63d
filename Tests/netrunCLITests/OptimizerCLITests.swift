import Foundation
import NetrunStore
import XCTest

/// `training.optimizer` end to end: chosen on the command line, trained, stopped and resumed
/// from the stored Adam state to the uninterrupted run's weights; a bad name is refused with
/// its place and nothing written.
final class OptimizerCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-optim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write() throws -> String {
        let url = directory.appendingPathComponent("optim.yaml")
        try """
            name: optim
            seed: 3
            data:
              inputs: [[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.1], [0.9, 0.3]]
              targets: [0, 1, 1, 0, 0, 1]
            model:
              layers:
                - dense: {units: 6, activation: tanh}
                - dense: 2
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, momentum: 0.9, epochs: 20, batch_size: 2, log_every: 5}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testAdamChosenOnTheCommandLineResumesToTheUninterruptedWeights() throws {
        let path = try write()
        let adam = ["training.momentum=null", "training.learning_rate=0.02", "training.optimizer={adam: {amsgrad: true}}"]
        let whole = try CLIRunner.run([path] + adam + ["--db", database, "--quiet"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let stopped = try CLIRunner.run([path] + adam + ["--db", database, "--quiet"],
                                        environment: ["NETRUN_TEST_STOP_AT_STEP": "17"])
        XCTAssertNotEqual(stopped.status, 0)
        let store = try RunStore(path: database)
        let saved = try XCTUnwrap(try store.checkpoint(runID: 2)).checkpoint
        XCTAssertEqual(saved.progress.step, 17)
        XCTAssertEqual(saved.optimizerState.keys.sorted(), ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])

        let resumed = try CLIRunner.run(["resume", "2", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try store.summary(runID: 2)?.status, .finished)
        XCTAssertEqual(try store.weights(runID: 2), try store.weights(runID: 1))
    }

    func testAnUnknownOptimizerIsRefusedWhereItIsWrittenAndNothingIsRecorded() throws {
        let path = try write()
        let result = try CLIRunner.run([path, "training.optimizer=adamm", "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("command line (training.optimizer=adamm):1:1: training.optimizer: unknown optimizer "
                                             + "'adamm' (did you mean 'adam'?); expected one of: sgd, adam, adamw"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))

        let nesterov = try CLIRunner.run([path, "training.momentum=null", "training.optimizer={sgd: {nesterov: true}}",
                                          "--db", database])
        XCTAssertEqual(nesterov.status, 2)
        XCTAssertTrue(nesterov.stderr.contains("training.optimizer.sgd.nesterov: nesterov needs a momentum above 0"), nesterov.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }
}
