import Foundation
import NetrunConfig

/// How much memory a run may ask for. Sizes are checked against it before anything is
/// allocated, so a config or a data file asking for too much is refused with an estimate rather
/// than dying "out of memory" (or trapping on an overflowing size) halfway through.
///
/// By default 80% of the machine's memory (or of the container's limit, when lower);
/// `NETRUN_MEMORY_LIMIT` sets it: a size (`8G`, `512M`, `1.5T`, or bytes), a share of the
/// machine's memory (`50%`), or `none` (sizes are still checked for overflow).
public struct MemoryBudget: Sendable, Equatable, CustomStringConvertible {
    public var bytes: ByteCount
    /// How the budget was set, for messages: `80% of this machine's 23.4 GiB`, `NETRUN_MEMORY_LIMIT=8G`.
    public var origin: String

    public init(bytes: ByteCount, origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    public static let variable = "NETRUN_MEMORY_LIMIT"
    /// A fifth is left for the system, the database and what the estimates leave out.
    static let defaultShare = 0.8

    /// The budget the environment sets; throws for a `NETRUN_MEMORY_LIMIT` it cannot read.
    public static func fromEnvironment() throws -> MemoryBudget {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return machineDefault }
        guard let budget = parse(text, machine: machineMemory) else {
            throw ConfigError("\(variable)=\(text): expected a size such as 8G, 512M or 2000000000 (bytes), "
                              + "a share of this machine's memory such as 50%, or none", at: nil)
        }
        return budget
    }

    /// The environment's budget, or the default when `NETRUN_MEMORY_LIMIT` cannot be read (whoever
    /// calls `fromEnvironment` first reports that).
    public static var current: MemoryBudget { (try? fromEnvironment()) ?? machineDefault }

    static var machineDefault: MemoryBudget {
        let machine = machineMemory
        return MemoryBudget(bytes: ByteCount(Int(Double(machine) * defaultShare)),
                            origin: "80% of this machine's \(ByteCount(machine))")
    }

    /// `8G`, `512M`, `1.5T`, `100k`, `2000000000` (powers of 1024; a trailing `B` or `iB` is allowed),
    /// `50%` of `machine`, or `none`.
    static func parse(_ text: String, machine: Int) -> MemoryBudget? {
        let origin = "\(variable)=\(text)"
        let written = text.trimmingCharacters(in: .whitespaces).lowercased()
        if written == "none" { return MemoryBudget(bytes: ByteCount(.max), origin: origin) }
        if written.hasSuffix("%") {
            guard let percent = Double(written.dropLast()), percent > 0, percent <= 100 else { return nil }
            return MemoryBudget(bytes: ByteCount(Int(Double(machine) * percent / 100)),
                                origin: "\(origin) of this machine's \(ByteCount(machine))")
        }
        var number = Substring(written)
        for suffix in ["ib", "b"] where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            break
        }
        let units: [Character: Double] = ["k": 0x1p10, "m": 0x1p20, "g": 0x1p30, "t": 0x1p40, "p": 0x1p50]
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        let bytes = value * scale
        return MemoryBudget(bytes: ByteCount(bytes >= 0x1p63 ? .max : Int(bytes)), origin: origin)
    }

    /// Physical memory, or the cgroup's limit when a container sets a lower one.
    static var machineMemory: Int {
        var memory = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
                memory = min(memory, limit)
            }
        }
        return memory
    }

    public func allows(_ need: ByteCount) -> Bool { need <= bytes }

    /// `12.4 GiB (80% of this machine's 15.5 GiB; set NETRUN_MEMORY_LIMIT to change it)` or `8.0 GiB (NETRUN_MEMORY_LIMIT=8G)`
    public var description: String {
        origin.hasPrefix(Self.variable) ? "\(bytes) (\(origin))" : "\(bytes) (\(origin); set \(Self.variable) to change it)"
    }
}

/// A size in bytes whose arithmetic saturates at `Int.max` instead of trapping, so what a config
/// asks for can be computed, compared with the budget and reported before anything is allocated.
public struct ByteCount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `Int.max` stands for "at least that".
    public let value: Int

    public init(_ value: Int) { self.value = max(value, 0) }

    public static let zero = ByteCount(0)

    /// `count` Floats of 4 bytes; `count` is a product of sizes, saturating.
    public static func floats(_ factors: Int...) -> ByteCount { ByteCount(product(factors)) * 4 }

    /// The product of `factors`, or `Int.max` when it overflows (or any factor is `Int.max`).
    public static func product(_ factors: [Int]) -> Int {
        var result = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: max(factor, 0))
            if overflow { return factors.contains(0) ? 0 : .max }
            result = value
        }
        return result
    }

    public static func * (size: ByteCount, factor: Int) -> ByteCount { ByteCount(product([size.value, factor])) }

    public static func + (a: ByteCount, b: ByteCount) -> ByteCount {
        let (sum, overflow) = a.value.addingReportingOverflow(b.value)
        return ByteCount(overflow ? .max : sum)
    }

    public static func < (a: ByteCount, b: ByteCount) -> Bool { a.value < b.value }

    public var isSaturated: Bool { value == .max }

    /// `512 bytes`, `3.1 KiB`, `12.4 GiB`, `more than 8 EiB`
    public var description: String {
        if isSaturated { return "more than 8 EiB" }
        guard value >= 1024 else { return "\(value) byte\(value == 1 ? "" : "s")" }
        var scaled = Double(value) / 1024
        for unit in ["KiB", "MiB", "GiB", "TiB", "PiB"] {
            if scaled < 1024 { return String(format: "%.1f", scaled) + " " + unit }
            scaled /= 1024
        }
        return String(format: "%.1f", scaled) + " EiB"
    }
}
