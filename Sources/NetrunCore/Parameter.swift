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

    public init(name: String, rows: Int, cols: Int, isRegularized: Bool) {
        self.name = name
        self.value = Matrix(rows: rows, cols: cols)
        self.gradient = Matrix(rows: rows, cols: cols)
        self.isRegularized = isRegularized
    }

    public var shape: [Int] { [value.rows, value.cols] }
}
