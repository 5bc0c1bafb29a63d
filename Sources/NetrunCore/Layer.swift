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
    /// Tells the layer whether the next forward passes are a training step; only layers that act
    /// differently in training (dropout) listen.
    func setMode(_ mode: ForwardMode)
}

extension Layer {
    public var parameters: [Parameter<Scalar>] { [] }
    public func setMode(_ mode: ForwardMode) {}
}

/// Whether a forward pass belongs to a training step, as PyTorch's `model.train()` / `model.eval()`.
public enum ForwardMode: Sendable, Equatable {
    /// Evaluation and prediction: dropout is the identity. What a network starts in.
    case evaluation
    /// Training step `step` (1-based), on the batch rows from `firstRow` on: a shard of a batch
    /// starts where the shards before it end, so masks depend on rows, never on the shard count.
    case training(step: Int, firstRow: Int)
}
