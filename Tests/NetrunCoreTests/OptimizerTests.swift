import NetrunCore
import XCTest

/// The optimizers' steps where PyTorch's definition has a trap: the first momentum step, and
/// SGD giving the bits it gave before it learned Nesterov, dampening and weight decay.
final class OptimizerTests: XCTestCase {
    private func parameter(_ values: [Float], gradient: [Float]) -> Parameter<Float> {
        let p = Parameter<Float>(name: "weight", rows: 1, cols: values.count, isRegularized: true)
        p.value.copy(from: Matrix(rows: 1, cols: values.count, values: values))
        p.gradient.copy(from: Matrix(rows: 1, cols: values.count, values: gradient))
        return p
    }

    func testTheFirstMomentumStepCopiesTheGradientWithoutDampening() {
        let w = parameter([1], gradient: [2])
        let sgd = SGD<Float>(SGDSettings(momentum: 0.9, dampening: 0.5))
        sgd.step([w], learningRate: 0.1)
        XCTAssertEqual(sgd.velocities[0].values, [2], "buf = g, as torch.optim.SGD's first step")
        XCTAssertEqual(w.value.values, [0.8])
        sgd.step([w], learningRate: 0.1)
        XCTAssertEqual(sgd.velocities[0].values, [0.9 * 2 + 0.5 * 2], "then buf = μ·buf + (1 − dampening)·g")
    }

    func testNesterovStepsAlongTheGradientPlusMomentum() {
        let w = parameter([1], gradient: [2])
        let sgd = SGD<Float>(SGDSettings(momentum: 0.5, nesterov: true))
        sgd.step([w], learningRate: 0.1)  // v = 2, step along g + μ·v = 3
        XCTAssertEqual(w.value.values, [Float(1) - Float(0.1) * 3])
    }

    func testSGDWithMomentumGivesTheBitsOfTheFormerImplementation() {
        // The former step, v ← μ·v + g from zero buffers, w ← w − lr·v, at a decaying rate.
        var generator = SplitMix64(seed: 4)
        func random() -> Float { Float(generator.next() % 2001) / 1000 - 1 }
        let values = (0..<50).map { _ in random() }
        let current = parameter(values, gradient: values), former = values
        var velocity = [Float](repeating: 0, count: values.count), reference = former
        let sgd = SGD<Float>(momentum: 0.9)
        var rate = 0.3
        for _ in 0..<20 {
            let gradient = (0..<values.count).map { _ in random() }
            current.gradient.copy(from: Matrix(rows: 1, cols: gradient.count, values: gradient))
            sgd.step([current], learningRate: rate)
            for i in 0..<values.count {
                velocity[i] = Float(0.9) * velocity[i] + gradient[i]
                reference[i] -= Float(rate) * velocity[i]
            }
            rate *= 0.97
        }
        XCTAssertEqual(current.value.values.map(\.bitPattern), reference.map(\.bitPattern))
    }

    func testAdamsStateIsNamedAsPyTorchsAndItsStepCountIsTheUpdatesApplied() {
        let w = parameter([1, -1], gradient: [0.5, 0.25])
        let adam = Adam<Float>(AdamSettings(amsgrad: true))
        XCTAssertTrue(adam.state.isEmpty, "no state before the first step")
        adam.step([w], learningRate: 0.01)
        adam.step([w], learningRate: 0.01)
        XCTAssertEqual(adam.steps, 2)
        XCTAssertEqual(adam.state.keys.sorted(), ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        // Each first step moves every weight by the rate against its gradient's sign: m̂ / √v̂ = ±1.
        let fresh = parameter([1, -1], gradient: [0.5, -0.25])
        Adam<Float>(AdamSettings()).step([fresh], learningRate: 0.01)
        XCTAssertEqual(fresh.value.values[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(fresh.value.values[1], -0.99, accuracy: 1e-6)
    }
}
