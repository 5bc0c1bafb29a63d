extension Activation {
    public static let softmax = Activation(Softmax())
}

/// `softmax`
public struct Softmax: ActivationFunction {
    public var name: String { "softmax" }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func forward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) { softmaxForward(out, inp) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ inp: Matrix<Scalar>,
                                            _ out: Matrix<Scalar>) { softmaxBackward(dinp, dout, out) }
}

/// y = exp(x − max x) / Σ exp(x − max x), per row.
/// Subtracting the row max keeps exp ≤ 1, so logits of ±1e4 give finite probabilities; the max
/// starts at −∞ (not at the smallest positive number) so all-negative rows work.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func softmaxForward<Scalar: NetScalar>(_ out: Matrix<Scalar>, _ inp: Matrix<Scalar>) {
    let k = inp.cols
    for r in 0..<inp.rows {
        let x = inp.storage + r * k, y = out.storage + r * k
        var maximum = -Scalar.infinity
        for j in 0..<k where x[j] > maximum { maximum = x[j] }
        var sum: Scalar = 0
        for j in 0..<k {
            y[j] = Scalar.exp(x[j] - maximum)
            sum += y[j]
        }
        let scale = 1 / sum
        for j in 0..<k { y[j] *= scale }
    }
}

/// dx = y ⊙ (dy − ⟨y, dy⟩), per row: the full Jacobian-vector product.
/// `y ⊙ (1 − y)` would be only the Jacobian's diagonal, wrong whenever classes interact.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func softmaxBackward<Scalar: NetScalar>(_ dinp: Matrix<Scalar>, _ dout: Matrix<Scalar>, _ out: Matrix<Scalar>) {
    let k = out.cols
    for r in 0..<out.rows {
        let y = out.storage + r * k, dy = dout.storage + r * k, dx = dinp.storage + r * k
        var dot: Scalar = 0
        for j in 0..<k { dot += y[j] * dy[j] }
        for j in 0..<k { dx[j] = y[j] * (dy[j] - dot) }
    }
}
