import AllocationCounter
@testable import NetrunCore
import XCTest

/// A training step allocates nothing once its buffers exist: the heap allocations of the whole
/// process (counted by the test build's malloc, Tests/AllocationCounter) between a step past the
/// warm-up and a later one, with no log point or checkpoint between them.
final class AllocationTests: XCTestCase {
    /// Allocations made in each window of steps between consecutive `marks` of a run of
    /// `settings`, which must have no log point or checkpoint there (the last step logs: keep the
    /// marks below it). The count is the whole process's, so another thread (a test before this
    /// one winding down) can add to a window: a step that allocates adds to every window.
    private func allocations<S: NetScalar>(_ network: Network<S>, _ data: Dataset<S>, _ settings: TrainingSettings,
                                           marks: [Int]) throws -> [Int] {
        var counts = Array(repeating: -1, count: marks.count)
        _ = try Trainer(network: network, settings: settings, generator: SplitMix64(seed: 1))
            .run(train: data, stepped: { step, _ in
                // An array update in place allocates nothing.
                if let index = marks.firstIndex(of: step) { counts[index] = netrun_test_allocations() }
            }, report: { _ in })
        return (1..<marks.count).map { counts[$0] - counts[$0 - 1] }
    }

    private func data<S: NetScalar>(_: S.Type, rows: Int, inputs: Int, classes: Int?) -> Dataset<S> {
        var generator = SplitMix64(seed: 9)
        let x = randomMatrix(rows, inputs, generator: &generator)
        guard let classes else {
            return Dataset(inputs: x.converted(), targets: randomMatrix(rows, 2, generator: &generator).converted(), kind: .real)
        }
        return Dataset(inputs: x.converted(), targets: oneHot(rows, classes: classes, generator: &generator).converted(),
                       kind: .classes(count: classes))
    }

    private func skipUnlessCounted() throws {
        try XCTSkipIf(netrun_test_allocations() < 0, "allocations are counted with glibc only")
    }

    func testShardedFloatStepsWithDropoutMomentumAndRunningMetricsAllocateNothing() throws {
        try skipUnlessCounted()
        // 160 → 100 → dropout → 10: batches of 128 are cut in two shards, computed by the pool.
        var generator = SplitMix64(seed: 3)
        let hidden = Dense<Float>(inputSize: 160, outputSize: 100), output = Dense<Float>(inputSize: 100, outputSize: 10)
        Initialization.he(gain: 1).fill(hidden.weight.value, using: &generator)
        let network = Network<Float>(inputSize: 160, layers: [hidden, ActivationLayer(.relu, size: 100),
                                                              Dropout(p: 0.3, size: 100, seed: 7), output],
                                     loss: SoftmaxCrossEntropy())
        XCTAssertEqual(ShardedNetwork.count(batchSize: 128, network: network), 2)
        var settings = TrainingSettings(learningRate: 0.05, momentum: 0.9, iterations: 20, batchSize: 128, logEvery: 1000)
        settings.trainMetrics = .running
        settings.metrics = [.topK(3), .macroF1]
        // 512 rows: 4 steps an epoch, so each window of 4 steps holds an epoch's start and its shuffle.
        let made = try allocations(network, data(Float.self, rows: 512, inputs: 160, classes: 10), settings,
                                   marks: [4, 8, 12, 16])
        XCTAssertEqual(made.min(), 0, "allocations in three windows of 4 training steps: \(made)")
    }

    func testFloat64AdamStepsDrawnWithReplacementAllocateNothing() throws {
        try skipUnlessCounted()
        let network = Network<Double>(inputSize: 6, layers: [Dense(inputSize: 6, outputSize: 8), ActivationLayer(.tanh, size: 8),
                                                             Dense(inputSize: 8, outputSize: 2)],
                                      loss: MeanSquaredError())
        var settings = TrainingSettings(learningRate: 0.01, reg: 0.001, iterations: 40, batchSize: 16, logEvery: 1000)
        settings.optimizer = OptimizerChoice(AdamSettings())
        settings.sampling = .withReplacement
        let made = try allocations(network, data(Double.self, rows: 50, inputs: 6, classes: nil), settings,
                                   marks: [10, 20, 30])
        XCTAssertEqual(made.min(), 0, "allocations in two windows of 10 training steps: \(made)")
    }
}
