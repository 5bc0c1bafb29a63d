import NetrunCore
import XCTest

final class CheckpointTests: XCTestCase {
    private let data = Dataset<Float>(inputs: Matrix((0..<10).map { [Float($0) / 10, Float($0 % 3)] }),
                                      targets: Matrix((0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }),
                                      kind: .classes(count: 2))
    private let settings = TrainingSettings(learningRate: 0.3, learningRateDecay: 0.9, momentum: 0.9, epochs: 8,
                                            batchSize: 3, logEvery: 2, checkpointEvery: 3)

    private func trainer(seed: UInt64) -> Trainer<Float> {
        var generator = SplitMix64(seed: seed)
        let hidden = Dense<Float>(inputSize: 2, outputSize: 5), output = Dense<Float>(inputSize: 5, outputSize: 2)
        Initialization.xavier(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        let network = Network<Float>(inputSize: 2, layers: [hidden, ActivationLayer(.tanh, size: 5), output],
                                     loss: SoftmaxCrossEntropy())
        return Trainer(network: network, settings: settings, generator: generator)
    }

    private func weights(_ trainer: Trainer<Float>) -> [[UInt32]] {
        trainer.network.parameters.map { $0.parameter.value.values.map(\.bitPattern) }
    }

    func testStoppingAndResumingIsBitIdenticalToAnUninterruptedRun() throws {
        let whole = trainer(seed: 5)
        var wholeLog: [LogPoint] = []
        let wholeResult = try whole.run(train: data) { wholeLog.append($0) }

        // Stop halfway (8 epochs of 4 steps: after step 16), then continue in a fresh trainer whose
        // own initial weights and stream differ, so everything must come from the checkpoint.
        let first = trainer(seed: 5)
        var saved: Checkpoint<Float>?
        var steps = 0
        var log: [LogPoint] = []
        let stopped = try first.run(train: data, save: { saved = $0 }, shouldStop: { steps += 1; return steps == 16 }) {
            log.append($0)
        }
        XCTAssertEqual(stopped.outcome, .interrupted(step: 16))
        let checkpoint = try XCTUnwrap(saved)
        XCTAssertEqual(checkpoint.progress.step, 16)
        XCTAssertEqual(checkpoint.progress.epoch, 4)
        XCTAssertEqual(checkpoint.velocities.count, 4, "momentum buffers are part of the checkpoint")

        let second = trainer(seed: 99)
        let resumed = try second.run(train: data, resumingFrom: checkpoint) { log.append($0) }
        XCTAssertEqual(resumed.outcome, .finished)
        XCTAssertEqual(weights(second), weights(whole))
        XCTAssertEqual(second.optimizer.learningRate, whole.optimizer.learningRate)
        XCTAssertEqual(log, wholeLog, "the same points with the same losses")
        XCTAssertEqual(resumed.final, wholeResult.final)
    }

    func testCheckpointsAreSavedAtTheIntervalAndAtTheEnd() throws {
        var steps: [Int] = []
        _ = try trainer(seed: 1).run(train: data, save: { steps.append($0.progress.step) }) { _ in }
        XCTAssertEqual(steps, [12, 24, 32], "every 3 epochs of 4 steps, and the last step")
    }

    func testReachedTellsHowFarARunGotWhenAWriteFails() throws {
        // A full disk at the log point of epoch 6 (step 24), after the checkpoint of epoch 3: the
        // run got to step 24, not to its checkpoint's 12 nor to 0.
        struct DiskFull: Error {}
        let failing = trainer(seed: 5)
        XCTAssertThrowsError(try failing.run(train: data) { point in
            if point.step == 24 { throw DiskFull() }
        })
        XCTAssertEqual(failing.reached.steps, 24)
        XCTAssertEqual(failing.reached.epochs, 6)
    }
}
