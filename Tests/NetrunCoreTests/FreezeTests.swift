import NetrunCore
import XCTest

/// Frozen parameters (`model.freeze`, PyTorch's `requires_grad = False`) never reach the optimizer.
final class FreezeTests: XCTestCase {
    private let xor = Dataset<Float>(inputs: Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]),
                                     targets: Matrix([[1, 0], [0, 1], [0, 1], [1, 0]]),
                                     kind: .classes(count: 2))

    func testFrozenLayerKeepsItsWeightsWhileTheOthersTrain() throws {
        var generator = SplitMix64(seed: 3)
        let hidden = Dense<Float>(inputSize: 2, outputSize: 4), output = Dense<Float>(inputSize: 4, outputSize: 2)
        Initialization.xavier(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        for parameter in hidden.parameters { parameter.isFrozen = true }
        let network = Network<Float>(inputSize: 2, layers: [hidden, ActivationLayer(.tanh, size: 4), output],
                                     loss: SoftmaxCrossEntropy())
        let before = network.parameters.map { $0.parameter.value.values }
        var saved: [Checkpoint<Float>] = []
        let settings = TrainingSettings(learningRate: 0.5, momentum: 0.9, reg: 0.01, epochs: 20, logEvery: 10)
        _ = try Trainer(network: network, settings: settings, generator: generator)
            .run(train: xor, save: { saved.append($0) }) { _ in }
        let after = network.parameters.map { $0.parameter.value.values }
        XCTAssertEqual(after[0], before[0], "frozen weight")
        XCTAssertEqual(after[1], before[1], "frozen bias")
        XCTAssertNotEqual(after[2], before[2], "the output layer trains")
        XCTAssertEqual(saved.last?.parameters.count, 2, "checkpoints hold the trained parameters only")
    }
}
