/// A fully connected layer: y = x · Wᵀ + b, with W stored (out, in) as PyTorch's `nn.Linear` does,
/// so exported weights load there unchanged.
public final class Dense<Scalar: NetScalar>: Layer {
    public let kind = "dense"
    public let inputSize: Int
    public let outputSize: Int
    /// (outputSize, inputSize)
    public let weight: Parameter<Scalar>
    /// (1, outputSize)
    public let bias: Parameter<Scalar>
    /// Whether backward computes dL/dx; the first layer's input gradient is never used.
    public var computesInputGradient = true

    private var input: Matrix<Scalar>?
    private let output: Matrix<Scalar>
    private let inputGradient: Matrix<Scalar>

    /// `regularizesBias` is cs231n's bias trick, where the bias is one more row of the weights and
    /// is regularised with them; otherwise biases are not.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(inputSize: Int, outputSize: Int, regularizesBias: Bool = false) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Parameter(name: "weight", rows: outputSize, cols: inputSize, isRegularized: true)
        bias = Parameter(name: "bias", rows: 1, cols: outputSize, isRegularized: regularizesBias, shape: [outputSize])
        output = Matrix(rows: 0, cols: outputSize)
        inputGradient = Matrix(rows: 0, cols: inputSize)
    }

    private init(sharing other: Dense) {
        inputSize = other.inputSize
        outputSize = other.outputSize
        weight = Parameter(sharingValueOf: other.weight)
        bias = Parameter(sharingValueOf: other.bias)
        computesInputGradient = other.computesInputGradient
        output = Matrix(rows: 0, cols: outputSize)
        inputGradient = Matrix(rows: 0, cols: inputSize)
    }

    public func replica() -> any Layer<Scalar> { Dense(sharing: self) }

    public var parameters: [Parameter<Scalar>] { [weight, bias] }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        self.input = input
        output.resize(rows: input.rows)
        matmulForward(output, input, weight.value, bias.value)
        return output
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>) -> Matrix<Scalar> {
        guard let input else { preconditionFailure("Dense.backward before forward") }
        inputGradient.resize(rows: input.rows)
        matmulBackward(computesInputGradient ? inputGradient : nil, weight.gradient, bias.gradient,
                       outputGradient, input, weight.value)
        return inputGradient
    }
}
