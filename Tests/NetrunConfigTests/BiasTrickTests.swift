import NetrunConfig
import NetrunCore
import XCTest

/// `model.bias_trick`: cs231n's linear classifiers, whose `W` (D+1, C) holds the bias as its last
/// row and whose inputs end in a column of ones; netrun keeps PyTorch's weight (C, D) and bias (C).
final class BiasTrickTests: XCTestCase {
    private func config(layers: String = "[{dense: {units: 3, init: {xavier: 1}}}]", biasTrick: String = "true") throws -> Config {
        try ConfigLoader.decode(text: """
            seed: 3
            data: {inputs: [[0, 0, 1, 2], [1, 1, 0, 3]], targets: [0, 2]}
            model:
              layers: \(layers)
              bias_trick: \(biasTrick)
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, reg: 0.1, epochs: 1}
            """, path: "b.yaml")
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testTheBiasIsDrawnAfterTheWeightsAsOneMoreInputRow() throws {
        var generator = SplitMix64(seed: 7)
        let network: Network<Double> = try NetworkBuilder.build(try config(), inputSize: 4, generator: &generator)
        XCTAssertEqual(network.parameters.map { "\($0.layer).\($0.parameter.name)\($0.parameter.shape)" },
                       ["0.weight[3, 4]", "0.bias[3]"], "PyTorch's layout is kept")
        // Xavier over fan-in D + 1 = 5 and fan-out 3: the 12 weights, then the 3 biases.
        var expected = SplitMix64(seed: 7)
        let a = (6.0 / (5 + 3)).squareRoot()
        let draws = (0..<15).map { _ in (2 * expected.nextUnit() - 1) * a }
        let dense = try XCTUnwrap(network.layers[0] as? Dense<Double>)
        XCTAssertEqual(dense.weight.value.values, Array(draws[0..<12]))
        XCTAssertEqual(dense.bias.value.values, Array(draws[12..<15]))
        XCTAssertEqual(generator, expected, "the stream continues after the bias")

        var plain = SplitMix64(seed: 7)
        let without: Network<Double> = try NetworkBuilder.build(try config(biasTrick: "false"), inputSize: 4, generator: &plain)
        XCTAssertEqual((without.layers[0] as? Dense<Double>)?.bias.value.values, [0, 0, 0], "without it biases start at 0")
    }

    func testRegularizationIncludesTheBias() throws {
        var generator = SplitMix64(seed: 1)
        let network: Network<Double> = try NetworkBuilder.build(try config(), inputSize: 4, generator: &generator)
        let dense = try XCTUnwrap(network.layers[0] as? Dense<Double>)
        dense.weight.value.fill(0)
        dense.bias.value.copy(from: Matrix([[1, 2, 3]]))
        XCTAssertEqual(network.regularizationLoss(strength: 0.1), 0.5 * 0.1 * 14, accuracy: 1e-15)
        network.zeroGradients()
        network.addRegularizationGradient(strength: 0.1)
        XCTAssertEqual(dense.bias.gradient.values, [0.1, 0.2, 0.30000000000000004])
    }

    /// netrun's objective and gradients equal cs231n's softmax_loss written on W (D+1, C) and X with
    /// a column of ones (with netrun's 0.5·reg), and pass a Float64 gradient check.
    func testObjectiveAndGradientsAreCS231nsOnTheAugmentedWeights() throws {
        var generator = SplitMix64(seed: 11)
        let network: Network<Double> = try NetworkBuilder.build(try config(), inputSize: 4, generator: &generator)
        let dense = try XCTUnwrap(network.layers[0] as? Dense<Double>)
        let n = 6, d = 4, c = 3, reg = 0.3
        let x = randomRows(n, d, &generator), t = (0..<n).map { _ in Int(generator.next() % 3) }
        let targets = Matrix<Double>(rows: n, cols: c)
        for (row, k) in t.enumerated() { targets[row, k] = 1 }

        // cs231n: W = [weightᵀ; bias] (D+1, C), X = [x, 1] (N, D+1).
        var w = [[Double]](repeating: [Double](repeating: 0, count: c), count: d + 1)
        for k in 0..<c {
            for j in 0..<d { w[j][k] = dense.weight.value[k, j] }
            w[d][k] = dense.bias.value[0, k]
        }
        let xs = x.map { $0 + [1] }
        var loss = 0.0
        var dW = [[Double]](repeating: [Double](repeating: 0, count: c), count: d + 1)
        for i in 0..<n {
            let scores = (0..<c).map { k in (0...d).reduce(0.0) { $0 + xs[i][$1] * w[$1][k] } }
            let top = scores.max()!, sum = scores.reduce(0.0) { $0 + exp($1 - top) }
            loss -= (scores[t[i]] - top - log(sum)) / Double(n)
            for k in 0..<c {
                let p = exp(scores[k] - top) / sum - (k == t[i] ? 1 : 0)
                for j in 0...d { dW[j][k] += xs[i][j] * p / Double(n) }
            }
        }
        loss += 0.5 * reg * w.joined().reduce(0.0) { $0 + $1 * $1 }
        for j in 0...d { for k in 0..<c { dW[j][k] += reg * w[j][k] } }

        let objective = network.computeGradients(Matrix(x), targets, reg: reg).objective
        XCTAssertEqual(objective, loss, accuracy: 1e-12)
        for k in 0..<c {
            for j in 0..<d { XCTAssertEqual(dense.weight.gradient[k, j], dW[j][k], accuracy: 1e-12) }
            XCTAssertEqual(dense.bias.gradient[0, k], dW[d][k], accuracy: 1e-12, "the bias row is regularised")
        }
        for result in GradientCheck().run(network, input: Matrix(x), target: targets, reg: reg, generator: &generator) {
            XCTAssertLessThan(result.maxRelativeError, 1e-6, result.parameter)
        }
    }

    func testBiasTrickNeedsASingleDenseLayer() throws {
        XCTAssertEqual(error { try self.config(layers: "[{dense: {units: 4, activation: relu}}, {dense: 3}]") },
                       "b.yaml:5:15: model.bias_trick: bias_trick folds the bias into the weights of a single dense layer "
                       + "(cs231n's linear classifiers); this model has 2 dense layers")
        XCTAssertEqual(error { try self.config(biasTrick: "yes please") },
                       "b.yaml:5:15: model.bias_trick: expected true or false, got 'yes please'")
        XCTAssertNoThrow(try config(layers: "[{dense: 3}, softmax]"), "activation layers do not count")
        XCTAssertNoThrow(try config(layers: "[{dense: {units: 4, activation: relu}}, {dense: 3}]", biasTrick: "false"))
    }

    private func randomRows(_ rows: Int, _ cols: Int, _ generator: inout SplitMix64) -> [[Double]] {
        (0..<rows).map { _ in (0..<cols).map { _ in 2 * generator.nextUnit() - 1 } }
    }
}
