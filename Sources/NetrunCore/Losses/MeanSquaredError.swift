/// Squared error: L = (1/N) Σₙ ½‖yₙ − tₙ‖², so dL/dy = (y − t) / N; with `reduction: sum`, no 1/N.
///
/// The ½ makes the gradient the plain residual, as in most backprop derivations; note that
/// PyTorch's `MSELoss` instead averages over every element (no ½, divided by N·K).
public final class MeanSquaredError<Scalar: NetScalar>: Loss {
    public let function = LossFunction.mse
    public let options: LossOptions
    public private(set) var normalizer: Double?
    private var residual: Matrix<Scalar>?

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(options: LossOptions = LossOptions()) {
        self.options = options
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        checkShapes(prediction, target, function)
        let buffer = Matrix.reuse(&residual, rows: prediction.rows, cols: prediction.cols)
        let n = options.sumsOverBatch ? 1 : prediction.rows
        normalizer = options.sumsOverBatch ? nil : Double(n)
        var total = 0.0
        for i in 0..<prediction.count {
            let r = prediction.storage[i] - target.storage[i]
            buffer.storage[i] = r / Scalar(max(n, 1))
            total += Double(r) * Double(r)
        }
        return 0.5 * total / Double(max(n, 1))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward() -> Matrix<Scalar> {
        guard let residual else { preconditionFailure("backward before forward") }
        return residual
    }
}
