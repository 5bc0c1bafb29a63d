/// When an analytic gradient entry `a` agrees with its centered difference `n`.
public enum GradientTolerance: Sendable, Equatable {
    /// torch.autograd.gradcheck's test, elementwise: |a − n| ≤ atol + rtol·|n|. The absolute part
    /// covers entries near 0, the relative part entries whose size (from large inputs or weights)
    /// makes any fixed absolute bound too tight.
    case absoluteAndRelative(atol: Double, rtol: Double)
    /// Caffe's and cs231n's test: |a − n| ≤ threshold·max(|a|, |n|, floor), with `floor` from the
    /// check. Tight thresholds suit small toy problems with inputs near 1.
    case relative(threshold: Double)

    /// torch.autograd.gradcheck's defaults for Float64: atol 1e-5, rtol 1e-3.
    public static let torch = GradientTolerance.absoluteAndRelative(atol: torchAtol, rtol: torchRtol)
    public static let torchAtol = 1e-5
    public static let torchRtol = 1e-3

    /// The largest |a − n| this tolerance allows for the entry.
    public func allowed(analytic a: Double, numeric n: Double, floor: Double) -> Double {
        switch self {
        case .absoluteAndRelative(let atol, let rtol): return atol + rtol * abs(n)
        case .relative(let threshold): return threshold * max(abs(a), abs(n), floor)
        }
    }
}

/// How well one parameter's analytic gradient matches centered differences.
public struct GradientCheckResult: Sendable, Equatable {
    /// `layers[0].weight`
    public var parameter: String
    public var checkedEntries: Int
    /// Entries left out because nudging them moved a relu-family input across 0, where the
    /// objective has a kink and centered differences measure the average of two slopes.
    public var skippedAtKinks: Int = 0
    /// Checked entries whose analytic gradient or centered difference is NaN or infinite.
    public var nonFiniteEntries: Int = 0
    /// The largest |analytic − numeric| / max(|analytic|, |numeric|, floor) over the checked
    /// entries; NaN when any of them is not finite, so no threshold passes it.
    public var maxRelativeError: Double
    /// The largest |analytic − numeric| over the checked entries; NaN when any is not finite.
    public var maxAbsoluteError: Double = 0
    /// The largest |analytic − numeric| / (what the tolerance allows for that entry): at most 1
    /// passes; NaN when any entry is not finite.
    public var maxErrorOverTolerance: Double = 0
    /// Checked entries whose error is above what the tolerance allows.
    public var failingEntries: Int = 0

    /// Every checked entry is finite and within the tolerance.
    public var passed: Bool { nonFiniteEntries == 0 && failingEntries == 0 }
}

/// Compares back-propagated gradients with centered differences, (f(w + h) − f(w − h)) / 2h,
/// of the full objective (data loss + 0.5·reg·ΣW²), in Float64.
///
/// The relative error is floored in its denominator because centered differences carry an
/// absolute rounding error near ε·|f|/h ≈ 1e-11: an entry whose true gradient is ~1e-9 cannot be
/// compared relatively, only absolutely. Each result also reports the largest absolute error and
/// the largest error over what `tolerance` allows, which decides `passed`.
public struct GradientCheck {
    public var step: Double = 1e-5
    public var floor: Double = 1e-4
    /// Entries checked per parameter, sampled without replacement; nil checks every entry.
    public var entriesPerParameter: Int?
    public var tolerance: GradientTolerance = .torch

    /// torch.autograd.gradcheck's step for Float64, used with `GradientTolerance.torch`.
    public static let torchStep = 1e-6

    public init(step: Double = 1e-5, floor: Double = 1e-4, entriesPerParameter: Int? = nil,
                tolerance: GradientTolerance = .torch) {
        self.step = step
        self.floor = floor
        self.entriesPerParameter = entriesPerParameter
        self.tolerance = tolerance
    }

    /// Checks every parameter of `network` on one batch.
    public func run(_ network: Network<Double>, input: Matrix<Double>, target: Matrix<Double>,
                    reg: Double = 0, generator: inout SplitMix64) -> [GradientCheckResult] {
        // In training mode at a fixed step, so dropout applies the same mask to every evaluation
        // of the objective: the check sees the function a training step differentiates.
        network.setMode(.training(step: 1, firstRow: 0))
        defer { network.setMode(.evaluation) }
        network.computeGradients(input, target, reg: reg)
        // Snapshot the analytic gradients: every objective evaluation below overwrites them.
        let analytic = network.parameters.map { $0.parameter.gradient.values }
        return network.parameters.enumerated().map { index, entry in
            let (layer, parameter) = entry
            var entries = Array(0..<parameter.value.count)
            if let limit = entriesPerParameter, limit < entries.count {
                shuffle(&entries, using: &generator)
                entries = Array(entries.prefix(limit))
            }
            var worstRelative = 0.0, worstAbsolute = 0.0, worstOverTolerance = 0.0
            var kinks = 0, nonFinite = 0, failing = 0
            for i in entries {
                let original = parameter.value.storage[i]
                parameter.value.storage[i] = original + step
                let plus = objective(network, input, target, reg)
                let plusSides = kinkSides(network)
                parameter.value.storage[i] = original - step
                let minus = objective(network, input, target, reg)
                let minusSides = kinkSides(network)
                parameter.value.storage[i] = original
                if plusSides != minusSides {
                    kinks += 1
                    continue
                }
                let numeric = (plus - minus) / (2 * step)
                let a = analytic[index][i]
                // max(_:_:) drops a NaN, so a NaN loss would otherwise read as a perfect match.
                guard a.isFinite, numeric.isFinite else {
                    nonFinite += 1
                    continue
                }
                let error = abs(a - numeric)
                let allowed = tolerance.allowed(analytic: a, numeric: numeric, floor: floor)
                // A zero tolerance (--atol 0 --rtol 0) still passes an exact match.
                let overTolerance = allowed > 0 ? error / allowed : (error > 0 ? .infinity : 0)
                if error > allowed { failing += 1 }
                worstAbsolute = max(worstAbsolute, error)
                worstRelative = max(worstRelative, error / max(abs(a), abs(numeric), floor))
                worstOverTolerance = max(worstOverTolerance, overTolerance)
            }
            return GradientCheckResult(parameter: "layers[\(layer)].\(parameter.name)",
                                       checkedEntries: entries.count - kinks, skippedAtKinks: kinks,
                                       nonFiniteEntries: nonFinite,
                                       maxRelativeError: nonFinite > 0 ? .nan : worstRelative,
                                       maxAbsoluteError: nonFinite > 0 ? .nan : worstAbsolute,
                                       maxErrorOverTolerance: nonFinite > 0 ? .nan : worstOverTolerance,
                                       failingEntries: failing)
        }
    }

    /// Which side of 0 every relu-family input of the last forward pass is on (Caffe's gradient
    /// checker skips features within a "kink range" for the same reason).
    private func kinkSides(_ network: Network<Double>) -> [Bool] {
        network.layers.flatMap { layer -> [Bool] in
            guard let activation = layer as? ActivationLayer<Double>, activation.activation.function.hasKinkAtZero,
                  let input = activation.input else { return [] }
            return (0..<input.count).map { input.storage[$0] > 0 }
        }
    }

    private func objective(_ network: Network<Double>, _ x: Matrix<Double>, _ t: Matrix<Double>, _ reg: Double) -> Double {
        network.dataLoss(x, t) + network.regularizationLoss(strength: reg)
    }
}

/// Compares dL/d(input) of one layer with centered differences of ⟨layer(x), g⟩ for a fixed
/// random upstream gradient g: checks a parameter-free layer's backward on its own. NaN when any
/// gradient or difference is not finite.
public func checkInputGradient(_ layer: any Layer<Double>, input: Matrix<Double>, upstream: Matrix<Double>,
                               step: Double = 1e-5, floor: Double = 1e-4) -> Double {
    func projected() -> Double {
        let y = layer.forward(input)
        var sum = 0.0
        for i in 0..<y.count { sum += y.storage[i] * upstream.storage[i] }
        return sum
    }
    _ = layer.forward(input)
    let analytic = layer.backward(upstream).values
    var worst = 0.0
    for i in 0..<input.count {
        let original = input.storage[i]
        input.storage[i] = original + step
        let plus = projected()
        input.storage[i] = original - step
        let minus = projected()
        input.storage[i] = original
        let numeric = (plus - minus) / (2 * step)
        guard analytic[i].isFinite, numeric.isFinite else { return .nan }
        worst = max(worst, abs(analytic[i] - numeric) / max(abs(analytic[i]), abs(numeric), floor))
    }
    return worst
}
