extension Activation {
    /// PyTorch's default slope is 0.01.
    public static func leakyReLU(slope: Double) -> Activation { Activation(LeakyReLU(slope: slope)) }
}

/// `leaky_relu: {slope: 0.01}`
public struct LeakyReLU: ActivationFunction {
    public let slope: Double
    public var name: String { "leaky_relu" }
    public var description: String { "leaky_relu(slope: \(slope))" }
    public var hasKinkAtZero: Bool { true }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
        leakyReLUForward(out, inp, slope: Scalar(slope))
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) {
        leakyReLUBackward(dinp, dout, inp, slope: Scalar(slope))
    }
}

/// y = x for x ≥ 0, slope · x otherwise
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func leakyReLUForward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>, slope: Scalar) {
    let x = inp.storage, y = out.storage
    for i in 0..<inp.count { y[i] = x[i] < 0 ? slope * x[i] : x[i] }
}

/// dx = dy ⊙ (x < 0 ? slope : 1) — decided from the input, since a negative slope would make the
/// output's sign lie about the input's.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func leakyReLUBackward<Scalar: NetScalar>(
    _ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>, slope: Scalar
) {
    let dx = dinp.storage, dy = dout.storage, x = inp.storage
    for i in 0..<inp.count { dx[i] = x[i] < 0 ? slope * dy[i] : dy[i] }
}
