/// What a loss divides its batch sum by (Caffe's `LossParameter.NormalizationMode`).
public enum LossNormalization: String, Sendable, CaseIterable {
    /// Σ of the weights of the samples that count: the number of non-ignored samples, or, with
    /// class weights, the sum of their class weights (PyTorch's weighted mean). The default.
    case valid
    /// The number of rows in the batch, ignored ones included.
    case batchSize = "batch_size"
    /// Every entry of the target matrix: rows × classes.
    case full
    /// The plain sum.
    case none
}

/// Options of a loss, as written under its name: `loss: {softmax_cross_entropy: {ignore_label: 0}}`.
///
/// Every default leaves the loss as it was without options: mean over samples, no class weights,
/// no smoothing, nothing ignored.
public struct LossOptions: Sendable, Equatable {
    /// Cross-entropy: rows whose target puts all its mass on this class add no loss and no gradient.
    public var ignoreLabel: Int?
    /// Cross-entropy: what the batch sum is divided by.
    public var normalization: LossNormalization
    /// Cross-entropy: one weight per class, multiplying that class's term (PyTorch's `weight`).
    public var classWeights: [Double]?
    /// Cross-entropy: ε in t̃ = (1 − ε)·t + ε/K (PyTorch's `label_smoothing`), in [0, 1).
    public var labelSmoothing: Double
    /// mse, huber: whether the sum over samples is divided by the batch size (`mean`) or not (`sum`).
    public var sumsOverBatch: Bool
    /// huber: δ, where the loss turns from quadratic to linear.
    public var huberDelta: Double

    public init(ignoreLabel: Int? = nil, normalization: LossNormalization = .valid, classWeights: [Double]? = nil,
                labelSmoothing: Double = 0, sumsOverBatch: Bool = false, huberDelta: Double = 1) {
        self.ignoreLabel = ignoreLabel
        self.normalization = normalization
        self.classWeights = classWeights
        self.labelSmoothing = labelSmoothing
        self.sumsOverBatch = sumsOverBatch
        self.huberDelta = huberDelta
    }
}

/// The class-weighted, smoothed targets of cross-entropy and what their sum is divided by:
/// the one place `ignore_label`, `class_weights`, `label_smoothing` and `normalization` are read.
///
/// Row n's effective target is u_nk = w_k · t̃_nk with t̃ = (1 − ε)·t + ε·(Σₖ t_nk)/K, and zero for
/// an ignored row; the loss is Σₙ Σₖ u_nk (−log p_nk) / D. For `valid`, D counts the non-ignored
/// rows, each as 1, or with class weights as Σₖ w_k t_nk (a one-hot row's class weight): PyTorch's
/// weighted mean.
struct WeightedTargets<Scalar: NetScalar> {
    let options: LossOptions

    /// u and D for `target` (N, K): the target itself when no option changes it (the common case:
    /// no copy, no pass over it), else u written into `buffer`. D is 0 when nothing counts.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply(_ target: Matrix<Scalar>, buffer: inout Matrix<Scalar>?) -> (Matrix<Scalar>, Double) {
        guard options.ignoreLabel != nil || options.classWeights != nil || options.labelSmoothing != 0 else {
            return (target, normalizer(rows: target.rows, cols: target.cols, valid: Double(target.rows)))
        }
        let u = Matrix.reuse(&buffer, rows: target.rows, cols: target.cols)
        return (u, fill(u, target))
    }

    /// Writes u for `target` (N, K) into `weighted` and returns D (0 when nothing counts).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func fill(_ weighted: Matrix<Scalar>, _ target: Matrix<Scalar>) -> Double {
        let n = target.rows, k = target.cols
        let epsilon = options.labelSmoothing
        var validWeight = 0.0
        for r in 0..<n {
            let t = target.storage + r * k, u = weighted.storage + r * k
            if let ignored = options.ignoreLabel, ignored < k, t[ignored] == 1 {
                for j in 0..<k { u[j] = 0 }
                continue
            }
            var mass = 0.0, weight = 0.0
            for j in 0..<k {
                mass += Double(t[j])
                weight += (options.classWeights?[j] ?? 0) * Double(t[j])
            }
            // A row counts 1 (soft rows too, as in PyTorch), or its class weight Σₖ wₖ tₙₖ.
            validWeight += options.classWeights == nil ? 1 : weight
            for j in 0..<k {
                let w = options.classWeights?[j] ?? 1
                u[j] = Scalar(w * ((1 - epsilon) * Double(t[j]) + epsilon * mass / Double(k)))
            }
        }
        return normalizer(rows: n, cols: k, valid: validWeight)
    }

    private func normalizer(rows n: Int, cols k: Int, valid: Double) -> Double {
        switch options.normalization {
        case .valid: valid
        case .batchSize: Double(n)
        case .full: Double(n * k)
        case .none: 1
        }
    }
}
