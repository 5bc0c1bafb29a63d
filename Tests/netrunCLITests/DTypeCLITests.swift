import Foundation
import NetrunStore
import XCTest

/// `training.dtype: float64` is refused before anything is recorded, written in the config or
/// given on the command line.
final class DTypeCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-dtype-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testFloat64IsRefusedBeforeAnythingIsRecorded() throws {
        let config = directory.appendingPathComponent("wide.yaml").path
        try """
            data: {synthetic: {kind: xor, count: 20}}
            model: {layers: [{dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run([config, "training.dtype=float64", "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "netrun: command line (training.dtype=float64):1:1: training.dtype: float64 training is "
                       + "not supported yet: netrun trains, stores and exports float32 weights; remove dtype or write float32\n")
        if FileManager.default.fileExists(atPath: database) {
            XCTAssertEqual(try RunStore(path: database).listRuns().count, 0, "nothing recorded")
        }
        let float32 = try CLIRunner.run([config, "training.dtype=float32", "--db", database, "--quiet"])
        XCTAssertEqual(float32.status, 0, float32.stderr)
    }
}
