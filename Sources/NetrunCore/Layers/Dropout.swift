/// Inverted dropout, as PyTorch's `nn.Dropout(p)`: in a training step each value is kept with
/// probability 1 − p and scaled by 1 / (1 − p), so its expectation is unchanged and evaluation
/// needs no rescaling; at evaluation and prediction the layer is the identity.
///
/// The mask is not drawn from a generator but hashed from (seed, step, row of the batch, unit),
/// SplitMix64's finaliser as a counter-based generator: the same batch row gets the same mask
/// whichever shard computes it, and a resumed run needs no generator state beyond its step.
public final class Dropout<Scalar: NetScalar>: Layer {
    public let kind = "dropout"
    /// The probability of zeroing a value, in [0, 1).
    public let p: Double
    public let inputSize: Int
    public var outputSize: Int { inputSize }
    /// The run's seed mixed with the layer's index, so two dropout layers draw different masks.
    public let seed: UInt64
    public private(set) var mode = ForwardMode.evaluation

    /// (N, size): 0 or 1 / (1 − p) per value, from the last training forward.
    public let mask: Matrix<Scalar>
    private let output: Matrix<Scalar>
    private let inputGradient: Matrix<Scalar>
    /// Whether the last forward applied the mask (backward must do what forward did).
    private var masked = false

    public init(p: Double, size: Int, seed: UInt64) {
        precondition((0..<1).contains(p), "dropout p must be in [0, 1); the config decoder refuses others")
        self.p = p
        inputSize = size
        self.seed = seed
        mask = Matrix(rows: 0, cols: size)
        output = Matrix(rows: 0, cols: size)
        inputGradient = Matrix(rows: 0, cols: size)
    }

    public func replica() -> any Layer<Scalar> { Dropout(p: p, size: inputSize, seed: seed) }

    public func setMode(_ mode: ForwardMode) { self.mode = mode }

    /// y = x ⊙ mask in training, x otherwise
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        guard case .training(let step, let firstRow) = mode, p > 0 else {
            masked = false
            return input
        }
        precondition(input.rowIndex == nil, "dropout reads its input directly, not a row selection")
        masked = true
        mask.resize(rows: input.rows)
        output.resize(rows: input.rows)
        dropoutMask(mask, p: p, seed: seed, step: step, firstRow: firstRow)
        let x = input.storage, m = mask.storage, y = output.storage
        for i in 0..<input.count { y[i] = x[i] * m[i] }
        return output
    }

    /// dx = dy ⊙ mask — the same mask as forward; the identity when forward was
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ outputGradient: Matrix<Scalar>) -> Matrix<Scalar> {
        guard masked else { return outputGradient }
        inputGradient.resize(rows: mask.rows)
        let dy = outputGradient.storage, m = mask.storage, dx = inputGradient.storage
        for i in 0..<mask.count { dx[i] = dy[i] * m[i] }
        return inputGradient
    }
}

/// Fills `mask` (N, units) for training step `step`, batch rows firstRow..<firstRow + N: each
/// value is 1 / (1 − p) with probability 1 − p, else 0, hashed from (seed, step, row, unit) alone.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func dropoutMask<Scalar: NetScalar>(_ mask: Matrix<Scalar>, p: Double, seed: UInt64, step: Int, firstRow: Int) {
    let kept = Scalar(1 / (1 - p)), units = mask.cols
    let stepKey = SplitMix64.derive(seed, UInt64(truncatingIfNeeded: step))
    for r in 0..<mask.rows {
        let rowKey = SplitMix64.derive(stepKey, UInt64(truncatingIfNeeded: firstRow + r))
        let m = mask.storage + r * units
        for j in 0..<units {
            // Uniform in [0, 1) with 53 bits, as SplitMix64.nextUnit: kept when u ≥ p.
            let u = Double(SplitMix64.derive(rowKey, UInt64(j)) >> 11) * 0x1.0p-53
            m[j] = u < p ? 0 : kept
        }
    }
}
