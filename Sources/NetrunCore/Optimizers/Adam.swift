import Foundation

/// Adam as `torch.optim.Adam` defines it and, with decoupled weight decay, AdamW as
/// `torch.optim.AdamW` does (PyTorch's AdamW is Adam with `decoupled_weight_decay=True`). At
/// step t (1 on the first update), per element:
///
///     w ← w·(1 − lr·weight_decay)        AdamW only: decay apart from the gradient's moments
///     g ← g + weight_decay·w             Adam only: L2 in the gradient, so it enters m and v
///     m ← m + (1 − β₁)·(g − m)           exp_avg (PyTorch's lerp_)
///     v ← β₂·v + (1 − β₂)·g²             exp_avg_sq
///     v̂ ← max(v̂, v) with amsgrad, else v̂ = v    max_exp_avg_sq
///     w ← w − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// The step count t is not stored: it is the number of updates applied, which checkpoints keep
/// as `progress.step`.
public final class Adam<Scalar: NetScalar>: Optimizer {
    public let settings: AdamSettings
    /// Updates applied so far (PyTorch's `state['step']`).
    public private(set) var steps = 0
    /// m, v and (with amsgrad) v̂ — PyTorch's exp_avg, exp_avg_sq, max_exp_avg_sq: one tensor per
    /// parameter each, empty before the first step.
    private var expAvg: [Matrix<Scalar>] = [], expAvgSq: [Matrix<Scalar>] = [], maxExpAvgSq: [Matrix<Scalar>] = []

    public init(_ settings: AdamSettings) {
        self.settings = settings
    }

    public var state: [String: [Matrix<Scalar>]] {
        guard !expAvg.isEmpty else { return [:] }
        var state = ["exp_avg": expAvg, "exp_avg_sq": expAvgSq]
        if settings.amsgrad { state["max_exp_avg_sq"] = maxExpAvgSq }
        return state
    }

    public func restore(_ state: [String: [[Scalar]]], steps: Int, parameters: [Parameter<Scalar>]) {
        self.steps = steps
        expAvg = Self.matrices(state["exp_avg"] ?? [], like: parameters)
        expAvgSq = Self.matrices(state["exp_avg_sq"] ?? [], like: parameters)
        maxExpAvgSq = Self.matrices(state["max_exp_avg_sq"] ?? [], like: parameters)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func step(_ parameters: [Parameter<Scalar>], learningRate: Double) {
        if expAvg.isEmpty {
            expAvg = Self.zeros(like: parameters)
            expAvgSq = Self.zeros(like: parameters)
            if settings.amsgrad { maxExpAvgSq = Self.zeros(like: parameters) }
        }
        steps += 1
        let (beta1, beta2) = (settings.beta1, settings.beta2), t = Double(steps)
        // The scalars in Double, as PyTorch computes them in Python.
        let stepSize = Scalar(learningRate / (1 - pow(beta1, t)))
        let correction2 = Scalar(pow(1 - pow(beta2, t), 0.5))
        let eps = Scalar(settings.eps)
        let l2 = settings.decoupled ? 0 : Scalar(settings.weightDecay)
        let shrink = Scalar(1 - learningRate * (settings.decoupled ? settings.weightDecay : 0))
        let mWeight = Scalar(1 - beta1), vKeep = Scalar(beta2), vWeight = Scalar(1 - beta2)
        for (index, parameter) in parameters.enumerated() {
            let w = parameter.value.storage, g = parameter.gradient.storage
            let m = expAvg[index].storage, v = expAvgSq[index].storage
            let vMax = settings.amsgrad ? maxExpAvgSq[index].storage : nil
            for i in 0..<parameter.value.count {
                if shrink != 1 { w[i] *= shrink }
                let gi = l2 == 0 ? g[i] : g[i] + l2 * w[i]
                m[i] = lerp(m[i], gi, mWeight)
                v[i] = vKeep * v[i] + vWeight * gi * gi
                var second = v[i]
                if let vMax {
                    vMax[i] = max(vMax[i], v[i])
                    second = vMax[i]
                }
                let denominator = Scalar.sqrt(second) / correction2 + eps
                w[i] += -stepSize * (m[i] / denominator)
            }
        }
    }

    /// a + weight·(b − a), computed as PyTorch's `lerp` does (from the nearer end).
    @inline(__always)
    private func lerp(_ a: Scalar, _ b: Scalar, _ weight: Scalar) -> Scalar {
        abs(weight) < 0.5 ? a + weight * (b - a) : b - (b - a) * (1 - weight)
    }
}

/// `optimizer: adam | adamw` or `{adam: {betas, eps, weight_decay, amsgrad}}`, PyTorch's names and
/// defaults: betas [0.9, 0.999], eps 1e-8, amsgrad false, weight_decay 0 (adam) or 0.01 (adamw).
public struct AdamSettings: OptimizerSettings {
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double
    public var amsgrad: Bool
    /// AdamW: weight decay shrinks the weights directly instead of entering the gradient.
    public var decoupled: Bool

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double? = nil,
                amsgrad: Bool = false, decoupled: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay ?? (decoupled ? 0.01 : 0)
        self.amsgrad = amsgrad
        self.decoupled = decoupled
    }

    public var name: String { decoupled ? "adamw" : "adam" }
    public var stateNames: [String] { amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"] }

    public var description: String {
        "\(name) (betas [\(beta1), \(beta2)], eps \(eps), weight_decay \(weightDecay), amsgrad \(amsgrad))"
    }

    public func makeOptimizer<Scalar: NetScalar>(_ scalar: Scalar.Type) -> any Optimizer<Scalar> {
        Adam<Scalar>(self)
    }
}
