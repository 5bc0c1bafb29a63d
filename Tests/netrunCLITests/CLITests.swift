import Foundation
import NetrunStore
import XCTest

final class CLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testEveryShippedXORConfigReachesFullAccuracy() throws {
        for name in ["xor-sigmoid", "xor-tanh", "xor-relu", "xor-softmax"] {
            let result = try CLIRunner.run(["configs/\(name).yaml", "--db", database])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("train accuracy 100.00%"), "\(name):\n\(result.stdout)")
        }
        let store = try RunStore(path: database)
        for runID in Int64(1)...4 {
            let summary = try XCTUnwrap(try store.summary(runID: runID))
            XCTAssertEqual(summary.status, .finished)
            XCTAssertEqual(summary.trainAccuracy, 1, summary.name)
        }
    }

    func testPrintsAnAlignedProgressTable() throws {
        let result = try CLIRunner.run(["train", "configs/xor-softmax.yaml", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // 80 columns at most: the model's loss and size go on a line of their own.
        XCTAssertEqual(lines[0], "netrun xor-softmax: 2 → dense 4 → tanh → dense 2 |")
        XCTAssertEqual(lines[1], "  softmax_cross_entropy, 22 parameters")
        let start = try XCTUnwrap(lines.firstIndex { $0.contains("epoch") })
        let header = lines[start]
        XCTAssertEqual(header, "   epoch     step  train loss   train acc")
        let rows = lines[(start + 1)...].prefix { !$0.hasPrefix("finished: ") }
        XCTAssertEqual(rows.count, 11, "epoch 0 and every 100 of 1000")
        XCTAssertTrue(rows.allSatisfy { $0.count == header.count }, "columns line up:\n\(rows.joined(separator: "\n"))")
        XCTAssertFalse(result.stdout.contains("\u{1B}"), "no escape codes when not on a terminal")
    }

    func testBadConfigNamesFileLineAndKeyAndWritesNothing() throws {
        let text = try String(contentsOf: CLIRunner.repository.appendingPathComponent("configs/xor-softmax.yaml"), encoding: .utf8)
        let path = try write(text.replacingOccurrences(of: "activation: tanh", with: "activation: sigmod"), to: "bad.yaml")
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: \(path):14:37: model.layers[0].dense.activation: unknown activation 'sigmod' "
                       + "(did you mean 'sigmoid'?); expected one of: sigmoid, tanh, relu, leaky_relu, softmax, identity\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing written for an invalid config")
    }

    func testDivergingRunExitsNonZeroAndIsRecorded() throws {
        let path = try write("""
            data: {inputs: [[3, 1], [1, 4]], targets: [[1], [2]]}
            model: {layers: [{dense: 1}]}
            loss: mse
            training: {learning_rate: 10, epochs: 1000, log_every: 100}
            """, to: "diverge.yaml")
        let result = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("run 1 diverged: training diverged at step"), result.stderr)
        XCTAssertTrue(result.stderr.contains("try a smaller learning rate"))
        XCTAssertEqual(try RunStore(path: database).summary(runID: 1)?.status, .diverged)
    }

    func testBareCommandPrintsHelpAndVersionIsSet() throws {
        let help = try CLIRunner.run([])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: netrun"), help.stdout)
        XCTAssertTrue(help.stdout.contains("train"))
        let version = try CLIRunner.run(["--version"])
        XCTAssertEqual(version.stdout, "0.1.0\n")
    }

    func testMissingConfigFileIsABadInputError() throws {
        let result = try CLIRunner.run(["configs/nope.yaml", "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: configs/nope.yaml: no such file\n")
    }
}
