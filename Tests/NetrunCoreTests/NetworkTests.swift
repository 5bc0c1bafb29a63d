import NetrunCore
import XCTest

final class NetworkTests: XCTestCase {
    private func network(_ hidden: Activation, output: Activation?, loss: LossFunction,
                         generator: inout SplitMix64) -> Network<Double> {
        let first = Dense<Double>(inputSize: 3, outputSize: 5), second = Dense<Double>(inputSize: 5, outputSize: 4)
        for dense in [first, second] {
            Initialization.normal(scale: 0.8).fill(dense.weight.value, using: &generator)
            dense.bias.value.copy(from: randomMatrix(1, dense.outputSize, -0.3, 0.3, generator: &generator))
        }
        var layers: [any Layer<Double>] = [first, ActivationLayer(hidden, size: 5), second]
        if let output { layers.append(ActivationLayer(output, size: 4)) }
        return Network(inputSize: 3, layers: layers, loss: makeLoss(loss))
    }

    func testWholeNetworkGradientsMatchCenteredDifferencesWithRegularization() {
        var generator = SplitMix64(seed: 21)
        let shapes: [(Activation, Activation?, LossFunction)] = [
            (.sigmoid, .sigmoid, .mse), (.tanh, nil, .mse), (.tanh, .softmax, .crossEntropy),
            (.leakyReLU(slope: 0.1), nil, .softmaxCrossEntropy), (.sigmoid, .softmax, .mse),
        ]
        for (hidden, output, loss) in shapes {
            let net = network(hidden, output: output, loss: loss, generator: &generator)
            let x = randomMatrix(6, 3, generator: &generator)
            let t = loss == .mse ? randomMatrix(6, 4, generator: &generator) : oneHot(6, classes: 4, generator: &generator)
            for result in GradientCheck().run(net, input: x, target: t, reg: 0.1, generator: &generator) {
                XCTAssertLessThan(result.maxRelativeError, 1e-6, "\(hidden) \(String(describing: output)) \(loss) \(result.parameter)")
            }
        }
    }

    func testReLUNetworkGradientsAwayFromKinks() {
        var generator = SplitMix64(seed: 4)
        let net = network(.relu, output: nil, loss: .softmaxCrossEntropy, generator: &generator)
        let x = randomMatrix(5, 3, generator: &generator)
        let t = oneHot(5, classes: 4, generator: &generator)
        // Skip the check if a pre-activation sits within the step of the kink.
        let hidden = net.layers[0].forward(x)
        XCTAssertTrue(hidden.values.allSatisfy { abs($0) > 1e-3 }, "pick another seed: input near ReLU kink")
        for result in GradientCheck().run(net, input: x, target: t, reg: 0.05, generator: &generator) {
            XCTAssertLessThan(result.maxRelativeError, 1e-6, result.parameter)
        }
    }

    func testRegularizationCoversWeightsNotBiases() {
        let dense = Dense<Double>(inputSize: 2, outputSize: 1)
        dense.weight.value.copy(from: Matrix([[3, 4]]))
        dense.bias.value.copy(from: Matrix([[10]]))
        let net = Network<Double>(inputSize: 2, layers: [dense], loss: MeanSquaredError())
        XCTAssertEqual(net.regularizationLoss(strength: 0.1), 0.5 * 0.1 * 25, accuracy: 1e-15)
        net.zeroGradients()
        net.addRegularizationGradient(strength: 0.1)
        assertValues(dense.weight.gradient, [0.3, 0.4], accuracy: 1e-15)
        assertValues(dense.bias.gradient, [0], accuracy: 0)
    }

    /// max(_:_:) drops a NaN: a NaN loss once passed with "max rel error 0.00e+00".
    func testGradientCheckFailsWhenTheLossIsNaN() {
        var generator = SplitMix64(seed: 5)
        let net = network(.tanh, output: nil, loss: .mse, generator: &generator)
        let x = randomMatrix(3, 3, generator: &generator)
        x.storage[4] = .nan
        let results = GradientCheck().run(net, input: x, target: randomMatrix(3, 4, generator: &generator), generator: &generator)
        for result in results {
            XCTAssertTrue(result.maxRelativeError.isNaN, "\(result.parameter): \(result.maxRelativeError)")
            XCTAssertFalse(result.maxRelativeError <= 1e-6, result.parameter)
            XCTAssertEqual(result.nonFiniteEntries, result.checkedEntries, result.parameter)
        }
    }

    func testGradientCheckCatchesAWrongBackward() {
        // A softmax whose backward used only the Jacobian's diagonal would pass a naive test on
        // one-output rows; on a real network the checker must flag it.
        final class DiagonalSoftmax: Layer {
            let kind = "bad_softmax", inputSize: Int, outputSize: Int
            private let inner: ActivationLayer<Double>
            private var y: Matrix<Double>?
            init(size: Int) { inputSize = size; outputSize = size; inner = ActivationLayer(.softmax, size: size) }
            func forward(_ input: Matrix<Double>) -> Matrix<Double> { y = inner.forward(input); return y! }
            func replica() -> any Layer<Double> { DiagonalSoftmax(size: inputSize) }
            func backward(_ g: Matrix<Double>) -> Matrix<Double> {
                let dx = Matrix<Double>(rows: g.rows, cols: g.cols)
                for i in 0..<g.count { dx.storage[i] = y!.storage[i] * (1 - y!.storage[i]) * g.storage[i] }
                return dx
            }
        }
        var generator = SplitMix64(seed: 2)
        let dense = Dense<Double>(inputSize: 3, outputSize: 4)
        Initialization.normal(scale: 1).fill(dense.weight.value, using: &generator)
        let net = Network<Double>(inputSize: 3, layers: [dense, DiagonalSoftmax(size: 4)], loss: CrossEntropy())
        let results = GradientCheck().run(net, input: randomMatrix(4, 3, generator: &generator),
                                          target: oneHot(4, classes: 4, generator: &generator), generator: &generator)
        XCTAssertGreaterThan(results[0].maxRelativeError, 1e-2)
    }
}
