import NetrunCore
import XCTest

final class DenseTests: XCTestCase {
    func testForwardIsInputTimesWeightTransposedPlusBias() {
        let dense = Dense<Double>(inputSize: 2, outputSize: 3)
        dense.weight.value.copy(from: Matrix([[1, 2], [3, 4], [5, 6]]))
        dense.bias.value.copy(from: Matrix([[0.5, -0.5, 1]]))
        let y = dense.forward(Matrix([[1, 1], [2, -1]]))
        assertValues(y, [3.5, 6.5, 12, 0.5, 1.5, 5], accuracy: 0)
    }

    func testBackwardMatchesCenteredDifferencesForInputWeightAndBias() {
        var generator = SplitMix64(seed: 3)
        for (inputs, outputs, batch) in [(3, 4, 5), (1, 1, 1), (7, 2, 3)] {
            let dense = Dense<Double>(inputSize: inputs, outputSize: outputs)
            Initialization.normal(scale: 1).fill(dense.weight.value, using: &generator)
            dense.bias.value.copy(from: randomMatrix(1, outputs, generator: &generator))
            let x = randomMatrix(batch, inputs, generator: &generator)
            let g = randomMatrix(batch, outputs, generator: &generator)
            XCTAssertLessThan(checkInputGradient(dense, input: x, upstream: g), 1e-6)
            // Parameters: a network of the dense layer and squared error checks dW and db.
            let network = Network<Double>(inputSize: inputs, layers: [dense], loss: MeanSquaredError())
            let results = GradientCheck().run(network, input: x, target: g, generator: &generator)
            XCTAssertEqual(results.map(\.parameter), ["layers[0].weight", "layers[0].bias"])
            for result in results { XCTAssertLessThan(result.maxRelativeError, 1e-6, result.parameter) }
        }
    }

    func testBackwardAddsIntoParameterGradients() {
        let dense = Dense<Double>(inputSize: 1, outputSize: 1)
        let x = Matrix<Double>([[2]]), g = Matrix<Double>([[3]])
        _ = dense.forward(x)
        _ = dense.backward(g)
        _ = dense.backward(g)
        XCTAssertEqual(dense.weight.gradient[0, 0], 12)
        XCTAssertEqual(dense.bias.gradient[0, 0], 6)
    }
}
