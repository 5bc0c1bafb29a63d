/// Cross-entropy on probabilities (soft targets allowed): L = −(1/D) Σₙ Σₖ uₙₖ log pₙₖ,
/// so dL/dp = −u / (p · D).
///
/// u is the target after `ignore_label`, `class_weights` and `label_smoothing`, and D the
/// normalizer (see `WeightedTargets`), exactly as in `softmax_cross_entropy`, so softmax followed
/// by this loss has the fused loss's value and gradient.
///
/// For a softmax output prefer `softmax_cross_entropy` on logits: same gradient, but without the
/// division by a probability that may have underflowed.
public final class CrossEntropy<Scalar: NetScalar>: Loss {
    public let function = LossFunction.crossEntropy
    public let options: LossOptions
    public private(set) var normalizer: Double?
    private var weighted: Matrix<Scalar>?
    private var gradient: Matrix<Scalar>?

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(options: LossOptions = LossOptions()) {
        self.options = options
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        checkShapes(prediction, target, function)
        let g = Matrix.reuse(&gradient, rows: prediction.rows, cols: prediction.cols)
        let (u, d) = WeightedTargets<Scalar>(options: options).apply(target, buffer: &weighted)
        normalizer = options.normalization == .none ? nil : d
        var total = 0.0
        for i in 0..<prediction.count {
            let t = u.storage[i]
            // 0 · log 0 = 0; and a p that underflowed to 0 is clamped so log and 1/p stay finite.
            guard t != 0 else { g.storage[i] = 0; continue }
            let p = max(prediction.storage[i], Scalar.leastNormalMagnitude)
            total -= Double(t) * Double(Scalar.log(p))
            g.storage[i] = d > 0 ? -t / (p * Scalar(d)) : 0
        }
        return d > 0 ? total / d : 0
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() -> Matrix<Scalar> {
        guard let gradient else { preconditionFailure("backward before forward") }
        return gradient
    }
}
