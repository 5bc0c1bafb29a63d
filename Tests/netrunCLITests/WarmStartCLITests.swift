import Foundation
import XCTest

/// `training.epochs: 0`, `model.init_from` and dropout through the built binary.
final class WarmStartCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-warm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// iris in the temporary folder, its model written out so errors have known places.
    private func config(_ modelLines: String, layers: String = "[{dense: {units: 16, activation: tanh}}, {dense: 3}]") throws -> String {
        let data = CLIRunner.repository.appendingPathComponent("data/iris.csv").path
        let path = directory.appendingPathComponent("iris.yaml").path
        try """
            name: iris
            seed: 1
            data:
              csv: {path: \(data), label: species}
              split: {val: 30, test: 30}
            model:
              layers: \(layers)
              \(modelLines)
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, batch_size: 16, epochs: 3}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func evalLines(_ run: String) throws -> [String] {
        let result = try CLIRunner.run(["eval", run, "--split", "test", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func testZeroEpochsRecordsTheInitialModelWhichExportsAndEvaluates() throws {
        let trained = try CLIRunner.run(["configs/iris.yaml", "training.epochs=0", "--db", database, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("0 steps"), trained.stdout)
        let export = try CLIRunner.run(["export", "1", "--db", database, "-o", directory.appendingPathComponent("w.safetensors").path])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try evalLines("1").first, "run 1 (iris), final weights, on test: 30 samples")
    }

    func testInitFromAnExportStartsFromItsWeightsAndAMisfitIsRefusedWhereItIsWritten() throws {
        let first = try CLIRunner.run([try config(""), "--db", database, "--quiet"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let file = directory.appendingPathComponent("start.safetensors").path
        XCTAssertEqual(try CLIRunner.run(["export", "1", "--db", database, "-o", file]).status, 0)
        let warm = try CLIRunner.run([try config("init_from: start.safetensors"), "training.epochs=0", "--db", database, "--quiet"])
        XCTAssertEqual(warm.status, 0, warm.stderr)
        XCTAssertEqual(try evalLines("2").dropFirst(), try evalLines("1").dropFirst(), "run 2's model is run 1's")
        let fromRun = try CLIRunner.run([try config("init_from: {run: 1}"), "training.epochs=0", "--db", database, "--quiet"])
        XCTAssertEqual(fromRun.status, 0, fromRun.stderr)
        XCTAssertEqual(try evalLines("3").dropFirst(), try evalLines("1").dropFirst())

        let path = try config("init_from: start.safetensors", layers: "[{dense: {units: 8, activation: tanh}}, {dense: 3}]")
        let misfit = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(misfit.status, 2)
        XCTAssertEqual(misfit.stderr, "netrun: \(path):8:14: model.init_from: the weights do not fit the model: 0.weight has shape "
                       + "[16, 4], the model's [8, 4]; 0.bias has shape [16], the model's [8]; 2.weight has shape [3, 16], the "
                       + "model's [3, 8]; tensors are named LAYER.weight and LAYER.bias with layers numbered as `netrun export` names them\n")
        let runs = try CLIRunner.run(["runs", "--db", database])
        XCTAssertEqual(runs.stdout.split(separator: "\n").count, 4, "nothing recorded for the refused config: \(runs.stdout)")
    }

    func testDropoutTakesALayerIndexInExportsAndHasNoTensors() throws {
        let path = try config("", layers: "[{dense: {units: 16, activation: tanh}}, {dropout: {p: 0.2}}, {dense: 3}]")
        let trained = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let folder = directory.appendingPathComponent("npy").path
        let npy = try CLIRunner.run(["export", "1", "--format", "npy", "--db", database, "-o", folder])
        XCTAssertEqual(npy.status, 0, npy.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
                       ["0.bias.npy", "0.weight.npy", "3.bias.npy", "3.weight.npy"])
    }
}
