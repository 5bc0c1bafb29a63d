/// Softmax and cross-entropy fused, from logits: L = (1/D) Σₙ Σₖ uₙₖ (logsumexp(zₙ) − zₙₖ),
/// dL/dz = (softmax(z) · Σₖuₖ − u) / D, which is (p − t) / N for targets that sum to 1 and no options.
///
/// u is the target after `ignore_label`, `class_weights` and `label_smoothing`, and D the
/// normalizer (see `WeightedTargets`); a batch where nothing counts (D = 0) has loss 0 and no gradient.
///
/// Preferred over softmax + cross_entropy (as Caffe prefers SoftmaxWithLoss): log-sum-exp with the
/// row max subtracted stays finite for logits of ±1e4, and no probability is ever divided by.
public final class SoftmaxCrossEntropy<Scalar: NetScalar>: Loss {
    public let function = LossFunction.softmaxCrossEntropy
    public let options: LossOptions
    public private(set) var normalizer: Double?
    private var probabilities: Matrix<Scalar>?
    private var weighted: Matrix<Scalar>?
    private var gradient: Matrix<Scalar>?

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(options: LossOptions = LossOptions()) {
        self.options = options
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ logits: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        checkShapes(logits, target, function)
        let p = Matrix.reuse(&probabilities, rows: logits.rows, cols: logits.cols)
        let g = Matrix.reuse(&gradient, rows: logits.rows, cols: logits.cols)
        let n = logits.rows, k = logits.cols
        let (u, d) = WeightedTargets<Scalar>(options: options).apply(target, buffer: &weighted)
        normalizer = options.normalization == .none ? nil : d
        var total = 0.0
        for r in 0..<n {
            let z = logits.storage + r * k, t = u.storage + r * k
            var maximum = -Scalar.infinity
            for j in 0..<k where z[j] > maximum { maximum = z[j] }
            var sum: Scalar = 0
            for j in 0..<k { sum += Scalar.exp(z[j] - maximum) }
            let logSumExp = maximum + Scalar.log(sum)
            var targetMass: Scalar = 0
            for j in 0..<k where t[j] != 0 {
                total += Double(t[j]) * Double(logSumExp - z[j])
                targetMass += t[j]
            }
            let pRow = p.storage + r * k, gRow = g.storage + r * k
            for j in 0..<k {
                pRow[j] = Scalar.exp(z[j] - logSumExp)
                gRow[j] = d > 0 ? (pRow[j] * targetMass - t[j]) / Scalar(d) : 0
            }
        }
        return d > 0 ? total / d : 0
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() -> Matrix<Scalar> {
        guard let gradient else { preconditionFailure("backward before forward") }
        return gradient
    }

    /// The softmax of `output`, the class probabilities users expect to see.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func prediction(from output: Matrix<Scalar>) -> Matrix<Scalar> {
        let p = Matrix.reuse(&probabilities, rows: output.rows, cols: output.cols)
        softmaxForward(p, output)
        return p
    }
}
