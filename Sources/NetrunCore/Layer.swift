/// One stage of a feed-forward network, working on batches (rows are samples).
///
/// `forward` keeps what `backward` needs. `backward` takes dL/d(output) and returns dL/d(input),
/// and *adds* into its parameters' gradients, which the network zeroes once per step.
/// The returned matrices are the layer's own buffers, valid until its next call.
public protocol Layer<Scalar>: AnyObject {
    associatedtype Scalar: NetScalar
    /// The layer's kind as written in configs: `dense`, `relu`, `softmax`, …
    var kind: String { get }
    var inputSize: Int { get }
    var outputSize: Int { get }
    var parameters: [Parameter<Scalar>] { get }
    /// input: (N, inputSize) → output: (N, outputSize)
    func forward(_ input: Matrix<Scalar>) -> Matrix<Scalar>
    /// outputGradient: (N, outputSize) → inputGradient: (N, inputSize)
    func backward(_ outputGradient: Matrix<Scalar>) -> Matrix<Scalar>
    /// The same layer over the same parameter values (shared, not copied) with its own buffers
    /// and gradients, so another thread can run a shard of the batch through it.
    func replica() -> any Layer<Scalar>
}

extension Layer {
    public var parameters: [Parameter<Scalar>] { [] }
}
