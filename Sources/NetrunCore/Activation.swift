/// The activation functions a config can name, as a layer of their own or on a dense layer.
public enum Activation: Sendable, Equatable, CustomStringConvertible {
    case sigmoid
    case tanh
    case relu
    case leakyReLU(slope: Double)
    case softmax
    case identity

    /// The name a config uses.
    public var name: String {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .softmax: "softmax"
        case .identity: "identity"
        }
    }

    public var description: String {
        if case .leakyReLU(let slope) = self { return "leaky_relu(slope: \(slope))" }
        return name
    }
}
