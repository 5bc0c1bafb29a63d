/// How a dense layer's weights are drawn; biases always start at zero.
public enum Initialization: Sendable, Equatable {
    /// U(−scale, scale)
    case uniform(scale: Double)
    /// N(0, scale²)
    case normal(scale: Double)
    /// Glorot/Xavier uniform: U(−a, a), a = gain · √(6 / (fanIn + fanOut)); suits sigmoid and tanh.
    case xavier(gain: Double)
    /// He/Kaiming normal: N(0, gain² · 2 / fanIn); keeps ReLU activations from shrinking layer by layer.
    case he(gain: Double)

    /// Fills `weight` (fanOut, fanIn), drawing row by row from `generator`.
    public func fill<Scalar: NetScalar>(_ weight: Matrix<Scalar>, using generator: inout SplitMix64) {
        let fanOut = Double(weight.rows), fanIn = Double(weight.cols)
        for i in 0..<weight.count {
            let value: Double
            switch self {
            case .uniform(let scale):
                value = (2 * generator.nextUnit() - 1) * scale
            case .normal(let scale):
                value = generator.nextNormal() * scale
            case .xavier(let gain):
                value = (2 * generator.nextUnit() - 1) * gain * (6 / (fanIn + fanOut)).squareRoot()
            case .he(let gain):
                value = generator.nextNormal() * gain * (2 / fanIn).squareRoot()
            }
            weight.storage[i] = Scalar(value)
        }
    }
}
