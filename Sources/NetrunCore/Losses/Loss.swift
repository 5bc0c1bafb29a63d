/// The losses a config can name.
public enum LossFunction: String, Sendable, CaseIterable {
    case mse
    case crossEntropy = "cross_entropy"
    case softmaxCrossEntropy = "softmax_cross_entropy"
    case huber

    /// Whether the loss compares values (mse, huber) rather than class distributions.
    public var isRegression: Bool { self == .mse || self == .huber }
}

/// A loss over a batch: by default a mean over samples (rows) of a sum over outputs (columns).
///
/// `forward` keeps what `backward` needs; `backward` returns dL/d(prediction) in the loss's own
/// buffer, already divided by the normalizer.
public protocol Loss<Scalar>: AnyObject {
    associatedtype Scalar: NetScalar
    var function: LossFunction { get }
    var options: LossOptions { get }
    /// prediction, target: (N, K) → the batch's loss (a sum divided by `normalizer`), accumulated in Float64
    func forward(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double
    /// What the last `forward` divided its sum by, so batches cut into shards combine into the
    /// whole batch's loss: L = Σᵢ Lᵢ · Dᵢ / Σᵢ Dᵢ. nil when the loss is a plain sum (L = Σᵢ Lᵢ).
    var normalizer: Double? { get }
    /// → dL/d(prediction): (N, K)
    func backward() -> Matrix<Scalar>
    /// What users read as the model's prediction: the output itself, or probabilities for a loss
    /// that takes logits.
    func prediction(from output: Matrix<Scalar>) -> Matrix<Scalar>
}

extension Loss {
    public func prediction(from output: Matrix<Scalar>) -> Matrix<Scalar> { output }

    /// Whether the loss is a plain sum over samples (`normalization: none`, `reduction: sum`).
    public var sumsOverBatch: Bool {
        switch function {
        case .mse, .huber: options.sumsOverBatch
        case .crossEntropy, .softmaxCrossEntropy: options.normalization == .none
        }
    }
}

/// Stops unless `prediction` and `target` have the same shape, so a loss never reads past its targets.
///
/// A trap, not an error: the data loader refuses a model whose output width does not fit its
/// targets with a located error before training, so a mismatch here is netrun's bug, not bad input.
/// Once per batch, two comparisons.
@inline(__always)
func checkShapes<Scalar>(_ prediction: Matrix<Scalar>, _ target: Matrix<Scalar>, _ loss: LossFunction) {
    precondition(prediction.rows == target.rows && prediction.cols == target.cols,
                 "\(loss.rawValue): prediction \(prediction.rows)×\(prediction.cols) but target \(target.rows)×\(target.cols)")
}

/// A new loss object for `function`: the one place a loss name becomes a type.
public func makeLoss<Scalar: NetScalar>(_ function: LossFunction, options: LossOptions = LossOptions(),
                                        as: Scalar.Type = Scalar.self) -> any Loss<Scalar> {
    switch function {
    case .mse: MeanSquaredError<Scalar>(options: options)
    case .huber: Huber<Scalar>(options: options)
    case .crossEntropy: CrossEntropy<Scalar>(options: options)
    case .softmaxCrossEntropy: SoftmaxCrossEntropy<Scalar>(options: options)
    }
}
