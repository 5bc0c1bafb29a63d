extension Activation {
    public static let relu = Activation(ReLU())
}

/// `relu`
public struct ReLU: ActivationFunction {
    public var name: String { "relu" }
    public var hasKinkAtZero: Bool { true }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) { reluForward(out, inp) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) { reluBackward(dinp, dout, inp) }
}

/// y = max(0, x)
/// Written as `x < 0 ? 0 : x` so a NaN passes through and divergence is not hidden.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func reluForward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
    let x = inp.storage, y = out.storage
    for i in 0..<inp.count { y[i] = x[i] < 0 ? 0 : x[i] }
}

/// dx = dy ⊙ [x > 0]  (the subgradient at 0 is taken as 0, as PyTorch does)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func reluBackward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
    let dx = dinp.storage, dy = dout.storage, x = inp.storage
    for i in 0..<inp.count { dx[i] = x[i] > 0 ? dy[i] : 0 }
}
