import Foundation
import XCTest

/// Sizes too large for memory or for the step counter are refused as bad input, at once, with
/// the estimate, and nothing is written.
final class SizeCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testHugeUnitsOverrideExitsTwoQuicklyWithTheEstimate() throws {
        let start = ContinuousClock.now
        let result = try CLIRunner.run(["configs/xor-tanh.yaml", "model.layers[0].dense.units=9223372036854775807",
                                        "--db", database])
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("netrun: configs/xor-tanh.yaml:12:7: model.layers[0]: the run needs more "
                                              + "than 8 EiB of memory — model more than 8 EiB"), result.stderr)
        XCTAssertTrue(result.stderr.contains("more than the memory budget of"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing is written for a refused config")

        let large = try CLIRunner.run(["configs/xor-tanh.yaml", "model.layers[0].dense.units=4294967296", "--db", database])
        XCTAssertEqual(large.status, 2, large.stderr)
        XCTAssertTrue(large.stderr.contains("model.layers[0]: the run needs about 512.0 GiB of memory"), large.stderr)
    }

    func testEpochsOverflowingTheStepCountLeaveNoRun() throws {
        let result = try CLIRunner.run(["configs/xor-tanh.yaml", "training.epochs=9223372036854775807", "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "netrun: command line (training.epochs=9223372036854775807):1:1: training.epochs: "
                       + "9223372036854775807 epochs of 1 step is more than the 9007199254740992 (2^53) steps a run can count\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "no run row")
    }

    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testGradcheckOfAHugeModelIsRefusedWithTheEstimate() throws {
        let path = try write("""
            data: {inputs: [[0, 0], [1, 1]], targets: [0, 1]}
            model: {layers: [{dense: 4294967296}, {dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """, to: "big.yaml")
        let result = try CLIRunner.run(["gradcheck", path])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("netrun: \(path):2:18: model.layers[0]: the run needs about"), result.stderr)
    }

    func testSweepCountsTheTrialsItRunsAtOnce() throws {
        let path = try write("""
            data: {inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [0, 1, 1, 0]}
            model:
              layers:
                - dense: {units: 200000, activation: tanh}
                - dense: 2
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            sweep:
              metric: train_loss
              grid:
                training.learning_rate: [0.1, 0.2]
            """, to: "sweep.yaml")
        // One trial needs about 30 MiB: 40M holds one at a time, not two.
        setenv("NETRUN_MEMORY_LIMIT", "40M", 1)
        defer { unsetenv("NETRUN_MEMORY_LIMIT") }
        let result = try CLIRunner.run(["sweep", path, "--jobs", "2", "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("netrun: \(path):4:7: model.layers[0]: the sweep, running 2 trials at once "
                                              + "(--jobs), needs about"), result.stderr)
        XCTAssertTrue(result.stderr.contains("more than the memory budget of 40.0 MiB (NETRUN_MEMORY_LIMIT=40M)"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }
}
