/// Huber loss with threshold δ: L = (1/N) Σₙ Σₖ h(yₙₖ − tₙₖ), h(r) = ½r² for |r| ≤ δ, else
/// δ(|r| − ½δ); dL/dy = clamp(r, −δ, δ) / N. With `reduction: sum`, no 1/N.
///
/// Like `mse` (which it equals for δ → ∞), a mean over samples of a sum over outputs; PyTorch's
/// `HuberLoss` with `reduction='mean'` divides by N·K instead, so ours is its `'sum'` / N.
public final class Huber<Scalar: NetScalar>: Loss {
    public let function = LossFunction.huber
    public let options: LossOptions
    public private(set) var normalizer: Double?
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
        let n = max(options.sumsOverBatch ? 1 : prediction.rows, 1)
        normalizer = options.sumsOverBatch ? nil : Double(prediction.rows)
        let delta = options.huberDelta, d = Scalar(delta)
        var total = 0.0
        for i in 0..<prediction.count {
            let r = prediction.storage[i] - target.storage[i], a = abs(Double(r))
            total += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta)
            // dh/dr = clamp(r, −δ, δ)
            g.storage[i] = min(max(r, -d), d) / Scalar(n)
        }
        return total / Double(n)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() -> Matrix<Scalar> {
        guard let gradient else { preconditionFailure("backward before forward") }
        return gradient
    }
}
