import ArgumentParser
import Foundation
import NetrunCore
import NetrunKernels

/// `netrun-bench gemm`: GFLOP/s of the matrix product at the shapes training uses and at 2048³,
/// against the machine's float32 peak. `--shape` and `--threads` pick what to measure, so
/// bench/compare.py can alternate each measurement with numpy's.
struct GemmBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "Measure matrix-product throughput.")

    @Option(name: .customLong("repeat"), help: "Timed repetitions per shape; the median counts.")
    var repeat_ = 5

    @Option(help: "Clock in GHz for the peak (default: measured with a chain of dependent adds).")
    var ghz: Double?

    @Option(name: .customLong("shape"), help: "Measure only the shape of this name (repeatable; default: all).")
    var onlyShapes: [String] = []

    @Option(name: .customLong("threads"), help: "Thread counts to measure (repeatable; default: 1 and all cores).")
    var threadCounts: [Int] = []

    func validate() throws {
        let names = Set(Self.shapes.map(\.name))
        for name in onlyShapes where !names.contains(name) {
            throw ValidationError("unknown shape '\(name)'; the shapes are: \(Self.shapes.map(\.name).joined(separator: ", "))")
        }
        if let bad = threadCounts.first(where: { $0 < 1 }) { throw ValidationError("--threads \(bad): at least 1") }
    }

    private struct Shape {
        var name: String
        var transA: Bool, transB: Bool
        var m: Int, n: Int, k: Int
    }

    // What the benchmark workloads' dense layers multiply (see MatmulKernels.swift for the forms).
    private static let shapes = [
        Shape(name: "mlp fc1 forward", transA: false, transB: true, m: 128, n: 100, k: 784),
        Shape(name: "mlp fc1 dweight", transA: true, transB: false, m: 100, n: 784, k: 128),
        Shape(name: "mlp fc2 forward", transA: false, transB: true, m: 128, n: 10, k: 100),
        Shape(name: "mlp fc2 dinput", transA: false, transB: false, m: 128, n: 100, k: 10),
        Shape(name: "softmax forward", transA: false, transB: true, m: 200, n: 10, k: 3072),
        Shape(name: "softmax dweight", transA: true, transB: false, m: 10, n: 3072, k: 200),
        Shape(name: "square 512", transA: false, transB: false, m: 512, n: 512, k: 512),
        Shape(name: "square 2048", transA: false, transB: false, m: 2048, n: 2048, k: 2048),
    ]

    func run() throws {
        let clock = ghz ?? Self.clockGHz()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let flopsPerCycle = Self.flopsPerCycle(clock: clock)
        let peakPerCore = flopsPerCycle * clock
        var results: [[String: Any]] = []
        let maximum = ComputeThreads.limit
        let shapes = onlyShapes.isEmpty ? Self.shapes : Self.shapes.filter { onlyShapes.contains($0.name) }
        for shape in shapes {
            for threads in Set(threadCounts.isEmpty ? [1, maximum] : threadCounts).sorted() {
                ComputeThreads.limit = threads
                let seconds = time(shape)
                let gflops = 2 * Double(shape.m * shape.n * shape.k) / seconds / 1e9
                let peak = peakPerCore * Double(min(threads, cores))
                results.append(["name": shape.name, "m": shape.m, "n": shape.n, "k": shape.k,
                                "form": (shape.transA ? "T" : "N") + (shape.transB ? "T" : "N"),
                                "threads": threads, "seconds": seconds, "gflops": gflops,
                                "fraction_of_peak": gflops / peak])
            }
        }
        ComputeThreads.limit = maximum
        try printJSON(["clock_ghz": clock, "cores": cores, "fma_flops_per_cycle": flopsPerCycle,
                       "peak_gflops": peakPerCore * Double(cores), "peak_gflops_per_core": peakPerCore,
                       "kernel": ComputeThreads.kernel, "results": results])
    }

    /// The widest FMA instructions' measured flops per cycle: 32 for two 256-bit units (Zen 4
    /// runs AVX-512 on them, two passes per instruction), 64 for two 512-bit units. Where it
    /// cannot be measured, AVX2's 2 units × 8 lanes × 2 flops.
    static func flopsPerCycle(clock: Double) -> Double {
        let measured = netrun_measure_fma_flops_per_cycle(clock)
        return measured > 0 ? measured : 32
    }

    /// Median seconds of one product, after a warm-up; repeated within a sample so each lasts ≥ 20 ms.
    private func time(_ shape: Shape) -> Double {
        let a = [Float](repeating: 0.5, count: shape.m * shape.k).map { $0 * Float.random(in: -1...1) }
        let b = [Float](repeating: 0.5, count: shape.k * shape.n).map { $0 * Float.random(in: -1...1) }
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        let lda = shape.transA ? shape.m : shape.k, ldb = shape.transB ? shape.k : shape.n
        func once() {
            netrun_sgemm(shape.transA ? 1 : 0, shape.transB ? 1 : 0, shape.m, shape.n, shape.k, 1,
                         a, lda, b, ldb, 0, &c, shape.n)
        }
        once()
        let clock = ContinuousClock()
        let single = clock.measure { once() } / .seconds(1)
        let inner = max(1, Int(0.02 / max(single, 1e-9)))
        var samples: [Double] = []
        for _ in 0..<max(1, repeat_) {
            let elapsed = clock.measure { for _ in 0..<inner { once() } } / .seconds(1)
            samples.append(elapsed / Double(inner))
        }
        return samples.sorted()[samples.count / 2]
    }

    /// The measured core clock; /proc/cpuinfo's highest "cpu MHz" where it cannot be measured.
    static func clockGHz() -> Double {
        let measured = netrun_measure_clock_ghz()
        if measured > 0.5 { return measured }
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return 3.0 }
        let values = text.split(separator: "\n").filter { $0.hasPrefix("cpu MHz") }
            .compactMap { $0.split(separator: ":").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        return (values.max() ?? 3000) / 1000
    }
}
