import NetrunCore
import XCTest

final class CheckpointTests: XCTestCase {
    private let data = Dataset<Float>(inputs: Matrix((0..<10).map { [Float($0) / 10, Float($0 % 3)] }),
                                      targets: Matrix((0..<10).map { $0 % 2 == 0 ? [1, 0] : [0, 1] }),
                                      kind: .classes(count: 2))
    private let settings = TrainingSettings(learningRate: 0.3, learningRateDecay: 0.9, momentum: 0.9, epochs: 8,
                                            batchSize: 3, logEvery: 2, checkpointEvery: 3)

    /// Every optimizer a resume must continue exactly, with each kind of state.
    private let optimizers: [(name: String, settings: OptimizerChoice)] = [
        ("sgd", OptimizerChoice(SGDSettings())),
        ("sgd momentum", OptimizerChoice(SGDSettings(momentum: 0.9))),
        ("sgd nesterov", OptimizerChoice(SGDSettings(momentum: 0.9, nesterov: true, weightDecay: 0.01))),
        ("sgd dampening", OptimizerChoice(SGDSettings(momentum: 0.5, dampening: 0.2))),
        ("adam", OptimizerChoice(AdamSettings(weightDecay: 0.01))),
        ("adam amsgrad", OptimizerChoice(AdamSettings(amsgrad: true))),
        ("adamw", OptimizerChoice(AdamSettings(decoupled: true))),
    ]

    private func trainer(seed: UInt64, optimizer: OptimizerChoice? = nil) -> Trainer<Float> {
        var settings = settings
        if let optimizer {
            settings.optimizer = optimizer
            // Adam's steps are about the rate in size whatever the gradient: a smaller one.
            if optimizer.name != "sgd" { settings.learningRate = 0.02 }
        }
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

    func testStoppingAndResumingIsBitIdenticalToAnUninterruptedRunForEveryOptimizer() throws {
        for (name, optimizer) in optimizers {
            try assertResumeIsBitIdentical(optimizer, name)
        }
    }

    private func assertResumeIsBitIdentical(_ optimizer: OptimizerChoice, _ name: String) throws {
        let whole = trainer(seed: 5, optimizer: optimizer)
        var wholeLog: [LogPoint] = []
        let wholeResult = try whole.run(train: data) { wholeLog.append($0) }

        // Stop halfway (8 epochs of 4 steps: after step 16), then continue in a fresh trainer whose
        // own initial weights and stream differ, so everything must come from the checkpoint.
        let first = trainer(seed: 5, optimizer: optimizer)
        var saved: Checkpoint<Float>?
        var steps = 0
        var log: [LogPoint] = []
        let stopped = try first.run(train: data, save: { saved = $0 }, shouldStop: { steps += 1; return steps == 16 }) {
            log.append($0)
        }
        XCTAssertEqual(stopped.outcome, .interrupted(step: 16), name)
        let checkpoint = try XCTUnwrap(saved)
        XCTAssertEqual(checkpoint.progress.step, 16, name)
        XCTAssertEqual(checkpoint.progress.epoch, 4, name)
        XCTAssertEqual(checkpoint.optimizerState.keys.sorted(), optimizer.stateNames.sorted(),
                       "\(name): the optimizer's state is part of the checkpoint")
        for (_, tensors) in checkpoint.optimizerState { XCTAssertEqual(tensors.count, 4, name) }

        let second = trainer(seed: 99, optimizer: optimizer)
        var lastSaved: Checkpoint<Float>?, wholeSaved: Checkpoint<Float>?
        let resumed = try second.run(train: data, resumingFrom: checkpoint, save: { lastSaved = $0 }) { log.append($0) }
        _ = try trainer(seed: 5, optimizer: optimizer).run(train: data, save: { wholeSaved = $0 }) { _ in }
        XCTAssertEqual(resumed.outcome, .finished, name)
        XCTAssertEqual(weights(second), weights(whole), name)
        XCTAssertEqual(lastSaved?.progress, wholeSaved?.progress, "\(name): the same rate, order and stream")
        XCTAssertEqual(lastSaved?.optimizerState.mapValues { $0.map { $0.map(\.bitPattern) } },
                       wholeSaved?.optimizerState.mapValues { $0.map { $0.map(\.bitPattern) } }, name)
        XCTAssertEqual(log, wholeLog, "\(name): the same points with the same losses")
        XCTAssertEqual(resumed.final, wholeResult.final, name)
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
