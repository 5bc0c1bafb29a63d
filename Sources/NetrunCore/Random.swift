/// SplitMix64: a small, fast, seedable generator whose whole state is one integer, so a run can
/// record it and a resume can continue the exact same stream.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal by Box–Muller; uses two draws per value so the stream stays simple to reason about.
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnit()  // (0, 1], so log never sees 0
        let u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A seed for a child stream (a sweep trial, a data split) derived from this seed and a tag.
    public static func derive(_ seed: UInt64, _ tag: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: seed ^ (tag &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }
}

import Foundation
