@testable import NetrunCore
import XCTest

/// Inverted dropout: identity at evaluation, a hashed mask in training that depends on the step
/// and the row's place in the batch but never on how the batch is sharded.
final class DropoutTests: XCTestCase {
    private func input(_ rows: Int, _ cols: Int) -> Matrix<Double> {
        var generator = SplitMix64(seed: 5)
        return awayFromZero(rows, cols, generator: &generator)
    }

    func testDropoutIsTheIdentityAtEvaluation() {
        let layer = Dropout<Double>(p: 0.5, size: 6, seed: 1), x = input(4, 6)
        XCTAssertEqual(layer.forward(x).values, x.values)
        let g = input(4, 6)
        XCTAssertEqual(layer.backward(g).values, g.values)
    }

    func testZeroPIsTheIdentityInTraining() {
        let layer = Dropout<Double>(p: 0, size: 6, seed: 1), x = input(4, 6)
        layer.setMode(.training(step: 3, firstRow: 0))
        XCTAssertEqual(layer.forward(x).values, x.values)
    }

    func testTrainingKeepsAboutOneMinusPOfTheValuesScaledByItsInverse() {
        let layer = Dropout<Double>(p: 0.3, size: 100, seed: 7), x = input(200, 100)
        layer.setMode(.training(step: 1, firstRow: 0))
        let y = layer.forward(x).values
        var kept = 0
        for i in 0..<y.count where y[i] != 0 {
            kept += 1
            XCTAssertEqual(y[i], x.storage[i] / 0.7, accuracy: 1e-12)
        }
        XCTAssertEqual(Double(kept) / Double(y.count), 0.7, accuracy: 0.01)
    }

    func testTheMaskDependsOnStepAndRowNotOnWhereTheBatchIsCut() {
        let whole = Dropout<Double>(p: 0.5, size: 8, seed: 3), x = input(10, 8)
        whole.setMode(.training(step: 4, firstRow: 0))
        let all = whole.forward(x).values
        // A second shard computing rows 6..<10 of the same batch.
        let shard = whole.replica() as! Dropout<Double>
        shard.setMode(.training(step: 4, firstRow: 6))
        let tail = shard.forward(Matrix(rows: 4, cols: 8, values: Array(x.values[48...]))).values
        XCTAssertEqual(Array(all[48...]), tail)
        whole.setMode(.training(step: 5, firstRow: 0))
        XCTAssertNotEqual(whole.forward(x).values, all, "another step draws another mask")
        let other = Dropout<Double>(p: 0.5, size: 8, seed: 4)
        other.setMode(.training(step: 4, firstRow: 0))
        XCTAssertNotEqual(other.forward(x).values, all, "another seed draws another mask")
    }

    func testBackwardAppliesTheForwardMask() {
        let layer = Dropout<Double>(p: 0.4, size: 6, seed: 2), x = input(5, 6)
        layer.setMode(.training(step: 2, firstRow: 0))
        XCTAssertLessThan(checkInputGradient(layer, input: x, upstream: input(5, 6)), 1e-8)
    }

    /// 6 → dense 5 → tanh → dropout → dense 3: the check runs in training mode at a fixed step, so
    /// every evaluation of the objective sees the same mask.
    func testGradientCheckPassesThroughDropoutWithAFixedMask() {
        var generator = SplitMix64(seed: 11)
        let first = Dense<Double>(inputSize: 6, outputSize: 5), second = Dense<Double>(inputSize: 5, outputSize: 3)
        Initialization.xavier(gain: 1).fill(first.weight.value, using: &generator)
        Initialization.xavier(gain: 1).fill(second.weight.value, using: &generator)
        let dropout = Dropout<Double>(p: 0.5, size: 5, seed: 9)
        let network = Network(inputSize: 6, layers: [first, ActivationLayer(.tanh, size: 5), dropout, second],
                               loss: SoftmaxCrossEntropy())
        let x = input(8, 6), t = oneHot(8, classes: 3, generator: &generator)
        let results = GradientCheck().run(network, input: x, target: t, reg: 0.01, generator: &generator)
        XCTAssertTrue(results.allSatisfy(\.passed), "\(results)")
        XCTAssertTrue(dropout.mask.values.contains(0), "the check ran with a mask")
        XCTAssertEqual(network.forward(x).values, network.replica().forward(x).values, "back in evaluation mode")
    }

    /// 200 → dense 100 → relu → dropout → dense 10 on 129 rows: one shard or two, same gradient.
    func testShardedGradientWithDropoutIsTheSameAtOneAndTwoShards() {
        func network() -> Network<Double> {
            var generator = SplitMix64(seed: 2)
            let hidden = Dense<Double>(inputSize: 200, outputSize: 100), output = Dense<Double>(inputSize: 100, outputSize: 10)
            Initialization.he(gain: 1).fill(hidden.weight.value, using: &generator)
            Initialization.xavier(gain: 1).fill(output.weight.value, using: &generator)
            return Network(inputSize: 200, layers: [hidden, ActivationLayer(.relu, size: 100),
                                                    Dropout(p: 0.5, size: 100, seed: 8), output],
                           loss: SoftmaxCrossEntropy())
        }
        var generator = SplitMix64(seed: 99)
        let data = Dataset(inputs: randomMatrix(129, 200, generator: &generator),
                           targets: oneHot(129, classes: 10, generator: &generator), kind: .classes(count: 10))
        let one = network(), two = network(), none = network()
        let rows = Array((0..<129).reversed())[...]
        for _ in 0..<2 {
            let a = ShardedNetwork(network: one, shards: 1).computeGradients(data, rows: rows, reg: 0.01)
            let b = ShardedNetwork(network: two, shards: 2).computeGradients(data, rows: rows, reg: 0.01)
            XCTAssertEqual(a.objective, b.objective, accuracy: 1e-12)
        }
        XCTAssertEqual(one.stepsTaken, 2)
        for ((_, a), (_, b)) in zip(one.parameters, two.parameters) {
            for i in 0..<a.gradient.count { XCTAssertEqual(a.gradient.storage[i], b.gradient.storage[i], accuracy: 1e-12) }
        }
        // Without the training mode dropout would do nothing: the plain gradient differs.
        none.computeGradients(data.inputs, data.targets, reg: 0.01)
        XCTAssertNotEqual(none.parameters[0].parameter.gradient.values, one.parameters[0].parameter.gradient.values)
    }
}
