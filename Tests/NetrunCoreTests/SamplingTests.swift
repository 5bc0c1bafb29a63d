@testable import NetrunCore
import XCTest

/// `sampling: with_replacement`: cs231n's `np.random.choice(num_train, batch_size)` every step.
final class SamplingTests: XCTestCase {
    private let data = Dataset<Double>(inputs: Matrix((0..<10).map { [Double($0) / 10, Double($0 % 3)] }),
                                       targets: Matrix((0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }),
                                       kind: .classes(count: 2))

    private func network(seed: UInt64) -> (Network<Double>, SplitMix64) {
        var generator = SplitMix64(seed: seed)
        let hidden = Dense<Double>(inputSize: 2, outputSize: 5), output = Dense<Double>(inputSize: 5, outputSize: 2)
        Initialization.xavier(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        return (Network(inputSize: 2, layers: [hidden, ActivationLayer(.tanh, size: 5), output], loss: SoftmaxCrossEntropy()),
                generator)
    }

    private func settings(epochs: Int = 5) -> TrainingSettings {
        var settings = TrainingSettings(learningRate: 0.3, learningRateDecay: 0.9, momentum: 0.9, reg: 0.01, epochs: epochs,
                                        batchSize: 4, logEvery: 2, checkpointEvery: 3)
        settings.sampling = .withReplacement
        return settings
    }

    func testWithReplacementDrawsEveryBatchFromTheRunsGenerator() throws {
        let (net, generator) = network(seed: 3)
        let result = try Trainer(network: net, settings: settings(), generator: generator).run(train: data) { _ in }
        XCTAssertEqual(result.steps, 15, "an epoch is still ⌈10 / 4⌉ = 3 steps")
        XCTAssertEqual(result.epochs, 5)

        // The same by hand: draw 4 indices in 0..<10 per step, gather them, step; decay every 3 steps.
        let (reference, start) = network(seed: 3)
        var stream = start
        let sgd = SGD<Double>(momentum: 0.9)
        var learningRate = 0.3
        var sawRepeat = false
        for step in 1...15 {
            let batch = (0..<4).map { _ in Int(stream.next() % 10) }
            sawRepeat = sawRepeat || Set(batch).count < 4
            let rows = data.subset(batch)
            reference.computeGradients(rows.inputs, rows.targets, reg: 0.01)
            sgd.step(reference.parameters.map(\.parameter), learningRate: learningRate)
            if step % 3 == 0 { learningRate *= 0.9 }
        }
        XCTAssertTrue(sawRepeat, "pick another seed: no batch repeated a sample")
        for ((_, a), (_, b)) in zip(net.parameters, reference.parameters) {
            XCTAssertEqual(a.value.values, b.value.values)
        }
    }

    func testResumingWithReplacementIsBitIdenticalToAnUninterruptedRun() throws {
        let (wholeNet, wholeStart) = network(seed: 5)
        let whole = Trainer(network: wholeNet, settings: settings(epochs: 8), generator: wholeStart)
        var wholeLog: [LogPoint] = []
        _ = try whole.run(train: data) { wholeLog.append($0) }

        let (firstNet, firstStart) = network(seed: 5)
        var saved: Checkpoint<Double>?
        var steps = 0, log: [LogPoint] = []
        let stopped = try Trainer(network: firstNet, settings: settings(epochs: 8), generator: firstStart)
            .run(train: data, save: { saved = $0 }, shouldStop: { steps += 1; return steps == 11 }) { log.append($0) }
        XCTAssertEqual(stopped.outcome, .interrupted(step: 11))
        let checkpoint = try XCTUnwrap(saved)
        XCTAssertNil(checkpoint.progress.orderMismatch(samples: 10), "the stored order is accepted on resume")

        let (secondNet, otherStart) = network(seed: 99)
        _ = try Trainer(network: secondNet, settings: settings(epochs: 8), generator: otherStart)
            .run(train: data, resumingFrom: checkpoint) { log.append($0) }
        for ((_, a), (_, b)) in zip(secondNet.parameters, wholeNet.parameters) {
            XCTAssertEqual(a.value.values.map(\.bitPattern), b.value.values.map(\.bitPattern))
        }
        XCTAssertEqual(log, wholeLog)
    }

    func testShardedBatchWithRepeatedRowsEqualsTheBatchGatheredWithItsRepeats() {
        var generator = SplitMix64(seed: 8)
        func net() -> Network<Float> {
            var g = SplitMix64(seed: 2)
            let hidden = Dense<Float>(inputSize: 200, outputSize: 100), output = Dense<Float>(inputSize: 100, outputSize: 10)
            Initialization.he(gain: 1).fill(hidden.weight.value, using: &g)
            Initialization.xavier(gain: 1).fill(output.weight.value, using: &g)
            return Network(inputSize: 200, layers: [hidden, ActivationLayer(.relu, size: 100), output], loss: SoftmaxCrossEntropy())
        }
        let set = Dataset<Float>(inputs: randomMatrix(50, 200, generator: &generator).converted(),
                                 targets: oneHot(50, classes: 10, generator: &generator).converted(), kind: .classes(count: 10))
        var rows = [Int](repeating: 0, count: 128)
        drawIndices(&rows, below: 50, using: &generator)  // 128 draws from 50: many repeats
        let sharded = ShardedNetwork(network: net(), shards: 2)
        let drawn = sharded.computeGradients(set, rows: rows[...], reg: 0.01)
        let gathered = ShardedNetwork(network: net(), shards: 2)
        let expected = gathered.computeGradients(set.subset(rows), rows: nil, reg: 0.01)
        XCTAssertEqual(drawn.objective, expected.objective, accuracy: 1e-5)
        for ((_, a), (_, b)) in zip(sharded.network.parameters, gathered.network.parameters) {
            for i in 0..<a.gradient.count { XCTAssertEqual(a.gradient.storage[i], b.gradient.storage[i], accuracy: 1e-5) }
        }
    }
}
