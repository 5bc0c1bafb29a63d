import Foundation
import NetrunPlot
import NetrunStore

/// What `netrun plot` calls each run in a legend: a sweep's run by its swept values
/// (`lr=0.01 reg=1e-4`), which say more than its name (`blobs#0`); any other run by its id and name.
enum RunLegend {
    /// One name per run, in order; runs that would share a name (two sweeps of one grid) get their ids.
    static func names(of runs: [RunSummary], trials: [Int64: RunTrial]) -> [String] {
        let paths = Set(trials.values.flatMap { $0.params.map(\.path) })
        let names = runs.map { run in
            guard let params = trials[run.id]?.params, !params.isEmpty else { return "run \(run.id) \(DisplayText.line(run.name))" }
            return params.map { "\(shortName(of: $0.path, among: paths))=\(DisplayText.line(value(of: $0)))" }
                .joined(separator: " ")
        }
        let counts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
        return zip(names, runs).map { name, run in counts[name]! > 1 && !name.hasPrefix("run ") ? "\(name) (run \(run.id))" : name }
    }

    /// `lr` for the learning rate, else the key's last part (`reg`, `units`) unless another swept key
    /// ends the same way, when the whole path stays.
    static func shortName(of path: String, among paths: Set<String>) -> String {
        if path == "training.learning_rate" { return "lr" }
        let last = lastPart(of: path)
        return paths.contains { $0 != path && lastPart(of: $0) == last } ? path : last
    }

    private static func lastPart(of path: String) -> String {
        path.split(separator: ".").last.map(String.init) ?? path
    }

    /// Numbers to three significant digits (a random sweep's 0.0123456 reads as 0.0123), 1e-4 for
    /// small ones; names as written.
    static func value(of param: SweptParam) -> String {
        guard let value = param.value, value.isFinite else { return param.text }
        return AxisTicks.compact(Double(String(format: "%.3g", value)) ?? value)
    }
}
