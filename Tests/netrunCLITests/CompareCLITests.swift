import Foundation
import GRDB
import NetrunStore
import XCTest

/// Telling runs apart: the recorded hyperparameters in `netrun runs`, `netrun compare` and `netrun sweeps`.
final class CompareCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func train(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--db", database, "--quiet"])
    }

    private func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Two xor runs differing in learning rate and first-layer width.
    private func trainTwo() throws {
        XCTAssertEqual(try train(["configs/xor-softmax.yaml", "training.epochs=5"]).status, 0)
        XCTAssertEqual(try train(["configs/xor-softmax.yaml", "training.epochs=5", "training.learning_rate=0.1",
                                  "model.layers[0].units=6"]).status, 0)
    }

    func testTrainingRecordsTheResolvedHyperparametersAsRealValues() throws {
        try trainTwo()
        let store = try RunStore(path: database)
        let first = Dictionary(uniqueKeysWithValues: try XCTUnwrap(store.hyperparameters(runIDs: [1])[1]).map { ($0.key, $0) })
        XCTAssertEqual(first["training.learning_rate"]?.value, 0.5)
        XCTAssertEqual(first["training.batch_size"]?.value, 4, "full batch resolves to the 4 training samples")
        XCTAssertEqual(first["training.epochs"]?.value, 5)
        XCTAssertEqual(first["training.optimizer"], Hyperparameter(key: "training.optimizer", value: nil, text: "sgd"))
        XCTAssertEqual(first["training.momentum"]?.value, 0)
        XCTAssertEqual(first["training.dtype"]?.text, "float32")
        XCTAssertEqual(first["seed"]?.value, 1)
        XCTAssertEqual(first["model.layers[0].units"]?.value, 4)
        XCTAssertEqual(first["model.layers[0].activation"]?.text, "tanh")
        XCTAssertEqual(first["model.layers[1].units"]?.value, 2)
        XCTAssertEqual(try store.hyperparameters(runIDs: [2])[2]?.first { $0.key == "model.layers[0].units" }?.value, 6)
    }

    func testRunsShowsTheSettingsThatDifferAndNamesTheAccuracySplits() throws {
        try trainTwo()
        let table = try CLIRunner.run(["runs", "--db", database])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains("train acc"), lines[0])
        XCTAssertTrue(lines[0].contains("val acc"), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("model.layers[0].units  training.learning_rate"), lines[0])
        XCTAssertFalse(lines[0].contains("training.epochs"), "the same in both runs: " + lines[0])
        XCTAssertTrue(lines[1].hasSuffix("6" + String(repeating: " ", count: 22) + "0.1"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix("4" + String(repeating: " ", count: 22) + "0.5"), lines[2])

        let objects = try XCTUnwrap(json(try CLIRunner.run(["runs", "--db", database, "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual((objects.last?["hyperparameters"] as? [String: Any])?["training.learning_rate"] as? Double, 0.5)
    }

    func testRunsFromBeforeSettingsWereKeptGetThemFromTheirStoredConfig() throws {
        try trainTwo()
        let queue = try DatabaseQueue(path: database)
        // As a database from before migration 013 has them: no settings, and for run 2 a config
        // an older netrun wrote that this one no longer reads.
        try queue.write { db in
            try db.execute(sql: "DELETE FROM hyperparameters")
            try db.execute(sql: "UPDATE runs SET config_text = 'name: old\nnetwork: [2, 4, 2]\n' WHERE id = 2")
        }
        try queue.close()
        let table = try CLIRunner.run(["runs", "--db", database, "--json"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let objects = try XCTUnwrap(json(table.stdout) as? [[String: Any]])
        let first = try XCTUnwrap(objects.first { $0["id"] as? Int == 1 }?["hyperparameters"] as? [String: Any])
        XCTAssertEqual(first["training.learning_rate"] as? Double, 0.5)
        XCTAssertEqual(first["training.batch_size"] as? Double, 4, "full batch: the recorded training samples")
        XCTAssertEqual((objects.first { $0["id"] as? Int == 2 }?["hyperparameters"] as? [String: Any])?.isEmpty, true)

        let compared = try CLIRunner.run(["compare", "1", "2", "--db", database])
        XCTAssertEqual(compared.status, 0, compared.stderr)
        XCTAssertTrue(compared.stdout.contains("(settings of run 1 worked out from its stored config: recorded before netrun kept them)"),
                      compared.stdout)
        XCTAssertTrue(compared.stdout.contains("(no settings recorded for run 2: recorded before netrun kept them, and its stored config no longer reads)"),
                      compared.stdout)
    }

    func testCompareShowsDifferingSettingsAndFinalMetricsSideBySide() throws {
        try trainTwo()
        let result = try CLIRunner.run(["compare", "1", "2", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "settings that differ:")
        XCTAssertEqual(lines[1], String(repeating: " ", count: 24) + "run 1  run 2")
        XCTAssertEqual(lines[2], "model.layers[0].units       4      6")
        XCTAssertEqual(lines[3], "training.learning_rate    0.5    0.1")
        XCTAssertEqual(lines[5], "final metrics:")
        XCTAssertTrue(lines.contains { $0.split(separator: " ") == ["epochs", "5", "5"] }, result.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("train accuracy") }, result.stdout)

        let all = try CLIRunner.run(["compare", "1", "2", "--all", "--db", database])
        XCTAssertTrue(all.stdout.contains("training.optimizer"), all.stdout)

        let object = try XCTUnwrap(json(try CLIRunner.run(["compare", "1", "2", "--json", "--db", database]).stdout)
                                   as? [String: Any])
        XCTAssertEqual(object["keys"] as? [String], ["model.layers[0].units", "training.learning_rate"])
        let runs = try XCTUnwrap(object["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { ($0["hyperparameters"] as? [String: Any])?["training.learning_rate"] as? Double }, [0.5, 0.1])
        XCTAssertEqual(runs.map { $0["epochs"] as? Int }, [5, 5])

        let missing = try CLIRunner.run(["compare", "1", "9", "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no run 9 in \(database)"), missing.stderr)
        XCTAssertEqual(try CLIRunner.run(["compare", "1", "--db", database]).status, 64)
    }

    func testSweepsListsStrategyTrialsAndTheBest() throws {
        let url = directory.appendingPathComponent("sweep.yaml")
        try TinyConfigs.blobsSweep.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["sweep", url.path, "--db", database]).status, 0)
        let result = try CLIRunner.run(["sweeps", "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard lines.count == 2 else { return XCTFail(result.stdout) }
        XCTAssertTrue(lines[0].hasPrefix("id  name   strategy  status    trials  best"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix(" 1  blobs  grid      finished     2/2"), lines[1])

        let objects = try XCTUnwrap(json(try CLIRunner.run(["sweeps", "--db", database, "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual(objects.first?["strategy"] as? String, "grid")
        XCTAssertEqual(objects.first?["trials"] as? Int, 2)
        XCTAssertEqual(objects.first?["trials_done"] as? Int, 2)
        XCTAssertNotNil(objects.first?["best_trial"] as? Int)
        XCTAssertNotNil(objects.first?["best_score"] as? Double)

        // The trials' runs differ by the swept learning rate only: `netrun runs` shows it once.
        let runs = try CLIRunner.run(["runs", "--sweep", "1", "--db", database])
        XCTAssertEqual(runs.stdout.components(separatedBy: "training.learning_rate").count, 2, runs.stdout)

        // A random search and a halving grid over the same data are told apart by their recorded configs.
        let grid = try String(contentsOf: url, encoding: .utf8)
        let random = grid.replacingOccurrences(of: "  grid:\n    training.learning_rate: [0.01, 0.1]",
                                               with: "  random: {trials: 2, training.learning_rate: {log_uniform: [0.01, 0.1]}}")
        try random.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["sweep", url.path, "--db", database]).status, 0)
        try (grid + "  halving: {min_epochs: 1, factor: 2}\n").write(to: url, atomically: true, encoding: .utf8)
        let halving = try CLIRunner.run(["sweep", url.path, "--db", database])
        XCTAssertEqual(halving.status, 0, halving.stderr)
        let three = try XCTUnwrap(json(try CLIRunner.run(["sweeps", "--db", database, "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual(three.map { $0["strategy"] as? String }, ["halving", "random", "grid"])
        XCTAssertEqual(three.map { $0["id"] as? Int }, [3, 2, 1])
    }
}
