import Foundation
import NetrunStore
import XCTest

/// `netrun sweep` of a random sweep, `netrun runs --sweep` showing its draws, and `netrun plot --sweep`
/// drawing it as a scatter.
final class RandomSweepCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-random-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func writeConfig() throws -> String {
        let config = directory.appendingPathComponent("random.yaml")
        try """
            name: random
            seed: 5
            data:
              synthetic: {kind: xor, count: 80}
              split: {val: 20}
            model:
              layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, batch_size: 20, epochs: 2}
            sweep:
              random:
                trials: 6
                training.learning_rate: {log_uniform: [0.001, 1]}
                training.reg: {uniform: [0, 0.01]}
                model.layers[0].dense.activation: {choice: [tanh, relu]}

            """.write(to: config, atomically: true, encoding: .utf8)
        return config.path
    }

    func testARandomSweepRunsListsItsDrawsAndPlotsAsAScatter() throws {
        let sweep = try CLIRunner.run(["sweep", try writeConfig(), "--db", database, "--jobs", "2"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        XCTAssertTrue(sweep.stdout.contains("6 trials over 6 random draws of training.learning_rate, training.reg, "
                                            + "model.layers[0].dense.activation"), sweep.stdout)
        XCTAssertTrue(sweep.stdout.contains("best: trial "), sweep.stdout)

        let stored = try XCTUnwrap(try RunStore(path: database).sweep(id: 1))
        XCTAssertEqual(stored.trials.count, 6)
        let listed = try CLIRunner.run(["runs", "--sweep", "1", "--db", database])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        // One column per swept key, in the sweep's order.
        XCTAssertEqual(listed.stdout.split(separator: "\n")[0].split(separator: " ").suffix(3),
                       ["training.learning_rate", "training.reg", "model.layers[0].dense.activation"], listed.stdout)
        for trial in stored.trials {
            let rate = try XCTUnwrap(trial.params.first { $0.path == "training.learning_rate" })
            XCTAssertEqual(rate.text, "\(try XCTUnwrap(rate.value))", "the text is the stored Double's shortest form")
            XCTAssertTrue(listed.stdout.contains(" \(rate.text) "), "runs --sweep shows \(rate.text)")
        }
        let json = try CLIRunner.run(["runs", "--sweep", "1", "--json", "--db", database])
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.count, 6)
        for object in objects {
            let params = try XCTUnwrap(object["params"] as? [String: Any])
            let trial = try XCTUnwrap(stored.trials.first { $0.trial == object["trial"] as? Int })
            let rate = try XCTUnwrap(trial.params.first { $0.path == "training.learning_rate" }?.value)
            // Foundation's JSON reader may round; the text written must be the Double's shortest form.
            XCTAssertNotNil(params["training.learning_rate"] as? Double)
            XCTAssertTrue(json.stdout.contains("\"training.learning_rate\":\(rate),"), "\(rate) written exactly")
            XCTAssertTrue(["tanh", "relu"].contains(params["model.layers[0].dense.activation"] as? String ?? ""))
        }

        let svgPath = directory.appendingPathComponent("random.svg").path
        let plot = try CLIRunner.run(["plot", "--sweep", "1", "-o", svgPath, "--db", database])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"point\"").count - 1, 6, "one point per trial")
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"best\"").count - 1, 1)
        XCTAssertFalse(svg.contains("<g class=\"cell\""), "no heatmap")
        XCTAssertTrue(svg.contains(">learning rate (log scale)</text>"), "the log-uniform key on a log axis")
        XCTAssertTrue(svg.contains(">regularisation strength</text>"), "the uniform key on a linear axis")
        XCTAssertTrue(svg.contains("importance (|Spearman rho| with the metric): "), "the caption says how the keys were picked")
        XCTAssertFalse(svg.contains("activation</text>"), "a choice of names is not ranked")

        let pngPath = directory.appendingPathComponent("random.png").path
        let png = try CLIRunner.run(["plot", "--sweep", "1", "-o", pngPath, "--db", database])
        XCTAssertEqual(png.status, 0, png.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pngPath))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// A discrete key draws the same value for several trials: each draw is its own trial.
    func testRepeatedDrawsOfADiscreteKeyAreTrialsOfTheirOwn() throws {
        let config = directory.appendingPathComponent("choice.yaml").path
        try """
            name: choice
            seed: 2
            data: {synthetic: {kind: xor, count: 40}}
            model: {layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 2}
            sweep:
              random:
                trials: 5
                training.batch_size: {choice: [8, 40]}
              metric: train_loss

            """.write(toFile: config, atomically: true, encoding: .utf8)
        let sweep = try CLIRunner.run(["sweep", config, "--db", database, "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let store = try RunStore(path: database)
        XCTAssertEqual(try store.summaries().count, 5, "five draws of two values, five runs")
    }

    func testARandomSweepOfOneNumericKeyPlotsTheMetricAgainstIt() throws {
        let config = try writeConfig()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "trials: 6", with: "trials: 4")
            .replacingOccurrences(of: "    training.reg: {uniform: [0, 0.01]}\n", with: "")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let sweep = try CLIRunner.run(["sweep", config, "--db", database, "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let svgPath = directory.appendingPathComponent("one.svg").path
        let plot = try CLIRunner.run(["plot", "--sweep", "1", "-o", svgPath, "--db", database])
        XCTAssertEqual(plot.status, 0, plot.stderr)
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"point\"").count - 1, 4)
        XCTAssertTrue(svg.contains(">learning rate (log scale)</text>"))
        XCTAssertEqual(svg.components(separatedBy: ">val accuracy</text>").count - 1, 2, "the y axis and the colour bar")
    }

    func testAnUnknownDistributionIsALocatedErrorAndNothingIsWritten() throws {
        let config = try writeConfig()
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "log_uniform", with: "loguniform")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["sweep", config, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: \(config):13:30: sweep.random.training.learning_rate: unknown distribution "
                       + "'loguniform' (did you mean 'log_uniform'?); expected one of: uniform, log_uniform, int_uniform, choice\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }
}
