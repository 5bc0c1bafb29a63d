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
            XCTAssertFalse(result.passed, result.parameter)
            XCTAssertTrue(result.maxAbsoluteError.isNaN && result.maxErrorOverTolerance.isNaN, result.parameter)
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
        XCTAssertFalse(results[0].passed, "the default tolerance is torch.autograd.gradcheck's")
        let torchStyle = GradientCheck(step: GradientCheck.torchStep)
            .run(net, input: randomMatrix(4, 3, generator: &generator),
                 target: oneHot(4, classes: 4, generator: &generator), generator: &generator)
        XCTAssertFalse(torchStyle[0].passed)
        XCTAssertGreaterThan(torchStyle[0].maxErrorOverTolerance, 1, "\(torchStyle[0])")
    }

    /// A dense layer whose backward reports its weight gradient 1% too large.
    private final class OnePercentOffDense: Layer {
        let kind = "bad_dense"
        let dense: Dense<Double>
        var inputSize: Int { dense.inputSize }
        var outputSize: Int { dense.outputSize }
        var parameters: [Parameter<Double>] { dense.parameters }
        init(_ dense: Dense<Double>) { self.dense = dense }
        func forward(_ input: Matrix<Double>) -> Matrix<Double> { dense.forward(input) }
        func replica() -> any Layer<Double> { OnePercentOffDense(dense) }
        func backward(_ g: Matrix<Double>) -> Matrix<Double> {
            let dx = dense.backward(g)
            for i in 0..<dense.weight.gradient.count { dense.weight.gradient.storage[i] *= 1.01 }
            return dx
        }
    }

    /// cs231n's softmax classifier: inputs like raw pixels minus the mean image (±128), weights
    /// ~1e-4, reg 5e4.
    private func rawPixelClassifier(wrongBackward: Bool, generator: inout SplitMix64)
        -> (Network<Double>, x: Matrix<Double>, t: Matrix<Double>) {
        let dense = Dense<Double>(inputSize: 64, outputSize: 10)
        Initialization.normal(scale: 1e-4).fill(dense.weight.value, using: &generator)
        let first: any Layer<Double> = wrongBackward ? OnePercentOffDense(dense) : dense
        let net = Network<Double>(inputSize: 64, layers: [first], loss: makeLoss(.softmaxCrossEntropy))
        return (net, randomMatrix(8, 64, -128, 128, generator: &generator), oneHot(8, classes: 10, generator: &generator))
    }

    func testRawPixelScaleInputsPassTorchsToleranceButNotATightRelativeThreshold() {
        var generator = SplitMix64(seed: 9)
        let (net, x, t) = rawPixelClassifier(wrongBackward: false, generator: &generator)
        let torchStyle = GradientCheck(step: GradientCheck.torchStep)
            .run(net, input: x, target: t, reg: 5e4, generator: &generator)
        for result in torchStyle { XCTAssertTrue(result.passed, "\(result)") }
        // The old relative test flags a correct backward here: truncation error grows with the
        // third derivative, ~|x|³.
        let relative = GradientCheck(tolerance: .relative(threshold: 1e-6))
            .run(net, input: x, target: t, reg: 5e4, generator: &generator)
        XCTAssertFalse(relative[0].passed, "\(relative[0])")
    }

    func testTorchsToleranceCatchesAOnePercentWrongWeightGradientOnRawPixelScaleInputs() {
        var generator = SplitMix64(seed: 9)
        let (net, x, t) = rawPixelClassifier(wrongBackward: true, generator: &generator)
        let results = GradientCheck(step: GradientCheck.torchStep)
            .run(net, input: x, target: t, reg: 5e4, generator: &generator)
        XCTAssertEqual(results.map(\.parameter), ["layers[0].weight", "layers[0].bias"])
        XCTAssertFalse(results[0].passed, "\(results[0])")
        XCTAssertGreaterThan(results[0].failingEntries, 0)
        XCTAssertTrue(results[1].passed, "the bias gradient is right: \(results[1])")
    }

    func testTheRelativeToleranceDecidesPassedAsTheRelativeErrorDoes() {
        var generator = SplitMix64(seed: 21)
        let net = network(.tanh, output: nil, loss: .mse, generator: &generator)
        let x = randomMatrix(6, 3, generator: &generator), t = randomMatrix(6, 4, generator: &generator)
        for threshold in [1e-6, 1e-12] {
            for result in GradientCheck(tolerance: .relative(threshold: threshold))
                .run(net, input: x, target: t, reg: 0.1, generator: &generator) {
                XCTAssertEqual(result.passed, result.maxRelativeError <= threshold, "\(threshold) \(result)")
                XCTAssertEqual(result.maxErrorOverTolerance, result.maxRelativeError / threshold, accuracy: 1e-9)
            }
        }
    }
}
