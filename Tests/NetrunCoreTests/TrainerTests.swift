import NetrunCore
import XCTest

final class TrainerTests: XCTestCase {
    private let xor = Dataset<Float>(inputs: Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]),
                                     targets: Matrix([[1, 0], [0, 1], [0, 1], [1, 0]]),
                                     kind: .classes(count: 2))

    private func xorNetwork(seed: UInt64) -> (Network<Float>, SplitMix64) {
        var generator = SplitMix64(seed: seed)
        let hidden = Dense<Float>(inputSize: 2, outputSize: 4), output = Dense<Float>(inputSize: 4, outputSize: 2)
        Initialization.xavier(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        let network = Network<Float>(inputSize: 2, layers: [hidden, ActivationLayer(.tanh, size: 4), output],
                                     loss: SoftmaxCrossEntropy())
        return (network, generator)
    }

    private func train(seed: UInt64, settings: TrainingSettings) throws -> (TrainingResult, [LogPoint], [[Float]]) {
        let (network, generator) = xorNetwork(seed: seed)
        var log: [LogPoint] = []
        let result = try Trainer(network: network, settings: settings, generator: generator)
            .run(train: xor) { log.append($0) }
        return (result, log, network.parameters.map { $0.parameter.value.values })
    }

    func testLearnsXORToFullAccuracy() throws {
        let (result, log, _) = try train(seed: 1, settings: TrainingSettings(learningRate: 0.5, epochs: 500, logEvery: 100))
        XCTAssertEqual(result.outcome, .finished)
        XCTAssertEqual(result.steps, 500)
        XCTAssertEqual(log.map(\.epoch), [0, 100, 200, 300, 400, 500])
        XCTAssertEqual(result.final?.value("train", "accuracy"), 1)
        XCTAssertLessThan(result.final!.value("train", "loss")!, 0.05)
        XCTAssertLessThan(log.last!.value("train", "loss")!, log.first!.value("train", "loss")!)
    }

    func testSameSeedGivesBitIdenticalLossesAndWeights() throws {
        let settings = TrainingSettings(learningRate: 0.3, momentum: 0.9, epochs: 50, batchSize: 3, logEvery: 10)
        let (_, logA, weightsA) = try train(seed: 42, settings: settings)
        let (_, logB, weightsB) = try train(seed: 42, settings: settings)
        XCTAssertEqual(logA, logB)
        XCTAssertEqual(weightsA, weightsB)
        let (_, _, weightsC) = try train(seed: 43, settings: settings)
        XCTAssertNotEqual(weightsA, weightsC)
    }

    func testDivergingRunStopsAtTheFirstNonFiniteObjective() throws {
        // Linear least squares with a step far above 2/λmax grows geometrically until Float overflows.
        let data = Dataset<Float>(inputs: Matrix([[3, 1], [1, 4]]), targets: Matrix([[1], [2]]), kind: .real)
        let dense = Dense<Float>(inputSize: 2, outputSize: 1)
        let network = Network<Float>(inputSize: 2, layers: [dense], loss: MeanSquaredError())
        var log: [LogPoint] = []
        let result = try Trainer(network: network, settings: TrainingSettings(learningRate: 10, epochs: 1000, logEvery: 100),
                             generator: SplitMix64(seed: 1)).run(train: data) { log.append($0) }
        guard case .diverged(let step, let epoch) = result.outcome else {
            return XCTFail("expected divergence, got \(result.outcome)")
        }
        XCTAssertLessThan(step, 100)
        XCTAssertEqual(result.steps, step - 1, "the non-finite step is not applied")
        XCTAssertEqual(log.last?.step, step)
        XCTAssertEqual(log.last?.epoch, epoch)
        XCTAssertFalse(log.last!.value("train", "loss")!.isFinite)
        XCTAssertNil(log.last!.value("train", "accuracy"), "regression targets have no accuracy")
    }

    func testSGDStepsAgainstTheGradient() throws {
        let parameter = Parameter<Double>(name: "weight", rows: 1, cols: 2, isRegularized: true)
        parameter.value.copy(from: Matrix([[1, 1]]))
        parameter.gradient.copy(from: Matrix([[2, -4]]))
        SGD<Double>().step([parameter], learningRate: 0.5)
        assertValues(parameter.value, [0, 3], accuracy: 0)
    }

    func testMomentumAccumulatesVelocityAsPyTorchDoes() throws {
        let parameter = Parameter<Double>(name: "weight", rows: 1, cols: 1, isRegularized: true)
        parameter.gradient.copy(from: Matrix([[1]]))
        let sgd = SGD<Double>(momentum: 0.9)
        sgd.step([parameter], learningRate: 0.1)  // v = 1,   w = −0.1
        sgd.step([parameter], learningRate: 0.1)  // v = 1.9, w = −0.29
        XCTAssertEqual(parameter.value[0, 0], -0.29, accuracy: 1e-15)
    }

    func testShuffleDependsOnlyOnTheSeed() throws {
        var a = Array(0..<10), b = Array(0..<10)
        var g1 = SplitMix64(seed: 5), g2 = SplitMix64(seed: 5)
        shuffle(&a, using: &g1)
        shuffle(&b, using: &g2)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.sorted(), Array(0..<10))
        XCTAssertNotEqual(a, Array(0..<10))
    }

    func testBinaryAccuracyThresholdsAtTheMidpointOfTheTargets() throws {
        let prediction = Matrix<Float>([[-0.2], [0.1], [0.9], [-0.8]])
        let target = Matrix<Float>([[-1], [1], [1], [1]])
        XCTAssertEqual(accuracy(prediction, target, kind: .binary(low: -1, high: 1)), 0.75)
    }

    func testInitializationsHaveTheirDocumentedSpread() throws {
        var generator = SplitMix64(seed: 8)
        let w = Matrix<Double>(rows: 200, cols: 100)
        Initialization.he(gain: 1).fill(w, using: &generator)
        let variance = w.values.map { $0 * $0 }.reduce(0, +) / Double(w.count)
        XCTAssertEqual(variance, 2.0 / 100, accuracy: 0.002)
        Initialization.xavier(gain: 1).fill(w, using: &generator)
        let limit = (6.0 / 300).squareRoot()
        XCTAssertTrue(w.values.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(w.values.map(abs).max()!, 0.95 * limit)
    }
}
