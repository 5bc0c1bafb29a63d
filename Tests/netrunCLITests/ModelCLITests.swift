import Foundation
import XCTest

/// `netrun eval`, `predict` and `export` on a trained iris run.
final class ModelCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let trained = try CLIRunner.run(["configs/iris.yaml", "--db", database, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testEvalPrintsLossAccuracyAndAConfusionMatrix() throws {
        let result = try CLIRunner.run(["eval", "1", "--split", "test", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "run 1 (iris), final weights, on test: 30 samples")
        XCTAssertTrue(lines[1].hasPrefix("loss 0.1"), lines[1])
        XCTAssertEqual(lines[3], "                setosa versicolor  virginica")
        XCTAssertEqual(lines.count, 7)
    }

    func testEvalOfAMissingRunOrSplitIsABadInputError() throws {
        let missing = try CLIRunner.run(["eval", "7", "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "netrun: no run 7 in \(database)\n")
        let split = try CLIRunner.run(["eval", "1", "--split", "dev", "--db", database])
        XCTAssertEqual(split.status, 2)
        XCTAssertTrue(split.stderr.contains("unknown split 'dev'"), split.stderr)
    }

    func testPredictWritesCSVWithClassNamesAndProbabilities() throws {
        let input = directory.appendingPathComponent("in.csv")
        try "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n".write(to: input, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["predict", "1", input.path, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines[0], "class,p_setosa,p_versicolor,p_virginica")
        XCTAssertTrue(lines[1].hasPrefix("setosa,0.99"), String(lines[1]))
    }

    func testExportWritesSafetensorsAndNPYNamedAsNNSequential() throws {
        let file = directory.appendingPathComponent("out/iris.safetensors").path
        let safetensors = try CLIRunner.run(["export", "1", "--db", database, "-o", file])
        XCTAssertEqual(safetensors.status, 0, safetensors.stderr)
        XCTAssertEqual(safetensors.stdout, "wrote 4 tensors of run 1 to \(file)\n")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let length = (0..<8).reduce(0) { $0 | Int(data[$1]) << (8 * $1) }
        let header = String(decoding: data[8..<(8 + length)], as: UTF8.self)
        XCTAssertTrue(header.contains("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[16,4]"), header)
        XCTAssertEqual(data.count, 8 + length + 4 * (16 * 4 + 16 + 3 * 16 + 3))

        let folder = directory.appendingPathComponent("npy").path
        let npy = try CLIRunner.run(["export", "1", "--format", "npy", "--db", database, "-o", folder])
        XCTAssertEqual(npy.status, 0, npy.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
                       ["0.bias.npy", "0.weight.npy", "2.bias.npy", "2.weight.npy"])
    }
}
