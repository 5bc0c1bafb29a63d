import ArgumentParser
import Foundation

/// Benchmarks netrun's own side of bench/compare.py; each command prints one JSON line.
@main
struct NetrunBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netrun-bench",
        abstract: "Time netrun's training, sweeps and matrix products (one JSON line per command).",
        discussion: "bench/compare.py runs these beside the PyTorch and numpy references.",
        subcommands: [TrainBench.self, SweepBench.self, GemmBench.self])
}

/// Prints `object` as one line of JSON with sorted keys.
func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// The most memory this process has held at once (Linux reports ru_maxrss in KiB).
func maxResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
