import Foundation
import NetrunStore
import XCTest

/// Command-line overrides, `netrun runs` and `netrun show` on a database of real runs.
final class BrowseCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-browse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func train(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--db", database, "--quiet"])
    }

    func testOverridesChangeTheModelAndAreRecordedWithTheRun() throws {
        let result = try train(["configs/xor-softmax.yaml", "training.learning_rate=0.2", "model.layers[0].units=6"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let store = try RunStore(path: database)
        let run = try XCTUnwrap(store.summary(runID: 1))
        XCTAssertEqual(run.configOverrides, "training.learning_rate=0.2\nmodel.layers[0].units=6\n")
        let weights = try store.weights(runID: 1)
        XCTAssertEqual(weights.first { $0.layer == 0 && $0.name == "weight" }?.shape, [6, 2])
    }

    func testABadOverrideIsRejectedLikeABadConfigAndWritesNothing() throws {
        let negative = try train(["configs/xor-softmax.yaml", "training.learning_rate=-1"])
        XCTAssertEqual(negative.status, 2)
        XCTAssertTrue(negative.stderr.contains("training.learning_rate: must be a finite number above 0, got -1"),
                      negative.stderr)
        let typo = try train(["configs/xor-softmax.yaml", "training.learnin_rate=0.1"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("unknown key 'learnin_rate'"), typo.stderr)
        let shape = try train(["configs/xor-softmax.yaml", "nonsense"])
        XCTAssertEqual(shape.status, 2)
        XCTAssertTrue(shape.stderr.contains("'nonsense' is not an override; write key.path=value"), shape.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing recorded")
    }

    /// SQLite's INTEGER is signed: the seed is stored as its bit pattern and read back exactly.
    func testTheLargestSeedIsAcceptedStoredAndShownAsWritten() throws {
        let result = try train(["configs/xor-tanh.yaml", "seed=18446744073709551615", "training.epochs=3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try RunStore(path: database).summary(runID: 1)?.seed, UInt64.max)
        let shown = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertTrue(shown.stdout.contains(", seed 18446744073709551615, "), shown.stdout)
        let json = try CLIRunner.run(["show", "1", "--db", database, "--json"])
        XCTAssertTrue(json.stdout.contains("18446744073709551615"), json.stdout)

        let beyond = try train(["configs/xor-tanh.yaml", "seed=18446744073709551616"])
        XCTAssertEqual(beyond.status, 2)
        XCTAssertTrue(beyond.stderr.contains("seed: a seed is an integer from 0 to 18446744073709551615, got 18446744073709551616"),
                      beyond.stderr)
    }

    func testRunsListsNewestFirstWithFiltersAndJSON() throws {
        XCTAssertEqual(try train(["configs/xor-tanh.yaml"]).status, 0)
        XCTAssertEqual(try train(["configs/xor-softmax.yaml"]).status, 0)
        XCTAssertEqual(try train(["configs/xor-softmax.yaml", "training.learning_rate=1.0e+38"]).status, 1)

        let table = try CLIRunner.run(["runs", "--db", database])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("id  name"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix(" 3  xor-softmax  diverged"), lines[1])
        XCTAssertTrue(lines[3].hasPrefix(" 1  xor-tanh     finished"), lines[3])
        XCTAssertTrue(lines[3].contains("100.00%"), lines[3])

        let finished = try CLIRunner.run(["runs", "--db", database, "--status", "finished", "--name", "SOFTMAX", "--json"])
        let objects = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.map { $0["id"] as? Int }, [2])
        XCTAssertEqual(objects.first?["status"] as? String, "finished")

        let bad = try CLIRunner.run(["runs", "--db", database, "--status", "done"])
        XCTAssertEqual(bad.status, 64)
    }

    func testShowPrintsTheConfigOutcomeAndALossSparkline() throws {
        XCTAssertEqual(try train(["configs/xor-tanh.yaml", "training.epochs=500"]).status, 0)
        let shown = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.hasPrefix("run 1: xor-tanh, finished\n"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("500 steps, 500 epochs"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("overrides: training.epochs=500"), shown.stdout)
        let config = try String(contentsOfFile: CLIRunner.repository.appendingPathComponent("configs/xor-tanh.yaml").path,
                                encoding: .utf8)
        XCTAssertTrue(shown.stdout.hasSuffix(config), "the config exactly as written")
        let spark = try XCTUnwrap(shown.stdout.split(separator: "\n").first { $0.contains("train loss █") })
        XCTAssertTrue(spark.contains("▁"), String(spark))

        let json = try CLIRunner.run(["show", "1", "--db", database, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["config_text"] as? String, config)
        // Logged at steps 0, 200, 400 and 500 (log_every 200).
        XCTAssertEqual((object["metrics"] as? [[String: Any]])?.filter { $0["name"] as? String == "loss" }.count, 4)

        let missing = try CLIRunner.run(["show", "9", "--db", database])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "netrun: no run 9 in \(database); netrun runs lists them\n")
    }
}
