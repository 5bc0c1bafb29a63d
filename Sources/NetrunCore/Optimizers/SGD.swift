/// Stochastic gradient descent as `torch.optim.SGD` defines it, per element, at rate lr:
///
///     g ← g + weight_decay·w                            (L2 in the gradient, every parameter)
///     v ← g on the first step, else v ← μ·v + (1 − dampening)·g   (PyTorch's momentum_buffer)
///     g ← g + μ·v with nesterov, else g ← v             (without momentum: g as it is)
///     w ← w − lr·g
///
/// PyTorch's form rather than cs231n's (v ← μv − lr·g) so that side-by-side runs match step for
/// step; the two agree while the learning rate is constant. The first step copies the gradient
/// into v without dampening, as PyTorch does.
public final class SGD<Scalar: NetScalar>: Optimizer {
    public let settings: SGDSettings
    /// One buffer per parameter, in the network's parameter order; empty without momentum and
    /// before the first step.
    public private(set) var velocities: [Matrix<Scalar>] = []

    public init(_ settings: SGDSettings) {
        self.settings = settings
    }

    public convenience init(momentum: Double = 0) {
        self.init(SGDSettings(momentum: momentum))
    }

    public var state: [String: [Matrix<Scalar>]] {
        velocities.isEmpty ? [:] : [SGDSettings.velocity: velocities]
    }

    public func restore(_ state: [String: [[Scalar]]], steps: Int, parameters: [Parameter<Scalar>]) {
        velocities = Self.matrices(state[SGDSettings.velocity] ?? [], like: parameters)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        let lr = Scalar(learningRate), decay = Scalar(settings.weightDecay)
        if settings.momentum == 0 {
            for parameter in parameters {
                let w = parameter.value.storage, g = parameter.gradient.storage
                if decay == 0 {
                    for i in 0..<parameter.value.count { w[i] -= lr * g[i] }
                } else {
                    for i in 0..<parameter.value.count { w[i] -= lr * (g[i] + decay * w[i]) }
                }
            }
            return
        }
        let first = velocities.isEmpty
        if first { velocities = Self.zeros(like: parameters) }
        let mu = Scalar(settings.momentum), kept = Scalar(1 - settings.dampening), nesterov = settings.nesterov
        for (parameter, velocity) in zip(parameters, velocities) {
            let w = parameter.value.storage, g = parameter.gradient.storage, v = velocity.storage
            if !first, !nesterov, decay == 0 {
                // The common case in a loop the compiler can vectorise.
                for i in 0..<parameter.value.count {
                    v[i] = mu * v[i] + kept * g[i]
                    w[i] -= lr * v[i]
                }
                continue
            }
            for i in 0..<parameter.value.count {
                let gi = decay == 0 ? g[i] : g[i] + decay * w[i]
                v[i] = first ? gi : mu * v[i] + kept * gi
                w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i])
            }
        }
    }
}

/// `optimizer: sgd` or `{sgd: {momentum, dampening, nesterov, weight_decay}}`, PyTorch's names and
/// defaults (all 0 / false).
public struct SGDSettings: OptimizerSettings {
    public var momentum: Double
    public var dampening: Double
    public var nesterov: Bool
    public var weightDecay: Double

    /// The checkpoint name of PyTorch's `momentum_buffer`.
    public static let velocity = "velocity"

    public init(momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public var name: String { "sgd" }
    public var stateNames: [String] { momentum == 0 ? [] : [Self.velocity] }

    public var description: String {
        "sgd (momentum \(momentum), dampening \(dampening), nesterov \(nesterov), weight_decay \(weightDecay))"
    }

    public func makeOptimizer<Scalar: NetScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> {
        SGD<Scalar>(self)
    }
}
