import NetrunConfig
import NetrunCore
import XCTest

/// `loss: NAME` and `loss: {NAME: {options}}`: decoding, defaults, and located errors.
final class LossConfigTests: XCTestCase {
    private func text(_ loss: String, last: String = "{dense: 3}") -> String {
        """
        data: {inputs: [[0, 0], [0, 1], [1, 0]], targets: [0, 1, 2]}
        model: {inputs: 2, layers: [\(last)]}
        loss: \(loss)
        training: {learning_rate: 0.1, epochs: 2}
        """
    }

    private func decode(_ loss: String, last: String = "{dense: 3}") throws -> Config {
        try ConfigLoader.decode(text: text(loss, last: last), path: "test.yaml")
    }

    private func assertError(_ loss: String, _ expected: String, last: String = "{dense: 3}",
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try {
            var generator = SplitMix64(seed: 0)
            let config = try decode(loss, last: last)
            _ = try NetworkBuilder.build(config, inputSize: 2, generator: &generator, as: Float.self)
        }(), file: file, line: line) { error in
            XCTAssertTrue(error is ConfigError, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
        }
    }

    func testABareNameHasDefaultOptions() throws {
        let config = try decode("softmax_cross_entropy")
        XCTAssertEqual(config.loss.value, .softmaxCrossEntropy)
        XCTAssertEqual(config.lossOptions, LossOptions())
    }

    func testCrossEntropyOptionsDecodeAndReachTheNetwork() throws {
        let config = try decode("""
            {softmax_cross_entropy: {ignore_label: 0, normalization: batch_size, class_weights: [1, 2, 0.5], label_smoothing: 0.1}}
            """)
        let expected = LossOptions(ignoreLabel: 0, normalization: .batchSize, classWeights: [1, 2, 0.5], labelSmoothing: 0.1)
        XCTAssertEqual(config.lossOptions, expected)
        var generator = SplitMix64(seed: 0)
        let network: Network<Float> = try NetworkBuilder.build(config, inputSize: 2, generator: &generator)
        XCTAssertEqual(network.loss.options, expected)
        XCTAssertEqual(network.replica().loss.options, expected, "shards keep the options")
    }

    func testRegressionOptionsDecode() throws {
        XCTAssertEqual(try decode("{mse: {reduction: sum}}").lossOptions, LossOptions(sumsOverBatch: true))
        let huber = try decode("{huber: {delta: 0.5}}")
        XCTAssertEqual(huber.loss.value, .huber)
        XCTAssertEqual(huber.lossOptions, LossOptions(huberDelta: 0.5))
        XCTAssertEqual(try decode("huber").lossOptions.huberDelta, 1)
    }

    func testBadOptionsAreLocatedErrors() {
        assertError("{softmax_cross_entropy: {label_smoothng: 0.1}}", "test.yaml:3:32: loss.softmax_cross_entropy: unknown key 'label_smoothng' (did you mean 'label_smoothing'?)")
        assertError("{softmax_cross_entropy: {label_smoothing: 1}}", "test.yaml:3:49: loss.softmax_cross_entropy.label_smoothing: label_smoothing must be in [0, 1), got 1.0")
        assertError("{softmax_cross_entropy: {label_smoothing: -0.1}}", "must be in [0, 1)")
        assertError("{softmax_cross_entropy: {class_weights: [1, -2, 1]}}", "loss.softmax_cross_entropy.class_weights[1]: a class weight must be a finite number ≥ 0, got -2.0")
        assertError("{softmax_cross_entropy: {class_weights: [1, 2]}}", "test.yaml:3:7: loss: class_weights has 2 weights but the model has 3 outputs")
        assertError("{softmax_cross_entropy: {class_weights: balance}}", "loss.softmax_cross_entropy.class_weights: class_weights is a list of one weight per class, or 'balanced'")
        assertError("{softmax_cross_entropy: {ignore_label: 3}}", "ignore_label 3 is not a class of a model with 3 outputs")
        assertError("{softmax_cross_entropy: {ignore_label: -1}}", "ignore_label is a class index (0 or more), got -1")
        assertError("{softmax_cross_entropy: {normalization: vaild}}", "unknown normalization 'vaild' (did you mean 'valid'?)")
        assertError("{mse: {label_smoothing: 0.1}}", "loss.mse.label_smoothing: label_smoothing is an option of cross_entropy and softmax_cross_entropy, not of mse")
        assertError("{mse: {delta: 1}}", "unknown key 'delta'")
        assertError("{huber: {delta: 0}}", "huber's delta must be a finite number > 0")
        assertError("{hubr: {delta: 1}}", "unknown loss 'hubr' (did you mean 'huber'?)")
        assertError("{mse: {reduction: avg}}", "unknown reduction 'avg'")
    }
}
