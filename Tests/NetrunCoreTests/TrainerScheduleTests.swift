import NetrunCore
import XCTest

/// Iterations, per-epoch decay and which splits are measured when.
final class TrainerScheduleTests: XCTestCase {
    private let data = Dataset<Float>(inputs: Matrix((0..<10).map { [Float($0) / 10, 1 - Float($0) / 10] }),
                                      targets: Matrix((0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }),
                                      kind: .classes(count: 2))

    private func trainer(_ settings: TrainingSettings) -> Trainer<Float> {
        var generator = SplitMix64(seed: 3)
        let dense = Dense<Float>(inputSize: 2, outputSize: 2)
        Initialization.xavier(gain: 1).fill(dense.weight.value, using: &generator)
        return Trainer(network: Network(inputSize: 2, layers: [dense], loss: SoftmaxCrossEntropy()),
                       settings: settings, generator: generator)
    }

    func testIterationsCountStepsAndLogEveryCountsSteps() throws {
        // 10 samples in batches of 4: an epoch is 3 steps (4 + 4 + 2).
        var log: [LogPoint] = []
        let result = try trainer(TrainingSettings(learningRate: 0.1, iterations: 7, batchSize: 4, logEvery: 3))
            .run(train: data) { log.append($0) }
        XCTAssertEqual(result.steps, 7)
        XCTAssertEqual(result.epochs, 2, "steps 3 and 6 end epochs")
        XCTAssertEqual(log.map(\.step), [0, 3, 6, 7])
        XCTAssertEqual(log.map(\.epoch), [0, 1, 2, 2])
    }

    func testLearningRateDecaysOncePerEpoch() throws {
        let decaying = trainer(TrainingSettings(learningRate: 1, learningRateDecay: 0.5, epochs: 3, batchSize: 4))
        var last: Checkpoint<Float>?
        _ = try decaying.run(train: data, save: { last = $0 }) { _ in }
        XCTAssertEqual(last?.progress.learningRate, 0.125, "1 × 0.5³ after three epochs")
    }

    func testValidationIsMeasuredAtEveryLogPointAndTestOnlyAtTheEnd() throws {
        let validation = data.subset([0, 1, 2]), test = data.subset([3, 4])
        var log: [LogPoint] = []
        _ = try trainer(TrainingSettings(learningRate: 0.1, epochs: 4, logEvery: 2))
            .run(train: data, validation: validation, test: test) { log.append($0) }
        XCTAssertEqual(log.map(\.epoch), [0, 2, 4])
        XCTAssertTrue(log.allSatisfy { $0.value("val", "accuracy") != nil })
        XCTAssertEqual(log.map { $0.value("test", "loss") != nil }, [false, false, true])
    }

    func testEpochTrainingMatchesTheSameNumberOfIterations() throws {
        let byEpochs = trainer(TrainingSettings(learningRate: 0.3, epochs: 5, batchSize: 4))
        let byIterations = trainer(TrainingSettings(learningRate: 0.3, iterations: 15, batchSize: 4))
        var a: [LogPoint] = [], b: [LogPoint] = []
        _ = try byEpochs.run(train: data) { a.append($0) }
        _ = try byIterations.run(train: data) { b.append($0) }
        XCTAssertEqual(a.last, b.last, "5 epochs of 3 steps are 15 iterations, shuffles included")
        XCTAssertEqual(byEpochs.network.parameters.map { $0.parameter.value.values },
                       byIterations.network.parameters.map { $0.parameter.value.values })
    }
}
