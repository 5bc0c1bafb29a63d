@testable import NetrunCore
import XCTest

/// Batches split into row shards on separate threads must give the gradient of the whole batch,
/// the same numbers on any number of threads, and training that agrees with the plain Float64 path.
final class ShardedNetworkTests: XCTestCase {
    /// 200 → dense 100 → relu → dense 10: 21 110 weights, so batches of 128 are split in two.
    private func network<S: NetScalar>(_: S.Type, seed: UInt64) -> Network<S> {
        var generator = SplitMix64(seed: seed)
        let hidden = Dense<S>(inputSize: 200, outputSize: 100), output = Dense<S>(inputSize: 100, outputSize: 10)
        Initialization.he(gain: 1).fill(hidden.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
        return Network(inputSize: 200, layers: [hidden, ActivationLayer(.relu, size: 100), output],
                       loss: SoftmaxCrossEntropy())
    }

    /// Inputs from a fixed random teacher, so the loss can fall.
    private func data<S: NetScalar>(_: S.Type, rows: Int) -> Dataset<S> {
        var generator = SplitMix64(seed: 99)
        let x = randomMatrix(rows, 200, generator: &generator)
        let teacher = randomMatrix(10, 200, generator: &generator)
        let t = Matrix<Double>(rows: rows, cols: 10)
        for r in 0..<rows {
            let scores = (0..<10).map { k in (0..<200).reduce(0.0) { $0 + x[r, $1] * teacher[k, $1] } }
            t[r, scores.indices.max { scores[$0] < scores[$1] }!] = 1
        }
        return Dataset(inputs: x.converted(), targets: t.converted(), kind: .classes(count: 10))
    }

    func testLargeBatchesAreShardedAndSmallOnesAreNot() {
        let net = network(Float.self, seed: 1)
        XCTAssertEqual(ShardedNetwork.count(batchSize: 128, network: net), 2)
        XCTAssertEqual(ShardedNetwork.count(batchSize: 8, network: net), 1)
    }

    func testShardedGradientEqualsWholeBatchGradient() {
        let whole = network(Double.self, seed: 2), sharded = network(Double.self, seed: 2)
        let batch = data(Double.self, rows: 129)  // odd: shards of 64 and 65 rows
        let expected = whole.computeGradients(batch.inputs, batch.targets, reg: 0.01)
        let shards = ShardedNetwork(network: sharded, shards: 2)
        let actual = shards.computeGradients(batch, rows: nil, reg: 0.01)
        XCTAssertEqual(actual.objective, expected.objective, accuracy: 1e-12)
        XCTAssertEqual(actual.dataLoss, expected.dataLoss, accuracy: 1e-12)
        for ((_, a), (_, b)) in zip(sharded.parameters, whole.parameters) {
            for i in 0..<a.gradient.count {
                XCTAssertEqual(a.gradient.storage[i], b.gradient.storage[i], accuracy: 1e-12)
            }
        }
    }

    private func train(threads: Int) throws -> (losses: [Double], weights: [[Float]]) {
        let saved = ComputeThreads.limit
        ComputeThreads.limit = threads
        defer { ComputeThreads.limit = saved }
        let net = network(Float.self, seed: 3)
        var losses: [Double] = []
        let settings = TrainingSettings(learningRate: 0.05, momentum: 0.9, epochs: 3, batchSize: 128, logEvery: 1)
        _ = try Trainer(network: net, settings: settings, generator: SplitMix64(seed: 4))
            .run(train: data(Float.self, rows: 320)) { losses.append($0.value("train", "loss")!) }
        return (losses, net.parameters.map { $0.parameter.value.values })
    }

    func testShardedTrainingIsBitIdenticalOnOneOrTwoThreads() throws {
        let one = try train(threads: 1), two = try train(threads: 2)
        XCTAssertEqual(one.losses, two.losses)
        XCTAssertEqual(one.weights, two.weights)
        XCTAssertLessThan(one.losses.last!, one.losses.first!)
    }

    func testFastFloatTrainingStaysWithinToleranceOfFloat64ReferencePath() throws {
        let fast = try train(threads: 2).losses
        let reference = network(Double.self, seed: 3)
        var losses: [Double] = []
        let settings = TrainingSettings(learningRate: 0.05, momentum: 0.9, epochs: 3, batchSize: 128, logEvery: 1)
        _ = try Trainer(network: reference, settings: settings, generator: SplitMix64(seed: 4))
            .run(train: data(Double.self, rows: 320)) { losses.append($0.value("train", "loss")!) }
        XCTAssertEqual(fast.count, losses.count)
        for (a, b) in zip(fast, losses) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
    }

    func testEvaluationIsIdenticalOnOneOrTwoShards() {
        let net = network(Float.self, seed: 6), set = data(Float.self, rows: 301)
        let one = ShardedNetwork(network: net, shards: 1).evaluate(set, chunk: 50, topK: [1, 3])
        let two = ShardedNetwork(network: net, shards: 2).evaluate(set, chunk: 50, topK: [1, 3])
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.counts.confusion?.joined().reduce(0, +), 301)
        XCTAssertEqual(one.value(of: .topK(1)), one.accuracy)
    }

    func testRegressionEvaluationIsIdenticalOnOneOrTwoShards() {
        var generator = SplitMix64(seed: 8)
        let layer = Dense<Double>(inputSize: 200, outputSize: 10)
        Initialization.xavier(gain: 1).fill(layer.weight.value, using: &generator)
        let net = Network(inputSize: 200, layers: [layer], loss: MeanSquaredError())
        let classes = data(Double.self, rows: 301)
        let set = Dataset(inputs: classes.inputs, targets: randomMatrix(301, 10, generator: &generator), kind: .real)
        let one = ShardedNetwork(network: net, shards: 1).evaluate(set, chunk: 50)
        let two = ShardedNetwork(network: net, shards: 2).evaluate(set, chunk: 50)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.counts.outputs?.map(\.count), Array(repeating: 301, count: 10))
        XCTAssertNotNil(one.value(of: .r2))
        XCTAssertNil(one.value(of: .macroF1))
    }
}
