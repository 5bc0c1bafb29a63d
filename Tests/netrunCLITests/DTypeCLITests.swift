import Foundation
import GRDB
import NetrunStore
import XCTest

/// `training.dtype: float64` from the command line: train, stop, resume, eval, predict and export
/// all in Float64.
final class DTypeCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }
    private var config: String { directory.appendingPathComponent("xor.yaml").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-dtype-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            data: {synthetic: {kind: xor, count: 40}}
            model: {layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, epochs: 6, batch_size: 8, log_every: 2, checkpoint_every: 1}
            """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func weightBits(_ runID: Int64) throws -> [[UInt64]] {
        try RunStore(path: database).weights(runID: runID).map { $0.values.map(\.bitPattern) }
    }

    func testAFloat64RunStopsResumesAndEqualsAnUninterruptedOne() throws {
        let whole = try CLIRunner.run([config, "training.dtype=float64", "--db", database])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stdout.contains("parameters, float64"), whole.stdout)

        let stopped = try CLIRunner.run([config, "training.dtype=float64", "--db", database, "--quiet"],
                                        environment: ["NETRUN_TEST_STOP_AT_STEP": "13"])
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let resumed = try CLIRunner.run(["resume", "2", "--db", database, "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try weightBits(2), try weightBits(1))
        let dtypes = try DatabaseQueue(path: database).read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT dtype FROM weights")
        }
        XCTAssertEqual(dtypes, ["float64"])
    }

    func testAFloat64ModelExportsF64AndEvaluatesAndPredicts() throws {
        XCTAssertEqual(try CLIRunner.run([config, "training.dtype=float64", "--db", database, "--quiet"]).status, 0)
        let file = directory.appendingPathComponent("m.safetensors").path
        let exported = try CLIRunner.run(["export", "1", "-o", file, "--db", database])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = String(decoding: data[8..<(8 + length)], as: UTF8.self)
        XCTAssertTrue(header.contains(#""0.weight":{"dtype":"F64","shape":[4,2],"data_offsets":[0,64]}"#), header)
        let stored = try RunStore(path: database).weights(runID: 1)
        XCTAssertEqual(data.count, 8 + length + 8 * stored.reduce(0) { $0 + $1.values.count })

        let folder = directory.appendingPathComponent("npy").path
        XCTAssertEqual(try CLIRunner.run(["export", "1", "-o", folder, "--format", "npy", "--db", database]).status, 0)
        let npy = try Data(contentsOf: URL(fileURLWithPath: folder + "/0.weight.npy"))
        XCTAssertTrue(String(decoding: npy.prefix(64), as: UTF8.self).contains("'descr': '<f8'"))

        let eval = try CLIRunner.run(["eval", "1", "--split", "train", "--db", database])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let inputs = directory.appendingPathComponent("in.csv").path
        try "0,1\n1,1\n".write(toFile: inputs, atomically: true, encoding: .utf8)
        let predicted = try CLIRunner.run(["predict", "1", inputs, "--db", database])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        XCTAssertEqual(predicted.stdout.split(separator: "\n").count, 3, predicted.stdout)
    }
}
