@testable import NetrunCore
import Foundation
import XCTest

/// ignore_label, normalization, class_weights, label_smoothing, reduction and huber: gradients
/// against centered differences, fused against unfused, values against PyTorch's on a committed
/// fixture (Tests/Fixtures/losses, made by make_loss_fixture.py), and sharded against whole batches.
final class LossOptionsTests: XCTestCase {
    private static let weights = [0.5, 2.0, 1.0, 3.0]

    /// Every option alone and in combination, each mode of normalization.
    private static let classOptions: [LossOptions] = [
        LossOptions(),
        LossOptions(ignoreLabel: 0),
        LossOptions(classWeights: weights),
        LossOptions(labelSmoothing: 0.1),
        LossOptions(ignoreLabel: 2, classWeights: weights, labelSmoothing: 0.2),
        LossOptions(ignoreLabel: 1, normalization: .batchSize, labelSmoothing: 0.3),
        LossOptions(ignoreLabel: 3, normalization: .full, classWeights: weights),
        LossOptions(ignoreLabel: 0, normalization: .none, classWeights: weights, labelSmoothing: 0.5),
    ]

    /// Rows of classes 0…3 with each class present, so every option has something to act on.
    private func classTargets(_ rows: Int) -> Matrix<Double> {
        let m = Matrix<Double>(rows: rows, cols: 4)
        for r in 0..<rows { m[r, (r * 3 + 1) % 4] = 1 }
        return m
    }

    func testEveryCrossEntropyOptionGradientMatchesCenteredDifferences() {
        var generator = SplitMix64(seed: 31)
        let target = classTargets(8)
        for options in Self.classOptions {
            let logits = randomMatrix(8, 4, -4, 4, generator: &generator)
            let probabilities = randomMatrix(8, 4, 0.05, 0.95, generator: &generator)
            XCTAssertLessThan(lossGradientError(SoftmaxCrossEntropy(options: options), prediction: logits, target: target),
                              1e-6, "softmax_cross_entropy \(options)")
            XCTAssertLessThan(lossGradientError(CrossEntropy(options: options), prediction: probabilities, target: target),
                              1e-6, "cross_entropy \(options)")
        }
    }

    func testRegressionOptionGradientsMatchCenteredDifferences() {
        var generator = SplitMix64(seed: 32)
        let losses: [any Loss<Double>] = [
            MeanSquaredError(options: LossOptions(sumsOverBatch: true)),
            Huber(), Huber(options: LossOptions(huberDelta: 0.3)), Huber(options: LossOptions(sumsOverBatch: true, huberDelta: 2)),
        ]
        for loss in losses {
            let prediction = randomMatrix(5, 3, -3, 3, generator: &generator), target = randomMatrix(5, 3, generator: &generator)
            XCTAssertLessThan(lossGradientError(loss, prediction: prediction, target: target), 1e-6, "\(loss.function) \(loss.options)")
        }
    }

    func testFusedAndUnfusedCrossEntropyAgreeUnderEveryOption() {
        var generator = SplitMix64(seed: 33)
        let target = classTargets(6)
        for options in Self.classOptions {
            let logits = randomMatrix(6, 4, -5, 5, generator: &generator)
            let fused = SoftmaxCrossEntropy<Double>(options: options)
            let fusedLoss = fused.forward(logits, target)
            let softmax = ActivationLayer<Double>(.softmax, size: 4), crossEntropy = CrossEntropy<Double>(options: options)
            let unfusedLoss = crossEntropy.forward(softmax.forward(logits), target)
            let unfused = softmax.backward(crossEntropy.backward()).values
            XCTAssertEqual(fusedLoss, unfusedLoss, accuracy: 1e-12, "\(options)")
            for (a, b) in zip(fused.backward().values, unfused) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(options)") }
        }
    }

    func testIgnoredRowsAddNoLossAndNoGradient() {
        let loss = SoftmaxCrossEntropy<Double>(options: LossOptions(ignoreLabel: 0))
        let value = loss.forward(Matrix([[5, 1, 2], [1, 2, 3]]), Matrix([[1, 0, 0], [0, 0, 1]]))
        let only = SoftmaxCrossEntropy<Double>().forward(Matrix([[1, 2, 3]]), Matrix([[0, 0, 1]]))
        XCTAssertEqual(value, only, accuracy: 1e-15, "the mean is over the one row that counts")
        assertValues(loss.backward(), [0, 0, 0] + SoftmaxCrossEntropy<Double>().gradient(Matrix([[1, 2, 3]]), Matrix([[0, 0, 1]])),
                     accuracy: 1e-15)
    }

    func testSoftRowsCountOneEachAsInPyTorch() {
        let loss = SoftmaxCrossEntropy<Float>()
        _ = loss.forward(Matrix([[1, 2, 3], [0, 1, 0], [2, 2, 2]]), Matrix([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0, 0, 0]]))
        XCTAssertEqual(loss.normalizer, 3, "the batch size, not the rows' summed (rounded) mass")
        let weighted = SoftmaxCrossEntropy<Double>(options: LossOptions(classWeights: [1, 2, 4]))
        _ = weighted.forward(Matrix([[1, 2, 3], [0, 1, 0]]), Matrix([[0, 1, 0], [0.5, 0, 0.5]]))
        XCTAssertEqual(weighted.normalizer, 2 + 2.5, "a one-hot row counts its class weight, a soft row Σ w·t")
    }

    func testABatchWhereEveryRowIsIgnoredHasZeroLossAndGradient() {
        let loss = SoftmaxCrossEntropy<Float>(options: LossOptions(ignoreLabel: 1))
        XCTAssertEqual(loss.forward(Matrix([[1e4, -1e4], [0, 3]]), Matrix([[0, 1], [0, 1]])), 0)
        XCTAssertEqual(loss.backward().values, [0, 0, 0, 0])
    }

    func testOptionsStayStableForLogitsOf1e4() {
        let loss = SoftmaxCrossEntropy<Float>(options: LossOptions(classWeights: [1, 2, 1], labelSmoothing: 0.1))
        let value = loss.forward(Matrix([[1e4, -1e4, 0], [-1e4, 1e4, 0]]), Matrix([[0, 1, 0], [0, 1, 0]]))
        XCTAssertTrue(value.isFinite)
        XCTAssertTrue(loss.backward().values.allSatisfy(\.isFinite))
    }

    // MARK: PyTorch fixture

    private struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var ignore_label: Int?
            var class_weights: [Double]?
            var label_smoothing: Double?
            var normalization: String?
            var loss: Double
            var gradient: [[Double]]
        }
        struct Regression: Decodable {
            var name: String
            var delta: Double?
            var reduction: String
            var loss: Double
            var gradient: [[Double]]
        }
        var logits: [[Double]]
        var labels: [Int]
        var classes: Int
        var cases: [Case]
        var predictions: [[Double]]
        var targets: [[Double]]
        var regression: [Regression]
    }

    private func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/losses/loss_fixture.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// |a − e| ≤ tolerance · max(|e|, 1): relative for large values, absolute near zero.
    private func assertClose(_ a: Double, _ e: Double, _ tolerance: Double, _ message: String,
                             line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - e), tolerance * max(abs(e), 1), message, line: line)
    }

    private func compareWithTorch<S: NetScalar>(_: S.Type, tolerance: Double) throws {
        let f = try fixture()
        let target = Matrix<S>(rows: f.labels.count, cols: f.classes)
        for (r, label) in f.labels.enumerated() { target[r, label] = 1 }
        let logits: Matrix<S> = Matrix(f.logits).converted()
        for c in f.cases {
            let options = LossOptions(
                ignoreLabel: c.ignore_label, normalization: LossNormalization(rawValue: c.normalization ?? "valid")!,
                classWeights: c.class_weights, labelSmoothing: c.label_smoothing ?? 0)
            let fused = SoftmaxCrossEntropy<S>(options: options)
            assertClose(fused.forward(logits, target), c.loss, tolerance, "\(S.self) \(c.name) loss")
            for (a, e) in zip(fused.backward().values, c.gradient.flatMap { $0 }) {
                assertClose(Double(a), e, tolerance, "\(S.self) \(c.name) gradient")
            }
        }
        let prediction: Matrix<S> = Matrix(f.predictions).converted(), values: Matrix<S> = Matrix(f.targets).converted()
        for c in f.regression {
            let options = LossOptions(sumsOverBatch: c.reduction == "sum", huberDelta: c.delta ?? 1)
            let loss = makeLoss(LossFunction(rawValue: c.name)!, options: options, as: S.self)
            assertClose(loss.forward(prediction, values), c.loss, tolerance, "\(S.self) \(c.name) \(c.reduction) loss")
            for (a, e) in zip(loss.backward().values, c.gradient.flatMap { $0 }) {
                assertClose(Double(a), e, tolerance, "\(S.self) \(c.name) \(c.reduction) gradient")
            }
        }
    }

    func testLossesMatchPyTorchInFloat64() throws {
        try compareWithTorch(Double.self, tolerance: 1e-6)
    }

    func testLossesMatchPyTorchInFloat32() throws {
        try compareWithTorch(Float.self, tolerance: 1e-5)
    }

    // MARK: Shards

    func testShardsNormaliseOverTheWholeBatchNotPerShard() {
        // 129 rows, mostly class 0 in the first half, so the shards have very different valid counts.
        var generator = SplitMix64(seed: 7)
        let x = randomMatrix(129, 200, generator: &generator)
        let t = Matrix<Double>(rows: 129, cols: 10)
        for r in 0..<129 { t[r, r < 64 && r % 5 != 0 ? 0 : r % 10] = 1 }
        let data = Dataset(inputs: x, targets: t, kind: .classes(count: 10))
        for options in [LossOptions(ignoreLabel: 0, classWeights: (0..<10).map { 1 + Double($0) / 3 }, labelSmoothing: 0.1),
                        LossOptions(ignoreLabel: 0, normalization: .none)] {
            let whole = network(seed: 3, options), sharded = network(seed: 3, options)
            let expected = whole.computeGradients(x, t, reg: 0)
            let shards = ShardedNetwork(network: sharded, shards: 2)
            XCTAssertEqual(shards.count, 2)
            let actual = shards.computeGradients(data, rows: nil, reg: 0)
            XCTAssertEqual(actual.dataLoss, expected.dataLoss, accuracy: 1e-12, "\(options)")
            for ((_, a), (_, b)) in zip(sharded.parameters, whole.parameters) {
                for i in 0..<a.gradient.count { XCTAssertEqual(a.gradient.storage[i], b.gradient.storage[i], accuracy: 1e-12) }
            }
            XCTAssertEqual(shards.evaluate(data, chunk: 50).loss, expected.dataLoss, accuracy: 1e-12,
                           "evaluation in chunks is the whole set's loss too")
        }
    }

    func testAccuracyLeavesOutIgnoredSamples() {
        // One output unit per class, the identity network: the prediction is the input row.
        let x = Matrix<Double>([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
        let t = Matrix<Double>([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]])
        let data = Dataset(inputs: x, targets: t, kind: .classes(count: 3))
        let plain = ShardedNetwork(network: Network<Double>(inputSize: 3, layers: [], loss: SoftmaxCrossEntropy()), shards: 1)
        XCTAssertEqual(plain.evaluate(data, chunk: 3).accuracy, 0.75)
        let ignoring = ShardedNetwork(network: Network<Double>(inputSize: 3, layers: [],
                                                       loss: SoftmaxCrossEntropy(options: LossOptions(ignoreLabel: 2))),
                                      shards: 1)
        XCTAssertEqual(ignoring.evaluate(data, chunk: 3).accuracy, 2.0 / 3, "the class-2 sample counts neither way")
    }

    private func network(seed: UInt64, _ options: LossOptions) -> Network<Double> {
        var generator = SplitMix64(seed: seed)
        let hidden = Dense<Double>(inputSize: 200, outputSize: 100), output = Dense<Double>(inputSize: 100, outputSize: 10)
        Initialization.he(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        return Network(inputSize: 200, layers: [hidden, ActivationLayer(.relu, size: 100), output],
                       loss: SoftmaxCrossEntropy(options: options))
    }
}

private extension SoftmaxCrossEntropy where Scalar == Double {
    func gradient(_ logits: Matrix<Double>, _ target: Matrix<Double>) -> [Double] {
        _ = forward(logits, target)
        return backward().values
    }
}
