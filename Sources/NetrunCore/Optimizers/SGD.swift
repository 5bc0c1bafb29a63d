/// Mini-batch stochastic gradient descent with optional momentum, in PyTorch's form:
/// v ← μ·v + g,  w ← w − lr·v   (with μ = 0: w ← w − lr·g, a step *against* the gradient).
///
/// PyTorch's form rather than cs231n's (v ← μv − lr·g) so that side-by-side runs match step for
/// step; the two agree while the learning rate is constant.
public final class SGD<Scalar: NetScalar> {
    public var learningRate: Double
    public let momentum: Double
    /// One buffer per parameter, in the network's parameter order; empty without momentum.
    public private(set) var velocities: [Matrix<Scalar>] = []

    public init(learningRate: Double, momentum: Double = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// Puts back momentum buffers saved in a checkpoint, one per parameter.
    public func restoreVelocities(_ saved: [[Scalar]], shapes parameters: [Parameter<Scalar>]) {
        guard !saved.isEmpty else { velocities = []; return }
        velocities = zip(saved, parameters).map { values, parameter in
            let velocity = Matrix<Scalar>(rows: parameter.value.rows, cols: parameter.value.cols)
            precondition(values.count == velocity.count, "\(values.count) saved momentum values for \(velocity.count)")
            values.withUnsafeBufferPointer { velocity.storage.update(from: $0.baseAddress!, count: velocity.count) }
            return velocity
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step(_ parameters: [Parameter<Scalar>]) {
        let lr = Scalar(learningRate)
        if momentum == 0 {
            for parameter in parameters {
                let w = parameter.value.storage, g = parameter.gradient.storage
                for i in 0..<parameter.value.count { w[i] -= lr * g[i] }
            }
            return
        }
        if velocities.isEmpty {
            velocities = parameters.map { Matrix(rows: $0.value.rows, cols: $0.value.cols) }
        }
        let mu = Scalar(momentum)
        for (parameter, velocity) in zip(parameters, velocities) {
            let w = parameter.value.storage, g = parameter.gradient.storage, v = velocity.storage
            for i in 0..<parameter.value.count {
                v[i] = mu * v[i] + g[i]
                w[i] -= lr * v[i]
            }
        }
    }
}
