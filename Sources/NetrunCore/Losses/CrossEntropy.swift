/// Cross-entropy on probabilities (soft targets allowed): L = −(1/N) Σₙ Σₖ tₙₖ log pₙₖ,
/// so dL/dp = −t / (p · N).
///
/// For a softmax output prefer `softmax_cross_entropy` on logits: same gradient, but without the
/// division by a probability that may have underflowed.
public final class CrossEntropy<Scalar: NetScalar>: Loss {
    public let function = LossFunction.crossEntropy
    private var gradient: Matrix<Scalar>?

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init() {}

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        checkShapes(prediction, target, function)
        let g = Matrix.reuse(&gradient, rows: prediction.rows, cols: prediction.cols)
        let n = Scalar(prediction.rows)
        var total = 0.0
        for i in 0..<prediction.count {
            let t = target.storage[i]
            // 0 · log 0 = 0; and a p that underflowed to 0 is clamped so log and 1/p stay finite.
            guard t != 0 else { g.storage[i] = 0; continue }
            let p = max(prediction.storage[i], Scalar.leastNormalMagnitude)
            total -= Double(t) * Double(Scalar.log(p))
            g.storage[i] = -t / (p * n)
        }
        return total / Double(prediction.rows)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() -> Matrix<Scalar> {
        guard let gradient else { preconditionFailure("backward before forward") }
        return gradient
    }
}
