/// An activation function's forward and backward pair, element-wise or row-wise over a batch.
///
/// Each function is one file in Layers/ (its type, its kernels, its `Activation` constant); the
/// config's registry (NetrunConfig/LayerRegistry.swift) gives it its name in one line.
public protocol ActivationFunction: Sendable {
    /// The name a config uses.
    var name: String { get }
    /// The name with its options, as messages show it: `leaky_relu(slope: 0.1)`.
    var description: String { get }
    /// Whether the derivative jumps at 0 (the ReLU family): gradient checks skip entries whose
    /// nudge crosses it, and dense layers before it default to He initialisation.
    var hasKinkAtZero: Bool { get }
    /// out = f(inp), same shape
    func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>)
    /// dinp = dout ⊙ f′, from the input or the output as the function prefers
    func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                     _ out: Matrix<Scalar>)
}

extension ActivationFunction {
    public var description: String { name }
    public var hasKinkAtZero: Bool { false }
}

/// The activation functions a config can name, as a layer of their own or on a dense layer;
/// `.tanh`, `.relu`, `.leakyReLU(slope:)`, … are declared beside each function.
public struct Activation: Sendable, Equatable, CustomStringConvertible {
    public let function: any ActivationFunction

    public init(_ function: any ActivationFunction) {
        self.function = function
    }

    /// The name a config uses.
    public var name: String { function.name }

    public var description: String { function.description }

    /// Same function with the same options.
    public static func == (a: Activation, b: Activation) -> Bool { a.description == b.description }
}
