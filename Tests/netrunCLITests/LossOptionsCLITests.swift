import Foundation
import NetrunStore
import XCTest

/// A run with loss options, end to end: the config decodes, trains and is stored; a bad option is
/// refused with a located error and nothing written.
final class LossOptionsCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-loss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(loss: String, targets: String = "[0, 1, 2, 1, 0, 2]", outputs: Int = 3) throws -> String {
        let url = directory.appendingPathComponent("loss.yaml")
        try """
            name: loss-options
            data:
              inputs: [[0, 0], [0, 1], [1, 0], [1, 1], [0.2, 0.1], [0.9, 0.3]]
              targets: \(targets)
            model:
              layers:
                - dense: {units: 6, activation: tanh}
                - dense: \(outputs)
            loss: \(loss)
            training: {learning_rate: 0.3, epochs: 20, batch_size: 6, log_every: 10}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testARunWithCrossEntropyOptionsTrainsAndIsStored() throws {
        let path = try write(loss: "{softmax_cross_entropy: {ignore_label: 2, class_weights: [1, 2, 1], label_smoothing: 0.1}}")
        let result = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try XCTUnwrap(try RunStore(path: database).summary(runID: 1))
        XCTAssertEqual(summary.status, .finished)
        XCTAssertTrue(try XCTUnwrap(summary.trainLoss).isFinite)
    }

    func testARunWithHuberTrainsAndIsStored() throws {
        let path = try write(loss: "{huber: {delta: 0.5, reduction: sum}}", targets: "[[0.5], [1], [1], [0], [0.2], [0.7]]", outputs: 1)
        let result = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try XCTUnwrap(try RunStore(path: database).summary(runID: 1)).status, .finished)
    }

    func testIgnoreLabelOnProbabilityTargetsIsALocatedError() throws {
        let path = try write(loss: "{softmax_cross_entropy: {ignore_label: 0}}",
                             targets: "[[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]")
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("\(path):4:35: data.targets[2]: ignore_label needs class targets"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testABadLossOptionIsALocatedErrorAndWritesNothing() throws {
        let path = try write(loss: "{softmax_cross_entropy: {label_smoothing: 1.5}}")
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: \(path):9:49: loss.softmax_cross_entropy.label_smoothing: "
                       + "label_smoothing must be in [0, 1), got 1.5\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }
}
