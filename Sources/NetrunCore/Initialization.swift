/// How a dense layer's weights are drawn; biases start at zero, except with the bias trick.
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
        fill(weight, fanIn: Double(weight.cols), fanOut: Double(weight.rows), using: &generator)
    }

    /// cs231n's bias trick: fills `weight` (fanOut, fanIn), then `bias` (1, fanOut), as one weight
    /// matrix over fanIn + 1 inputs, the last a constant 1. In cs231n's layout, `W` (D+1, C), the
    /// bias is the last row, drawn last as here; the fan-in is D+1.
    public func fill<Scalar: NetScalar>(_ weight: Matrix<Scalar>, andBias bias: Matrix<Scalar>,
                                        using generator: inout SplitMix64) {
        let fanIn = Double(weight.cols + 1), fanOut = Double(weight.rows)
        fill(weight, fanIn: fanIn, fanOut: fanOut, using: &generator)
        fill(bias, fanIn: fanIn, fanOut: fanOut, using: &generator)
    }

    private func fill<Scalar: NetScalar>(_ matrix: Matrix<Scalar>, fanIn: Double, fanOut: Double,
                                         using generator: inout SplitMix64) {
        for i in 0..<matrix.count {
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
            matrix.storage[i] = Scalar(value)
        }
    }
}
