import Foundation

/// One way of writing every number of a set, so numbers shown side by side read alike: a heatmap's
/// axis values all plain or all in exponent form, its cell values all with the same decimals.
public struct NumberFormat: Sendable, Equatable {
    enum Style: Sendable, Equatable {
        /// `1e-4`, `2.5e-3`: for sets reaching below 0.001 or up to 100000.
        case exponent
        /// Each value as short as it is written: `0.01`, `0.5`, `5`.
        case compact
        /// All with this many decimals: `0.950`, `0.700`.
        case decimals(Int)
    }

    let style: Style

    /// For the values a sweep tried (learning rates, strengths): exponent form for all when any of them
    /// needs it, else each written plainly. Zero is always `0`.
    public static func settings(_ values: [Double]) -> NumberFormat {
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map(abs)
        return NumberFormat(style: magnitudes.contains { $0 < 1e-3 || $0 >= 1e5 } ? .exponent : .compact)
    }

    /// For measured values (accuracies, losses): one count of decimals, enough for three significant
    /// digits of the largest and two of the smallest, at most four; exponent form when even the largest
    /// is below 0.001 or from 100000 up.
    public static func measurements(_ values: [Double]) -> NumberFormat {
        let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map(abs)
        guard let largest = magnitudes.max(), let smallest = magnitudes.min() else { return NumberFormat(style: .compact) }
        if largest < 1e-3 || largest >= 1e5 { return NumberFormat(style: .exponent) }
        let forLargest = 2 - Int(log10(largest).rounded(.down)), forSmallest = 1 - Int(log10(smallest).rounded(.down))
        return NumberFormat(style: .decimals(min(4, max(0, forLargest, forSmallest))))
    }

    public func callAsFunction(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf" }
        switch style {
        case .exponent: return value == 0 ? "0" : AxisTicks.exponent(value)
        case .compact: return AxisTicks.compact(value)
        case .decimals(let count): return String(format: "%.\(count)f", value == 0 ? 0 : value)
        }
    }
}
