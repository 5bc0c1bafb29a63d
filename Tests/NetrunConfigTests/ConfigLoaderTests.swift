import NetrunConfig
import NetrunCore
import XCTest

final class ConfigLoaderTests: XCTestCase {
    private let valid = """
        name: demo
        seed: 7
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
        model:
          inputs: 2
          layers:
            - dense: {units: 4, activation: tanh, init: {normal: 0.5}}
            - leaky_relu: {slope: 0.2}
            - dense: 2
        loss: softmax_cross_entropy
        training:
          learning_rate: 1e-1
          momentum: 0.9
          reg: 0.001
          epochs: 30
          batch_size: 2
          shuffle: false
          log_every: 5

        """

    private func decode(_ text: String) throws -> Config {
        try ConfigLoader.decode(text: text, path: "test.yaml")
    }

    /// The error `text` raises, as printed.
    private func errorText(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try decode(text)
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ConfigError, "\(type(of: error)): \(error)", file: file, line: line)
            return "\(error)"
        }
    }

    private func assertError(_ text: String, startsWith prefix: String? = nil, contains part: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        let message = errorText(text, file: file, line: line)
        if let prefix { XCTAssertTrue(message.hasPrefix(prefix), message, file: file, line: line) }
        if let part { XCTAssertTrue(message.contains(part), message, file: file, line: line) }
    }

    func testDecodesEveryKey() throws {
        let config = try decode(valid)
        XCTAssertEqual(config.name, "demo")
        XCTAssertEqual(config.seed, 7)
        XCTAssertEqual(config.model.inputs?.value, 2)
        XCTAssertEqual(config.model.layers.map(\.kind), [
            .dense(units: 4, activation: .tanh, initialization: .normal(scale: 0.5)),
            .activation(.leakyReLU(slope: 0.2)),
            .dense(units: 2, activation: nil, initialization: nil),
        ])
        XCTAssertEqual(config.loss.value, .softmaxCrossEntropy)
        XCTAssertEqual(config.training, TrainingSettings(learningRate: 0.1, momentum: 0.9, reg: 0.001, epochs: 30,
                                                         batchSize: 2, shuffle: false, logEvery: 5, checkpointEvery: 5))
        XCTAssertEqual(config.text, valid)
        guard case .inline(let data) = config.data.source.kind, case .indices(let targets) = data.targets else {
            return XCTFail("expected inline class indices")
        }
        XCTAssertEqual(data.inputs.map(\.value), [[0, 0], [0, 1], [1, 0], [1, 1]])
        XCTAssertEqual(targets.map(\.value), [0, 1, 1, 0])
    }

    func testDefaults() throws {
        let config = try decode("""
            data: {inputs: [[1], [2]], targets: [[1.5], [2.5]]}
            model: {layers: [relu]}
            loss: mse
            training: {learning_rate: 0.1, epochs: 50}
            """)
        XCTAssertEqual(config.name, "test", "name defaults to the file's stem")
        XCTAssertEqual(config.seed, 0)
        XCTAssertNil(config.model.inputs)
        XCTAssertEqual(config.training, TrainingSettings(learningRate: 0.1, epochs: 50, logEvery: 5, checkpointEvery: 5),
                       "checkpoints default to the log interval")
    }

    func testUnknownActivationIsLocatedWithSuggestion() {
        let text = valid.replacingOccurrences(of: "activation: tanh", with: "activation: tahn")
        XCTAssertEqual(errorText(text), "test.yaml:9:37: model.layers[0].dense.activation: unknown activation 'tahn' "
                       + "(did you mean 'tanh'?); expected one of: sigmoid, tanh, relu, leaky_relu, softmax, identity")
    }

    func testUnknownLayerKindAndKeyTypos() {
        assertError(valid.replacingOccurrences(of: "- leaky_relu:", with: "- leaky_rlu:"), startsWith: "test.yaml:10:7: model.layers[1]: unknown layer 'leaky_rlu' (did you mean 'leaky_relu'?)")
        assertError(valid.replacingOccurrences(of: "learning_rate", with: "lerning_rate"), contains: "training")
        assertError(valid.replacingOccurrences(of: "  momentum", with: "  momentun"), contains: "unknown key 'momentun' (did you mean 'momentum'?)")
        assertError(valid + "optimiser: sgd\n", contains: "unknown key 'optimiser'")
    }

    func testTypeAndRangeErrorsNameThePath() {
        assertError(valid.replacingOccurrences(of: "epochs: 30", with: "epochs: ten"), startsWith: "test.yaml:17:11: training.epochs: expected an integer, got 'ten'")
        assertError(valid.replacingOccurrences(of: "learning_rate: 1e-1", with: "learning_rate: -1"), contains: "training.learning_rate: must be a finite number above 0")
        assertError(valid.replacingOccurrences(of: "momentum: 0.9", with: "momentum: 1.5"), contains: "training.momentum: momentum must be below 1")
        assertError(valid.replacingOccurrences(of: "- dense: 2", with: "- dense: 0"), contains: "model.layers[2].dense: must be a positive integer")
        assertError(valid.replacingOccurrences(of: "init: {normal: 0.5}", with: "init: normal"), contains: "normal needs a scale")
    }

    /// The README promises any UInt64; integers past Int.max resolve as doubles in YAML, so the
    /// seed is read from its digits.
    func testSeedTakesTheWholeUInt64Range() throws {
        for (written, seed) in [("18446744073709551615", UInt64.max), ("9223372036854775808", UInt64(1) << 63),
                                ("0xFFFFFFFFFFFFFFFF", UInt64.max), ("+12", 12), ("0", 0)] {
            XCTAssertEqual(try decode(valid.replacingOccurrences(of: "seed: 7", with: "seed: \(written)")).seed, seed, written)
        }
        let overridden = try ConfigLoader.decode(text: valid, path: "test.yaml",
                                                 overrides: [try ConfigOverride.parse(argument: "seed=18446744073709551615")])
        XCTAssertEqual(overridden.seed, UInt64.max)
    }

    func testSeedOutsideUInt64IsALocatedError() {
        XCTAssertEqual(errorText(valid.replacingOccurrences(of: "seed: 7", with: "seed: 18446744073709551616")),
                       "test.yaml:2:7: seed: a seed is an integer from 0 to 18446744073709551615, got 18446744073709551616")
        XCTAssertEqual(errorText(valid.replacingOccurrences(of: "seed: 7", with: "seed: -1")),
                       "test.yaml:2:7: seed: a seed is an integer from 0 to 18446744073709551615, got -1")
        assertError(valid.replacingOccurrences(of: "seed: 7", with: "seed: 1.5"), startsWith: "test.yaml:2:7: seed: expected an integer, got 1.5")
        assertError(valid.replacingOccurrences(of: "seed: 7", with: "seed: 1e19"), startsWith: "test.yaml:2:7: seed: expected an integer, got 1e19")
    }

    func testHeldOutPartEitherExplicitOrSplitNotBoth() throws {
        let split = try decode(valid.replacingOccurrences(of: "  targets: [0, 1, 1, 0]\n",
                                                          with: "  targets: [0, 1, 1, 0]\n  split: {test: 0.25}\n"))
        XCTAssertEqual(split.data.split.test?.value, .fraction(0.25))
        let both = valid.replacingOccurrences(of: "  targets: [0, 1, 1, 0]\n", with: """
              targets: [0, 1, 1, 0]
              test: {inputs: [[1, 1]], targets: [0]}
              split: {test: 1}

            """)
        assertError(both, contains: "either as data.test or as split.test")
    }

    func testMissingFileNamesThePath() {
        XCTAssertThrowsError(try ConfigLoader.load(path: "/nonexistent/x.yaml")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/x.yaml: no such file")
        }
    }
}
