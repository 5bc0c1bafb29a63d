extension Activation {
    public static let identity = Activation(Identity())
}

/// `identity`: y = x, dx = dy. `ActivationLayer` passes its matrices through instead of copying.
public struct Identity: ActivationFunction {
    public var name: String { "identity" }

    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
        out.storage.update(from: inp.storage, count: inp.count)
    }

    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) {
        dinp.storage.update(from: dout.storage, count: dout.count)
    }
}
