/// A layer that applies an activation function, element-wise or (softmax) row-wise.
///
/// Each function's forward/backward pair lives in its own file; this type owns the buffers and
/// calls the pair once per batch, never per element.
public final class ActivationLayer<Scalar: NetScalar>: Layer {
    public let activation: Activation
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    public var kind: String { activation.name }

    /// The last batch forward saw; backward needs it for relu-family derivatives.
    public private(set) var input: Matrix<Scalar>?
    private let output: Matrix<Scalar>
    private let inputGradient: Matrix<Scalar>

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(_ activation: Activation, size: Int) {
        self.activation = activation
        self.inputSize = size
        output = Matrix(rows: 0, cols: size)
        inputGradient = Matrix(rows: 0, cols: size)
    }

    public func replica() -> any Layer<Scalar> { ActivationLayer(activation, size: inputSize) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(input.rowIndex == nil, "an activation layer reads its input directly, not a row selection")
        self.input = input
        if activation == .identity { return input }
        output.resize(rows: input.rows)
        activation.function.forward(output, input)
        return output
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>) -> Matrix<Scalar> {
        guard let input else { preconditionFailure("backward before forward") }
        if activation == .identity { return outputGradient }
        inputGradient.resize(rows: input.rows)
        activation.function.backward(inputGradient, outputGradient, input, output)
        return inputGradient
    }
}
