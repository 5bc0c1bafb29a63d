import NetrunConfig
import NetrunCore
import XCTest

final class NetworkBuilderTests: XCTestCase {
    private func config(layers: String, loss: String) throws -> Config {
        try ConfigLoader.decode(text: """
            seed: 3
            data: {inputs: [[0, 0], [1, 1]], targets: [0, 1]}
            model:
              inputs: 2
              layers: \(layers)
            loss: \(loss)
            training: {learning_rate: 0.1, epochs: 1}
            """, path: "net.yaml")
    }

    func testDenseActivationBecomesItsOwnLayer() throws {
        var generator = SplitMix64(seed: 1)
        let network: Network<Float> = try NetworkBuilder.build(
            try config(layers: "[{dense: {units: 3, activation: relu}}, {dense: 2}]", loss: "softmax_cross_entropy"),
            inputSize: 2, generator: &generator)
        XCTAssertEqual(network.layers.map(\.kind), ["dense", "relu", "dense"])
        XCTAssertEqual(network.layers.map(\.outputSize), [3, 3, 2])
        XCTAssertEqual(network.parameters.map { "\($0.layer).\($0.parameter.name)\($0.parameter.shape)" },
                       ["0.weight[3, 2]", "0.bias[3]", "2.weight[2, 3]", "2.bias[2]"])
    }

    func testSoftmaxBeforeFusedLossIsRejected() throws {
        var generator = SplitMix64(seed: 1)
        let c = try config(layers: "[{dense: 2}, softmax]", loss: "softmax_cross_entropy")
        XCTAssertThrowsError(try NetworkBuilder.build(c, inputSize: 2, generator: &generator, as: Float.self)) {
            XCTAssertTrue("\($0)".hasPrefix("net.yaml:5:24: model.layers[1]: softmax_cross_entropy takes logits"), "\($0)")
        }
    }

    func testCrossEntropyNeedsASoftmaxOutput() throws {
        var generator = SplitMix64(seed: 1)
        let c = try config(layers: "[{dense: 2}]", loss: "cross_entropy")
        XCTAssertThrowsError(try NetworkBuilder.build(c, inputSize: 2, generator: &generator, as: Float.self)) {
            XCTAssertTrue("\($0)".contains("loss: cross_entropy takes probabilities"), "\($0)")
        }
    }

    func testSoftmaxWithCrossEntropyConfigGivesTheFusedGradients() throws {
        let x = Matrix<Double>([[0.3, -0.7], [1.2, 0.4], [-0.5, 0.9]])
        let t = Matrix<Double>([[1, 0, 0], [0, 0, 1], [0, 1, 0]])
        var g1 = SplitMix64(seed: 9), g2 = SplitMix64(seed: 9)
        let unfused: Network<Double> = try NetworkBuilder.build(
            try config(layers: "[{dense: {units: 4, activation: tanh}}, {dense: 3}, softmax]", loss: "cross_entropy"),
            inputSize: 2, generator: &g1)
        let fused: Network<Double> = try NetworkBuilder.build(
            try config(layers: "[{dense: {units: 4, activation: tanh}}, {dense: 3}]", loss: "softmax_cross_entropy"),
            inputSize: 2, generator: &g2)
        let a = unfused.computeGradients(x, t, reg: 0.1), b = fused.computeGradients(x, t, reg: 0.1)
        XCTAssertEqual(a.objective, b.objective, accuracy: 1e-12)
        for (p, q) in zip(unfused.parameters, fused.parameters) {
            XCTAssertEqual(p.parameter.value.values, q.parameter.value.values, "same seed, same initial weights")
            for (u, v) in zip(p.parameter.gradient.values, q.parameter.gradient.values) {
                XCTAssertEqual(u, v, accuracy: 1e-12)
            }
        }
    }

    func testDefaultInitializationIsHeForReLUAndXavierOtherwise() throws {
        var generator = SplitMix64(seed: 2)
        let relu: Network<Double> = try NetworkBuilder.build(
            try config(layers: "[{dense: 400}, relu, {dense: 2}]", loss: "softmax_cross_entropy"),
            inputSize: 2, generator: &generator)
        let first = relu.parameters[0].parameter.value.values
        let variance = first.map { $0 * $0 }.reduce(0, +) / Double(first.count)
        XCTAssertEqual(variance, 2.0 / 2, accuracy: 0.15, "He: variance 2 / fan-in")
        let xavierLimit = (6.0 / (400 + 2)).squareRoot()
        XCTAssertTrue(relu.parameters[2].parameter.value.values.allSatisfy { abs($0) <= xavierLimit })
    }
}
