import Foundation
import NetrunCore

/// `sweep.random`: `trials` samples per grid cell of each key's distribution.
///
/// Trial `k` of a sweep with `C` grid cells lies in cell `k / trials` and is that cell's sample
/// `k % trials`; its values are drawn from a stream derived from the sweep's seed and `k` alone,
/// so no trial depends on which ran before it, on the shard that runs it, or on how many ran.
public struct RandomSearch: Sendable {
    /// What one key draws from; ranges are closed, `[low, high]`.
    public enum Distribution: Sendable {
        case uniform(low: Double, high: Double)
        /// Uniform in log space: as likely in [1e-4, 1e-3] as in [1e-2, 1e-1]. Needs 0 < low.
        case logUniform(low: Double, high: Double)
        /// Every integer of the range equally likely, both ends included.
        case intUniform(low: Int, high: Int)
        case choice([YAMLNode])

        public static let names = ["uniform", "log_uniform", "int_uniform", "choice"]

        /// The values that bound what a draw can give, to check the config accepts them before a trial runs.
        public var extremes: [YAMLNode] {
            switch self {
            case .uniform(let low, let high), .logUniform(let low, let high):
                [RandomSearch.node(low, at: nil), RandomSearch.node(high, at: nil)]
            case .intUniform(let low, let high): [RandomSearch.node(low, at: nil), RandomSearch.node(high, at: nil)]
            case .choice(let values): values
            }
        }
    }

    /// One sampled key path.
    public struct Key: Sendable {
        public var path: String
        public var distribution: Distribution
        public var location: SourceLocation?
    }

    /// Samples per grid cell (per sweep when there is no grid).
    public var trials: Int
    /// In document order.
    public var keys: [Key]

    /// The values of trial `index`, one node per key in key order, drawn from `seed` (the sweep's).
    ///
    /// Each key has its own stream, derived from the trial's and the key's path, so adding or
    /// reordering keys leaves the other keys' values as they were.
    public func sample(trial index: Int, seed: UInt64) -> [YAMLNode] {
        let trialSeed = SplitMix64.derive(SplitMix64.derive(seed, Self.stream), UInt64(truncatingIfNeeded: index))
        return keys.map { key in
            var generator = SplitMix64(seed: SplitMix64.derive(trialSeed, Self.hash(key.path)))
            return Self.draw(key.distribution, using: &generator, at: key.location)
        }
    }

    static let stream: UInt64 = 0x52_414E_444F_4D  // "RANDOM"

    static func draw(_ distribution: Distribution, using generator: inout SplitMix64, at location: SourceLocation?) -> YAMLNode {
        switch distribution {
        case .uniform(let low, let high):
            // low + (high − low)·u can round past high when u is near 1; clamping keeps the range closed.
            let x = low + (high - low) * generator.nextUnit()
            return node(min(max(x, low), high), at: location)
        case .logUniform(let low, let high):
            let x = Foundation.exp(Foundation.log(low) + (Foundation.log(high) - Foundation.log(low)) * generator.nextUnit())
            return node(min(max(x, low), high), at: location)
        case .intUniform(let low, let high):
            let span = UInt64(bitPattern: Int64(high) &- Int64(low)) &+ 1
            return node(Int(truncatingIfNeeded: Int64(low) &+ Int64(bitPattern: below(span, using: &generator))), at: location)
        case .choice(let values):
            return values[Int(below(UInt64(values.count), using: &generator))]
        }
    }

    /// Uniform in 0..<`span` (0 meaning all of UInt64) without modulo bias: draws below the largest
    /// multiple of `span` are kept. Written out rather than `UInt64.random(in:using:)`, whose
    /// algorithm the standard library may change, which would change every sweep's trials.
    static func below(_ span: UInt64, using generator: inout SplitMix64) -> UInt64 {
        guard span != 0 else { return generator.next() }
        let rejected = (0 &- span) % span  // 2⁶⁴ mod span
        while true {
            let r = generator.next()
            if r >= rejected { return r % span }
        }
    }

    /// A sampled number as a scalar node. The text is Swift's shortest round-trip form, so the
    /// override stored with the trial's run reads back as exactly this Double.
    static func node(_ x: Double, at location: SourceLocation?) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(.double(x), text: "\(x)")), at: location ?? SourceLocation(file: "sweep", line: 1, column: 1))
    }

    static func node(_ n: Int, at location: SourceLocation?) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(.int(n), text: "\(n)")), at: location ?? SourceLocation(file: "sweep", line: 1, column: 1))
    }

    /// FNV-1a of the path's bytes: a stable tag for the key's stream (Swift's `hashValue` is seeded per process).
    static func hash(_ path: String) -> UInt64 {
        path.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

extension ConfigLoader {
    /// `sweep: {random: …, metric: …}` without a grid: one cell, `trials` draws.
    static func decodeRandomSweep(_ sweep: ConfigMapping, random randomValue: ConfigValue,
                                  at value: ConfigValue) throws -> SweepConfig {
        let random = try decodeRandomSearch(randomValue, grid: [])
        _ = sweep.optional("grid")  // asked for, so a misspelled `grid` is named as one
        let metricValue = sweep.optional("metric")
        let metric = try metricValue.map { Located(try decodeSweepMetric($0), at: $0) }
            ?? Located(SweepMetric(split: "val", name: "accuracy"), location: value.location, path: value.path + ".metric")
        let halving = try sweep.optional("halving").map { try decodeHalving($0, sweepMetric: metric) }
        try sweep.finish()
        return SweepConfig(axes: [], random: random, metric: metric, location: randomValue.node.location, halving: halving)
    }

    /// `random: {trials: N, PATH: {DISTRIBUTION: ARGS}, …}`; `grid` is the sweep's grid, whose keys
    /// cannot be sampled as well.
    static func decodeRandomSearch(_ value: ConfigValue, grid: [SweepConfig.Axis]) throws -> RandomSearch {
        let mapping = try value.mapping()
        guard let trialsValue = mapping.optional("trials") else {
            throw mapping.missing(["trials"], "missing required key 'trials' (how many samples to draw, e.g. trials: 20)")
        }
        let trials = try trialsValue.int()
        guard trials >= 1 else { throw trialsValue.error("must be at least 1, got \(trials)") }
        guard case .mapping(let entries) = value.node.kind else { throw value.error("expected a mapping") }
        let keys = try entries.filter { $0.key != "trials" }.map { entry in
            let path = "\(value.path).\(entry.key)"
            _ = try ConfigOverride.parse(entry.key, location: entry.keyLocation)
            if entry.key == "sweep" || entry.key.hasPrefix("sweep.") || entry.key == "name" {
                throw ConfigError("'\(entry.key)' cannot be swept", at: entry.keyLocation, path: path)
            }
            if grid.contains(where: { $0.path == entry.key }) {
                throw ConfigError("'\(entry.key)' is in sweep.grid too; sweep a key one way", at: entry.keyLocation, path: path)
            }
            let distribution = try decodeDistribution(ConfigValue(node: entry.value, path: path))
            return RandomSearch.Key(path: entry.key, distribution: distribution, location: entry.keyLocation)
        }
        guard !keys.isEmpty else {
            throw value.error("expected key paths to sample beside trials, e.g. training.learning_rate: {log_uniform: [1e-4, 1e-1]}")
        }
        return RandomSearch(trials: trials, keys: keys)
    }

    /// `{uniform: [a, b]}`, `{log_uniform: [a, b]}`, `{int_uniform: [a, b]}` or `{choice: [v, …]}`.
    static func decodeDistribution(_ value: ConfigValue) throws -> RandomSearch.Distribution {
        let names = RandomSearch.Distribution.names
        let example = "e.g. {log_uniform: [1e-4, 1e-1]}; one of: " + names.joined(separator: ", ")
        guard case .mapping(let entries) = value.node.kind, entries.count == 1, let entry = entries.first else {
            throw value.error("expected one distribution, \(example)")
        }
        let arguments = ConfigValue(node: entry.value, path: "\(value.path).\(entry.key)")
        guard names.contains(entry.key) else {
            var message = "unknown distribution '\(entry.key)'"
            if let guess = suggestion(for: entry.key, among: names) { message += " (did you mean '\(guess)'?)" }
            throw ConfigError(message + "; expected one of: " + names.joined(separator: ", "), at: entry.keyLocation,
                              path: value.path)
        }
        if entry.key == "choice" {
            let items = try arguments.sequence()
            guard !items.isEmpty else { throw arguments.error("expected a non-empty list of values to choose from") }
            return .choice(items.map(\.node))
        }
        let bounds = try arguments.sequence()
        guard bounds.count == 2 else { throw arguments.error("expected [low, high], got \(bounds.count) values") }
        if entry.key == "int_uniform" {
            let (low, high) = (try bounds[0].int(), try bounds[1].int())
            // Stored as REAL: beyond 2⁵³ a Double no longer holds every integer exactly.
            guard low.magnitude <= 1 << 53, high.magnitude <= 1 << 53 else { throw arguments.error("bounds must lie within ±2^53") }
            guard low < high else { throw arguments.error("expected [low, high] with low < high, got [\(low), \(high)]") }
            return .intUniform(low: low, high: high)
        }
        let (low, high) = (try bounds[0].double(), try bounds[1].double())
        guard low.isFinite, high.isFinite, low < high else {
            throw arguments.error("expected finite [low, high] with low < high, got [\(low), \(high)]")
        }
        if entry.key == "log_uniform" {
            guard low > 0 else { throw arguments.error("log_uniform needs 0 < low < high, got [\(low), \(high)]") }
            return .logUniform(low: low, high: high)
        }
        return .uniform(low: low, high: high)
    }
}
