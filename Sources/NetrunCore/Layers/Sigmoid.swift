extension Activation {
    public static let sigmoid = Activation(Sigmoid())
}

/// `sigmoid`
public struct Sigmoid: ActivationFunction {
    public var name: String { "sigmoid" }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) { sigmoidForward(out, inp) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) { sigmoidBackward(dinp, dout, out) }
}

/// y = 1 / (1 + e⁻ˣ)
/// For x ≪ 0, e⁻ˣ overflows to +∞ and y becomes exactly 0 — no NaN.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func sigmoidForward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
    let x = inp.storage, y = out.storage
    for i in 0..<inp.count { y[i] = 1 / (1 + Scalar.exp(-x[i])) }
}

/// dx = dy ⊙ y ⊙ (1 − y) — written from the output, so it is fed the output.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func sigmoidBackward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ out: Matrix<Scalar>) {
    let dx = dinp.storage, dy = dout.storage, y = out.storage
    for i in 0..<out.count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
}
