import ArgumentParser
import Foundation

/// `netrun-bench clock`: the measured core clock and the fp32 peak it gives, for bench/compare.py's
/// header and its floors (each workload's arithmetic at that peak).
struct ClockBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clock", abstract: "Measure the core clock and the fp32 peak.")

    func run() throws {
        let clock = GemmBench.clockGHz(), cores = ProcessInfo.processInfo.activeProcessorCount
        let flopsPerCycle = GemmBench.flopsPerCycle(clock: clock)
        try printJSON(["clock_ghz": clock, "cores": cores, "fma_flops_per_cycle": flopsPerCycle,
                       "peak_gflops": flopsPerCycle * clock * Double(cores)])
    }
}
