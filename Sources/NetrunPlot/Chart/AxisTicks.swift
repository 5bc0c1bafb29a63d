import Foundation

/// Round tick values for a numeric axis and their labels.
public enum AxisTicks {
    /// About `target` ticks covering `low...high`, spaced 1, 2 or 5 × 10ᵏ (the steps people read at a
    /// glance), together with the range widened out to the outermost ticks.
    /// `minimumStep` keeps counts (epochs, steps) from getting fractional ticks.
    public static func nice(low: Double, high: Double, target: Int = 5,
                            minimumStep: Double = 0) -> (ticks: [Double], low: Double, high: Double) {
        var low = low, high = high
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if high < low { swap(&low, &high) }
        if high - low < max(abs(high), abs(low), 1e-300) * 1e-9 {
            // A flat line still needs an axis: open a small window around its value.
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let step = max(minimumStep, niceStep((high - low) / Double(max(1, target))))
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { multiple(Int($0), of: step) }
        return (ticks, ticks.first!, ticks.last!)
    }

    /// Ticks for an axis that should end at the data, such as a run's steps: the low end as `nice`
    /// gives it (usually 0), the high end at the last value, or at the next round tick when that is
    /// just past it (within 3% of the axis), never at a round number far beyond. A single value gets a
    /// window around it with one tick, at the value.
    public static func fitted(low: Double, high: Double, target: Int = 5,
                              minimumStep: Double = 0) -> (ticks: [Double], low: Double, high: Double) {
        guard low.isFinite && high.isFinite else { return nice(low: low, high: high, target: target) }
        if high - low < max(abs(high), abs(low), 1e-300) * 1e-9 {
            let pad = minimumStep > 0 ? max(minimumStep, (abs(low) * 0.1).rounded()) : low == 0 ? 1 : abs(low) * 0.1
            return ([low], low - pad, low + pad)
        }
        let widened = nice(low: low, high: high, target: target, minimumStep: minimumStep)
        let slack = 0.03 * (high - widened.low)
        let ticks = widened.ticks.filter { $0 <= high + slack }
        return (ticks, widened.low, max(high, ticks.last ?? high))
    }

    /// Ticks for a logarithmic axis over `low...high` (both above 0), which is widened by 4% of its
    /// length in powers of ten so the extreme points sit off the frame: whole powers of ten when at
    /// least two fall inside, else 1, 2 and 5 times them, else 1 to 9 times them.
    public static func logarithmic(low: Double, high: Double) -> (ticks: [Double], low: Double, high: Double) {
        var (a, b) = (log10(low), log10(high))
        if !(a.isFinite && b.isFinite) { (a, b) = (0, 1) }
        if b < a { swap(&a, &b) }
        let pad = b > a ? 0.04 * (b - a) : 0.15
        (a, b) = (a - pad, b + pad)
        for mantissas in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var ticks: [Double] = []
            for power in Int(a.rounded(.down))...Int(b.rounded(.up)) {
                for mantissa in mantissas {
                    // m / 10^-p, not m × 10^p: 3 / 100 is the double nearest 0.03, 3 × 0.01 is not.
                    let tick = power < 0 ? mantissa / pow(10, Double(-power)) : mantissa * pow(10, Double(power))
                    if (a - 1e-9...b + 1e-9).contains(log10(tick)) { ticks.append(tick) }
                }
            }
            guard ticks.count >= 2 else { continue }
            let every = max(1, Int((Double(ticks.count) / 7).rounded(.up)))
            return (stride(from: 0, to: ticks.count, by: every).map { ticks[$0] }, pow(10, a), pow(10, b))
        }
        // Less than a factor 1.1 from end to end: round ticks as on a linear axis.
        let inside = nice(low: pow(10, a), high: pow(10, b)).ticks.filter { (pow(10, a)...pow(10, b)).contains($0) }
        return (inside, pow(10, a), pow(10, b))
    }

    /// k × step, computed as an integer over a power of ten so 3 × 0.2 shows as 0.6, not 0.6000000000000001.
    static func multiple(_ k: Int, of step: Double) -> Double {
        let power = Int(log10(step).rounded(.down))
        guard power < 0 else { return Double(k) * step }
        let scale = pow(10, Double(-power))
        return (Double(k) * (step * scale).rounded()) / scale
    }

    /// 1, 2 or 5 × 10ᵏ, the smallest at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-9) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// Labels for evenly spaced ticks, all with the same number of decimals, or in exponent form when
    /// the values are very large or very small. A nearly flat line (accuracy 0.95121…0.95125) keeps
    /// its decimals: three-digit exponents would write every tick as 9.51e-1.
    public static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count >= 2 else { return ticks.map(compact) }
        let step = abs(ticks[1] - ticks[0])
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e6 || (step < 1e-4 && (largest < 1e-3 || step < 1e-8)) {
            return ticks.map { $0 == 0 ? "0" : exponent($0) }
        }
        // The tolerance: a step of 1e-5 taken as a difference of ticks may come out a hair below it.
        let decimals = step >= 1 ? 0 : Int((-log10(step) - 1e-6).rounded(.up))
        return ticks.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) }
    }

    /// A single value as short as it can be written without losing what matters: 0.001 → "0.001",
    /// 1e-05 → "1e-5", 3 → "3". Sweep values (learning rates, strengths) are written this way.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return exponent(value) }
        var text = String(format: "%.6g", value)
        if text.contains("e") { text = exponent(value) }
        return text
    }

    /// 2.5e-05 → "2.5e-5": mantissa with at most three significant digits, exponent without padding.
    static func exponent(_ value: Double) -> String {
        let parts = String(format: "%.2e", value).split(separator: "e")
        var mantissa = String(parts[0])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return "\(mantissa)e\(Int(parts[1]) ?? 0)"
    }
}
