import NetrunCore
import XCTest

final class LossTests: XCTestCase {
    func testSquaredErrorKnownValueAndGradient() {
        let loss = MeanSquaredError<Double>()
        // rows: residuals (1, −2) and (0, 3) → ½(1 + 4 + 0 + 9) / 2 = 3.5
        let value = loss.forward(Matrix([[2, 0], [1, 4]]), Matrix([[1, 2], [1, 1]]))
        XCTAssertEqual(value, 3.5)
        assertValues(loss.backward(), [0.5, -1, 0, 1.5], accuracy: 0)
    }

    func testCrossEntropyKnownValue() {
        let loss = CrossEntropy<Double>()
        let value = loss.forward(Matrix([[0.25, 0.75], [0.5, 0.5]]), Matrix([[0, 1], [1, 0]]))
        XCTAssertEqual(value, -(Foundation.log(0.75) + Foundation.log(0.5)) / 2, accuracy: 1e-15)
    }

    func testSoftmaxCrossEntropyKnownValueAndGradient() {
        let loss = SoftmaxCrossEntropy<Double>()
        let value = loss.forward(Matrix([[1, 2, 3]]), Matrix([[0, 0, 1]]))
        XCTAssertEqual(value, -Foundation.log(0.6652409557748219), accuracy: 1e-14)
        assertValues(loss.backward(), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219 - 1],
                     accuracy: 1e-15)
    }

    func testEveryLossGradientMatchesCenteredDifferences() {
        var generator = SplitMix64(seed: 5)
        let soft = randomMatrix(4, 3, 0.1, 1, generator: &generator)
        for r in 0..<4 {  // soft targets: rows of positive weights that sum to 1
            let sum = soft.row(r).reduce(0, +)
            for j in 0..<3 { soft[r, j] /= sum }
        }
        let probabilities = randomMatrix(4, 3, 0.05, 0.95, generator: &generator)
        let cases: [(any Loss<Double>, Matrix<Double>, Matrix<Double>)] = [
            (MeanSquaredError(), randomMatrix(4, 3, generator: &generator), randomMatrix(4, 3, generator: &generator)),
            (CrossEntropy(), probabilities, oneHot(4, classes: 3, generator: &generator)),
            (CrossEntropy(), probabilities, soft),
            (SoftmaxCrossEntropy(), randomMatrix(4, 3, -4, 4, generator: &generator), oneHot(4, classes: 3, generator: &generator)),
            (SoftmaxCrossEntropy(), randomMatrix(4, 3, -4, 4, generator: &generator), soft),
        ]
        for (loss, prediction, target) in cases {
            XCTAssertLessThan(lossGradientError(loss, prediction: prediction, target: target), 1e-6, "\(loss.function)")
        }
    }

    func testFusedSoftmaxCrossEntropyIsFiniteForLogitsOf1e4() {
        let loss = SoftmaxCrossEntropy<Float>()
        let value = loss.forward(Matrix([[1e4, -1e4, 0], [-1e4, 1e4, 0]]), Matrix([[0, 1, 0], [0, 1, 0]]))
        XCTAssertEqual(value, 1e4, accuracy: 1)  // row 1 costs 2e4, row 2 costs 0
        XCTAssertTrue(loss.backward().values.allSatisfy(\.isFinite))
        assertValues(loss.backward(), [0.5, -0.5, 0, 0, 0, 0], accuracy: 1e-6)
    }

    func testSoftmaxThenCrossEntropyGivesTheFusedGradientOnLogits() {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<5 {
            let logits = randomMatrix(6, 4, -5, 5, generator: &generator)
            let target = oneHot(6, classes: 4, generator: &generator)
            let fused = SoftmaxCrossEntropy<Double>()
            let fusedLoss = fused.forward(logits, target)
            let fusedGradient = fused.backward().values

            let softmax = ActivationLayer<Double>(.softmax, size: 4), crossEntropy = CrossEntropy<Double>()
            let unfusedLoss = crossEntropy.forward(softmax.forward(logits), target)
            let unfusedGradient = softmax.backward(crossEntropy.backward()).values

            XCTAssertEqual(fusedLoss, unfusedLoss, accuracy: 1e-12)
            for (a, b) in zip(fusedGradient, unfusedGradient) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        }
    }

    func testCrossEntropyOfUnderflowedProbabilityStaysFinite() {
        let loss = CrossEntropy<Float>()
        let value = loss.forward(Matrix([[0, 1]]), Matrix([[1, 0]]))
        XCTAssertTrue(value.isFinite)
        XCTAssertTrue(loss.backward().values.allSatisfy(\.isFinite))
    }
}

import Foundation
