import ArgumentParser

/// `netrun-bench clock`: the measured core clock, for bench/compare.py's header.
struct ClockBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clock", abstract: "Measure the core clock.")

    func run() throws {
        try printJSON(["clock_ghz": GemmBench.clockGHz()])
    }
}
