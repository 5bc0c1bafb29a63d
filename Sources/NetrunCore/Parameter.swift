/// A trainable tensor: its value and the gradient of the objective with respect to it, same shape.
///
/// The optimizer, the checkpoint and the store loop over a flat list of these and never
/// special-case a layer.
public final class Parameter<Scalar: NetScalar> {
    /// `weight` or `bias`, as PyTorch names them.
    public let name: String
    public let value: Matrix<Scalar>
    public let gradient: Matrix<Scalar>
    /// Whether L2 regularisation applies; biases are not regularised (cs231n, and PyTorch users
    /// usually exclude them too) because penalising an offset does not reduce overfitting.
    public let isRegularized: Bool

    /// The shape users see (PyTorch's): a bias is `[out]` though it is stored as a 1 × out row.
    public let shape: [Int]

    /// Kept fixed while training (`model.freeze`, PyTorch's `requires_grad = False`): the trainer
    /// hands only the other parameters to the optimizer.
    public var isFrozen = false

    public init(name: String, rows: Int, cols: Int, isRegularized: Bool, shape: [Int]? = nil) {
        precondition(shape.map { $0.reduce(1, *) == rows * cols } ?? true, "shape must hold rows × cols values")
        self.name = name
        self.shape = shape ?? [rows, cols]
        self.value = Matrix(rows: rows, cols: cols)
        self.gradient = Matrix(rows: rows, cols: cols)
        self.isRegularized = isRegularized
    }

    /// A parameter computing with `other`'s value (the same matrix, not a copy) into its own
    /// gradient: what a row shard of a batch accumulates into before the shards are summed.
    public init(sharingValueOf other: Parameter) {
        name = other.name
        shape = other.shape
        value = other.value
        gradient = Matrix(rows: other.gradient.rows, cols: other.gradient.cols)
        isRegularized = other.isRegularized
        isFrozen = other.isFrozen
    }
}
