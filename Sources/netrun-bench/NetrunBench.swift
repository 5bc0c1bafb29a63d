import ArgumentParser
import Foundation

/// Benchmarks netrun's own side of bench/compare.py; each command prints one JSON line.
@main
struct NetrunBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netrun-bench",
        abstract: "Time netrun's training, sweeps and matrix products (one JSON line per command).",
        discussion: "bench/compare.py runs these beside the PyTorch and numpy references.",
        subcommands: [TrainBench.self, SweepBench.self, GemmBench.self, MergeBench.self, HalvingBench.self,
                      ClockBench.self])
}

/// Prints `object` as one line of JSON with sorted keys.
func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// The most memory this process has held at once: VmHWM from /proc/self/status, which starts
/// afresh at exec. (getrusage's ru_maxrss does not: launched from a large process, such as Python
/// with PyTorch loaded, it reports the parent's size.)
func maxResidentBytes() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
        return kib * 1024
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
