import Foundation
import NetrunStore
import XCTest

/// cs231n's protocols end to end: rows for train and val, batches drawn with replacement, the
/// bias trick; stopped by the test hook and resumed, the run equals one never stopped.
final class ProtocolsCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-protocols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testWithReplacementRunStoppedAndResumedEqualsAnUninterruptedOne() throws {
        let config = directory.appendingPathComponent("cs231n-like.yaml").path
        try """
            name: drawn
            seed: 4
            data:
              synthetic: {kind: spiral, classes: 3, per_class: 100}
              rows: [0, 270]
              val:
                synthetic: {kind: spiral, classes: 3, per_class: 100}
                rows: [270, 300]
            model:
              layers: [{dense: {units: 3, init: {normal: 0.01}}}]
              bias_trick: true
            loss: softmax_cross_entropy
            training: {learning_rate: 0.5, learning_rate_decay: 0.95, momentum: 0.9, reg: 0.001, batch_size: 20,
                       sampling: with_replacement, iterations: 60, log_every: 10, checkpoint_every: 7}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let stopped = try CLIRunner.run([config, "--db", database, "--quiet"], environment: ["NETRUN_TEST_STOP_AT_STEP": "25"])
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let resumed = try CLIRunner.run(["resume", "1", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let whole = try CLIRunner.run([config, "--db", database, "--quiet"])
        XCTAssertEqual(whole.status, 0, whole.stderr)

        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summary(runID: 1)?.status, .finished)
        let weights = try store.weights(runID: 1)
        XCTAssertEqual(weights.map { "\($0.layer).\($0.name)\($0.shape)" }, ["0.bias[3]", "0.weight[3, 2]"],
                       "PyTorch's layout, bias trick or not")
        XCTAssertEqual(weights.map { $0.values.map(\.bitPattern) }, try store.weights(runID: 2).map { $0.values.map(\.bitPattern) })
        XCTAssertEqual(try store.metrics(runID: 1).map { "\($0)" }, try store.metrics(runID: 2).map { "\($0)" })
    }

    func testRowsPastTheSourceAreRefusedBeforeAnythingIsRecorded() throws {
        let config = directory.appendingPathComponent("past.yaml").path
        try """
            data:
              synthetic: {kind: xor, count: 20}
              rows: [10, 30]
            model: {layers: [{dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run([config, "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "netrun: \(config):3:9: data.rows: rows [10, 30] reach past the end of data: "
                       + "it has 20 samples, rows 0 to 19\n")
        if FileManager.default.fileExists(atPath: database) {
            XCTAssertEqual(try RunStore(path: database).listRuns().count, 0, "nothing recorded")
        }
    }
}
