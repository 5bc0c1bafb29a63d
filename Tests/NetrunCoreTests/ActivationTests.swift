import NetrunCore
import XCTest

final class ActivationTests: XCTestCase {
    private let input = Matrix<Double>([[-2, -0.5, 0, 0.5, 3]])

    private func forward(_ activation: Activation) -> Matrix<Double> {
        ActivationLayer<Double>(activation, size: 5).forward(input)
    }

    func testSigmoidKnownValues() {
        assertValues(forward(.sigmoid), [0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546,
                                         0.9525741268224334], accuracy: 1e-15)
    }

    func testTanhKnownValues() {
        assertValues(forward(.tanh), [-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974,
                                      0.9950547536867305], accuracy: 1e-15)
    }

    func testReLUAndLeakyReLUKnownValues() {
        assertValues(forward(.relu), [0, 0, 0, 0.5, 3], accuracy: 0)
        assertValues(forward(.leakyReLU(slope: 0.1)), [-0.2, -0.05, 0, 0.5, 3], accuracy: 1e-15)
    }

    func testIdentityPassesValuesAndGradientsThrough() {
        let layer = ActivationLayer<Double>(.identity, size: 5)
        assertValues(layer.forward(input), input.values, accuracy: 0)
        let g = Matrix<Double>([[1, 2, 3, 4, 5]])
        assertValues(layer.backward(g), [1, 2, 3, 4, 5], accuracy: 0)
    }

    func testSoftmaxKnownValuesAndRowsSumToOne() {
        let y = ActivationLayer<Double>(.softmax, size: 3).forward(Matrix([[1, 2, 3], [0, 0, 0]]))
        assertValues(y, [0.09003057317038046, 0.24472847105479764, 0.6652409557748219,
                         1.0 / 3, 1.0 / 3, 1.0 / 3], accuracy: 1e-15)
    }

    func testSoftmaxIsFiniteForHugeLogitsInFloat32() {
        let y = ActivationLayer<Float>(.softmax, size: 3).forward(Matrix([[1e4, -1e4, 0], [-1e4, -1e4, -1e4]]))
        XCTAssertTrue(y.values.allSatisfy(\.isFinite))
        assertValues(y, [1, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3], accuracy: 1e-6)
    }

    func testSoftmaxOfAllNegativeRowIsNotUniformGarbage() {
        // A max seeded with the smallest positive double instead of −∞ would break this row.
        let y = ActivationLayer<Double>(.softmax, size: 2).forward(Matrix([[-1000, -1001]]))
        assertValues(y, [0.7310585786300049, 0.2689414213699951], accuracy: 1e-15)
    }

    func testSigmoidSaturatesWithoutNaN() {
        let y = ActivationLayer<Float>(.sigmoid, size: 2).forward(Matrix([[-1e4, 1e4]]))
        XCTAssertEqual(y.values, [0, 1])
    }

    func testEveryActivationBackwardMatchesCenteredDifferences() {
        var generator = SplitMix64(seed: 7)
        let activations: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU(slope: 0.01), .leakyReLU(slope: -0.3),
                                         .softmax, .identity]
        for activation in activations {
            let x = awayFromZero(4, 6, generator: &generator)
            let g = randomMatrix(4, 6, generator: &generator)
            let error = checkInputGradient(ActivationLayer<Double>(activation, size: 6), input: x, upstream: g)
            XCTAssertLessThan(error, 1e-6, "\(activation)")
        }
    }

    func testSoftmaxBackwardEqualsExplicitJacobianProduct() {
        var generator = SplitMix64(seed: 11)
        let x = randomMatrix(3, 5, -3, 3, generator: &generator)
        let g = randomMatrix(3, 5, generator: &generator)
        let layer = ActivationLayer<Double>(.softmax, size: 5)
        let y = layer.forward(x).rowValues
        let dx = layer.backward(g).rowValues
        for r in 0..<3 {
            for i in 0..<5 {
                // J[j][i] = y_j (δ_ij − y_i);  dx_i = Σ_j J[j][i] g_j
                var expected = 0.0
                for j in 0..<5 { expected += y[r][j] * ((i == j ? 1 : 0) - y[r][i]) * g[r, j] }
                XCTAssertEqual(dx[r][i], expected, accuracy: 1e-15)
            }
        }
        // And it is not the diagonal-only shortcut y(1 − y) · g.
        let diagonalOnly = y[0][0] * (1 - y[0][0]) * g[0, 0]
        XCTAssertGreaterThan(abs(dx[0][0] - diagonalOnly), 1e-3)
    }
}
