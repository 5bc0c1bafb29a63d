extension Activation {
    public static let tanh = Activation(Tanh())
}

/// `tanh`
public struct Tanh: ActivationFunction {
    public var name: String { "tanh" }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) { tanhForward(out, inp) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) { tanhBackward(dinp, dout, out) }
}

/// y = tanh(x)
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tanhForward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
    let x = inp.storage, y = out.storage
    for i in 0..<inp.count { y[i] = Scalar.tanh(x[i]) }
}

/// dx = dy ⊙ (1 − y²) — tanh' = 1 − tanh², fed the output.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func tanhBackward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ out: Matrix<Scalar>) {
    let dx = dinp.storage, dy = dout.storage, y = out.storage
    for i in 0..<out.count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
}
