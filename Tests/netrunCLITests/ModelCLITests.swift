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
        XCTAssertEqual(lines.count, 12, result.stdout)
        XCTAssertEqual(lines[7], "class       precision  recall      f1  support")
        XCTAssertTrue(lines[8].hasPrefix("setosa     "), lines[8])
        XCTAssertTrue(lines[11].hasPrefix("macro F1 0."), lines[11])
    }

    func testEvalJSONHasPerClassScoresAndMacroF1ThatAgreeWithTheConfusionMatrix() throws {
        let result = try CLIRunner.run(["eval", "1", "--split", "test", "--json", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let confusion = try XCTUnwrap(object["confusion"] as? [[Int]])
        let classes = try XCTUnwrap(object["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.map { $0["class"] as? String }, ["setosa", "versicolor", "virginica"])
        var f1s: [Double] = []
        for (c, scores) in classes.enumerated() {
            let tp = Double(confusion[c][c]), predicted = Double(confusion.reduce(0) { $0 + $1[c] })
            let actual = confusion[c].reduce(0, +)
            XCTAssertEqual(scores["support"] as? Int, actual)
            XCTAssertEqual(scores["precision"] as? Double ?? .nan, predicted == 0 ? 0 : tp / predicted, accuracy: 1e-12)
            XCTAssertEqual(scores["recall"] as? Double ?? .nan, tp / Double(actual), accuracy: 1e-12)
            f1s.append(try XCTUnwrap(scores["f1"] as? Double))
        }
        XCTAssertEqual(object["macro_f1"] as? Double ?? .nan, f1s.reduce(0, +) / 3, accuracy: 1e-12)
        XCTAssertEqual(object["count"] as? Int, 30)
    }

    func testEvalOfAMissingRunOrSplitIsABadInputError() throws {
        let missing = try CLIRunner.run(["eval", "7", "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "netrun: no run 7 in \(database)\n")
        let split = try CLIRunner.run(["eval", "1", "--split", "dev", "--db", database])
        XCTAssertEqual(split.status, 64, "a split is a typed argument: a usage error")
        XCTAssertTrue(split.stderr.contains("The value 'dev' is invalid for '--split <split>'"), split.stderr)
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

    func testEvalOnSamplesOfAnotherWidthIsABadInputErrorNotATrap() throws {
        let csv = directory.appendingPathComponent("narrow.csv")
        try "a,b,c,species\n5.1,3.5,1.4,setosa\n".write(to: csv, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("narrow.yaml")
        try "data:\n  csv: {path: narrow.csv, label: species}\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["eval", "1", "--data", config.path, "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "netrun: \(config.path):2:3: data: samples have 3 values but the trained model takes 4 inputs\n")
    }

    func testRealValuedCSVLabelsTrainAsValuesAndPredictValues() throws {
        // y = 2x + 1 on x in 0…1.9: a regression, not 20 classes named 1.0 … 4.8.
        let rows = (0..<20).map { i -> String in
            let x = Double(i) / 10
            return "\(x),\(2 * x + 1)"
        }
        let csv = directory.appendingPathComponent("line.csv")
        try ("x,y\n" + rows.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("line.yaml")
        try """
            name: line
            data: {csv: {path: line.csv, label: y}}
            model: {layers: [{dense: 1}]}
            loss: mse
            training: {learning_rate: 0.3, batch_size: 20, epochs: 300, log_every: 300}
            """.write(to: config, atomically: true, encoding: .utf8)
        let trained = try CLIRunner.run([config.path, "--db", database, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let input = directory.appendingPathComponent("x.csv")
        try "x\n0.55\n".write(to: input, atomically: true, encoding: .utf8)
        let predicted = try CLIRunner.run(["predict", "2", input.path, "--db", database])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let lines = predicted.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "output_0")
        XCTAssertEqual(Double(lines[1]) ?? .nan, 2.1, accuracy: 0.05, predicted.stdout)
        let evaluated = try CLIRunner.run(["eval", "2", "--split", "train", "--db", database])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertFalse(evaluated.stdout.contains("accuracy"), evaluated.stdout)
        XCTAssertFalse(evaluated.stdout.contains("confusion"), evaluated.stdout)
        XCTAssertTrue(evaluated.stdout.contains(", MAE "), evaluated.stdout)
        XCTAssertTrue(evaluated.stdout.contains(", RMSE "), evaluated.stdout)
        XCTAssertTrue(evaluated.stdout.contains(", R² "), evaluated.stdout)
        let json = try CLIRunner.run(["eval", "2", "--split", "train", "--json", "--db", database])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertLessThan(object["mae"] as? Double ?? .nan, 0.05, json.stdout)
        XCTAssertLessThan(object["rmse"] as? Double ?? .nan, 0.05, json.stdout)
        XCTAssertGreaterThan(object["r2"] as? Double ?? .nan, 0.99, json.stdout)
        XCTAssertNil(object["classes"])
    }
}
