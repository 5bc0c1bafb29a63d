import Foundation
import NetrunCore
import NetrunKernels
import XCTest

/// The packed GEMM against a Float64 triple loop, and the dense layer's Float path against the
/// plain-loop reference it replaces.
final class MatmulKernelTests: XCTestCase {
    /// Shapes that hit every edge: sizes below, at and just past the 6×16 tile, and past the
    /// 144-row, 256-deep blocks.
    private let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 17, 3), (5, 15, 7), (6, 16, 8), (7, 17, 9), (13, 33, 1),
        (37, 10, 300), (145, 31, 257), (64, 100, 784), (200, 10, 520),
        // One side at most 12 wide: the unpacked narrow products, with depths and widths that are
        // not multiples of 8.
        (3, 12, 37), (12, 5, 13), (11, 9, 8), (13, 2, 3), (10, 100, 64),
        // Last panels exactly half a tile wide (8, 16): the half tiles write C directly; and a
        // panel wider than 16 with a partial AVX-512 half. Last panels of 1–8 columns after
        // 32-wide ones (33, 70 and above 100) run the AVX-512 quarter tile; 40 = 32 + 8 exactly.
        (18, 40, 20), (12, 48, 17), (7, 70, 33),
    ]

    private func random(_ count: Int, _ generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(2 * generator.nextUnit() - 1) }
    }

    /// C = alpha · op(A) · op(B) + beta · C in Float64, and the bound Σ|a||b| the Float32 result's
    /// rounding error is measured against.
    private func reference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int)
        -> (values: [Double], scale: [Double])
    {
        var values = c.map(Double.init), scale = [Double](repeating: 0, count: c.count)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let x = Double(transA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let old = Double(c[i * ldc + j])
                values[i * ldc + j] = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * old)
                scale[i * ldc + j] = abs(Double(alpha)) * magnitude + abs(Double(beta) * old) + 1e-30
            }
        }
        return (values, scale)
    }

    private func check(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
                       padding: Int = 0, generator: inout SplitMix64, file: StaticString = #filePath, line: UInt = #line) {
        let lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding
        let a = random((transA ? k : m) * lda, &generator), b = random((transB ? n : k) * ldb, &generator)
        var c = random(m * ldc, &generator)
        if beta == 0 { for i in c.indices where i % 3 == 0 { c[i] = .nan } }  // beta 0 must not read C
        let expected = reference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        netrun_sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, &c, ldc)
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                let index = i * ldc + j
                worst = max(worst, abs(Double(c[index]) - expected.values[index]) / expected.scale[index])
            }
            // Padding between rows is not part of C and must be left alone.
            for j in n..<ldc where !c[i * ldc + j].isNaN {
                XCTAssertEqual(c[i * ldc + j], Float(expected.values[i * ldc + j]), "padding written", file: file, line: line)
            }
        }
        // Float32 rounding over k terms: a few ulps of Σ|a||b|.
        XCTAssertLessThan(worst, 1e-6, "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(n)×\(k)",
                          file: file, line: line)
    }

    func testAllFourTransposeFormsMatchFloat64ReferenceOnOddShapes() {
        var generator = SplitMix64(seed: 11)
        for (m, n, k) in shapes {
            for transA in [false, true] {
                for transB in [false, true] {
                    check(transA: transA, transB: transB, m: m, n: n, k: k, generator: &generator)
                }
            }
        }
    }

    /// Every tile this CPU can run (AVX-512, AVX2, portable), not just the one chosen by default.
    func testEveryKernelMatchesFloat64Reference() {
        let original = String(cString: netrun_sgemm_kernel_name())
        defer { _ = netrun_sgemm_select_kernel(original) }
        var tested: [String] = []
        for kernel in ["avx512", "avx2+fma", "portable"] where netrun_sgemm_select_kernel(kernel) == 1 {
            tested.append(kernel)
            var generator = SplitMix64(seed: 15)
            for (m, n, k) in shapes {
                check(transA: false, transB: true, m: m, n: n, k: k, generator: &generator)
                check(transA: true, transB: false, m: m, n: n, k: k, alpha: 1, beta: 1, generator: &generator)
                check(transA: false, transB: false, m: m, n: n, k: k, padding: 2, generator: &generator)
            }
        }
        XCTAssertTrue(tested.contains("portable"), "\(tested)")
    }

    /// The vector tiles sum every output in the same order (one lane per output, one step at a
    /// time, the same depth blocks), so a run gives the same bits on AVX2 and AVX-512 machines.
    func testVectorTilesGiveIdenticalBits() throws {
        let original = String(cString: netrun_sgemm_kernel_name())
        defer { _ = netrun_sgemm_select_kernel(original) }
        let candidates: [String] = ["avx512", "avx2+fma"]
        let kernels = candidates.filter { netrun_sgemm_select_kernel($0) == 1 }
        guard kernels.count == 2 else { throw XCTSkip("this CPU has only \(kernels)") }
        var generator = SplitMix64(seed: 17)
        // Packed products (100 = 3 × 32 + 4 ends in the AVX-512 quarter tile against the AVX2 6×8
        // one), and narrow ones (10 wide) in both forms.
        for (m, n, k) in [(37, 100, 300), (64, 784, 100), (131, 45, 600), (37, 10, 300), (10, 300, 37)] {
            for (transA, transB) in [(0, 1), (1, 0), (0, 0)] {
                let a = random(m * k, &generator), b = random(n * k, &generator)
                let results = kernels.map { kernel -> [Float] in
                    _ = netrun_sgemm_select_kernel(kernel)
                    var c = [Float](repeating: 0, count: m * n)
                    netrun_sgemm(Int32(transA), Int32(transB), m, n, k, 1, a, transA == 1 ? m : k,
                                 b, transB == 1 ? k : n, 0, &c, n)
                    return c
                }
                XCTAssertEqual(results[0], results[1], "\(transA)\(transB) \(m)×\(n)×\(k)")
            }
        }
    }

    func testAlphaBetaAndRowStridesWiderThanTheMatrix() {
        var generator = SplitMix64(seed: 12)
        for (m, n, k) in [(7, 19, 11), (30, 40, 300)] {
            check(transA: false, transB: true, m: m, n: n, k: k, alpha: 1, beta: 1, padding: 3, generator: &generator)
            check(transA: true, transB: false, m: m, n: n, k: k, alpha: -0.5, beta: 2, padding: 5, generator: &generator)
            check(transA: false, transB: false, m: m, n: n, k: k, alpha: 2, beta: 0, padding: 1, generator: &generator)
        }
    }

    func testZeroDepthScalesCByBeta() {
        var c: [Float] = [1, 2, 3, .nan]
        let none: [Float] = [0]
        netrun_sgemm(0, 0, 1, 3, 0, 1, none, 1, none, 3, 2, &c, 4)
        XCTAssertEqual(Array(c[0..<3]), [2, 4, 6])
        XCTAssertTrue(c[3].isNaN)
        netrun_sgemm(0, 0, 1, 3, 0, 1, none, 1, none, 3, 0, &c, 4)
        XCTAssertEqual(Array(c[0..<3]), [0, 0, 0])
    }

    func testThreadedProductIsBitIdenticalToSingleThreaded() {
        var generator = SplitMix64(seed: 13)
        // Threaded, with edge tiles in both directions: one whose packed B fits in L2 (each
        // thread packs all of it), and one wider than a 4080-column block, which is always cut
        // into column blocks and depth slices whose packed B the threads share.
        for (m, n, k) in [(131, 203, 760), (13, 4100, 300)] {
            let a = random(m * k, &generator), b = random(n * k, &generator)
            let saved = netrun_max_threads()
            defer { netrun_set_max_threads(saved) }
            var results: [[Float]] = []
            for threads in [1, 2, 3] {
                netrun_set_max_threads(Int32(threads))
                let regions = netrun_last_parallel_report().regions
                var c = [Float](repeating: 0, count: m * n)
                netrun_sgemm(0, 1, m, n, k, 1, a, k, b, k, 0, &c, n)
                results.append(c)
                let report = netrun_last_parallel_report()
                if threads > 1 {
                    XCTAssertGreaterThan(report.regions, regions, "\(threads) threads: the product ran on the pool")
                    XCTAssertEqual(report.allowed, Int32(threads))
                } else {
                    XCTAssertEqual(report.regions, regions, "1 thread: the product ran alone")
                }
            }
            XCTAssertEqual(results[0], results[1], "\(m)×\(n)×\(k)")
            XCTAssertEqual(results[0], results[2], "\(m)×\(n)×\(k)")
        }
    }

    /// The threaded small products (from 4·10⁶ multiply-adds): B packed whole first, then rows
    /// shared out; and the narrow products split by rows (A·Bᵀ) or 16-column groups (Aᵀ·B). One
    /// thread sums each output in a fixed order, so 1, 2 or 3 threads and both vector tiles give
    /// the same bits, with rows read in place (picked by index) or gathered first.
    func testSmallThreadedProductsGiveTheSameBitsOnAnyThreadCountAndTile() {
        let saved = netrun_max_threads(), original = String(cString: netrun_sgemm_kernel_name())
        defer {
            netrun_set_max_threads(saved)
            _ = netrun_sgemm_select_kernel(original)
        }
        let candidates: [String] = ["avx512", "avx2+fma", "portable"]
        let kernels = candidates.filter { netrun_sgemm_select_kernel($0) == 1 }
        var generator = SplitMix64(seed: 19)
        // The MLP's forward, weight gradient and input gradient, and the softmax classifier's two
        // narrow products, each just past the threading threshold.
        let cases: [(transA: Int32, transB: Int32, m: Int, n: Int, k: Int)] = [
            (0, 1, 64, 100, 800), (1, 0, 100, 90, 640), (0, 0, 64, 90, 1000), (0, 1, 200, 10, 3000), (1, 0, 10, 3000, 200),
        ]
        for (transA, transB, m, n, k) in cases {
            let shape = "\(transA)\(transB) \(m)×\(n)×\(k)"
            let lda = transA == 1 ? m : k, ldb = transB == 1 ? k : n
            let storedA = (transA == 1 ? k : m) + 5, storedB = (transB == 1 ? n : k) + 5
            let a = random(storedA * lda, &generator), b = random(storedB * ldb, &generator)
            let pickA = (0..<storedA - 5).map { ($0 * 7 + 3) % storedA }
            let pickB = (0..<storedB - 5).map { ($0 * 11 + 2) % storedB }
            let gatheredA = pickA.flatMap { a[$0 * lda..<($0 + 1) * lda] }
            let gatheredB = pickB.flatMap { b[$0 * ldb..<($0 + 1) * ldb] }
            var vectorResult: [Float]?
            for kernel in kernels {
                _ = netrun_sgemm_select_kernel(kernel)
                var first: [Float]?
                for threads in [1, 2, 3] {
                    netrun_set_max_threads(Int32(threads))
                    let regions = netrun_last_parallel_report().regions
                    var gathered = [Float](repeating: .nan, count: m * n), picked = gathered
                    netrun_sgemm(transA, transB, m, n, k, 1, gatheredA, lda, gatheredB, ldb, 0, &gathered, n)
                    if threads > 1 {
                        XCTAssertGreaterThan(netrun_last_parallel_report().regions, regions, "\(shape): ran on the pool")
                    }
                    netrun_sgemm_rows(transA, transB, m, n, k, 1, a, lda, pickA, b, ldb, pickB, 0, &picked, n)
                    XCTAssertEqual(gathered, picked, "\(shape) \(kernel) \(threads) threads: rows picked by index")
                    if let first { XCTAssertEqual(first, gathered, "\(shape) \(kernel) \(threads) threads") }
                    first = first ?? gathered
                }
                if kernel == "portable" { continue }
                if let vectorResult { XCTAssertEqual(vectorResult, first, "\(shape): AVX2 and AVX-512 bits") }
                vectorResult = vectorResult ?? first
            }
            netrun_set_max_threads(2)
            _ = netrun_sgemm_select_kernel(original)
            check(transA: transA == 1, transB: transB == 1, m: m, n: n, k: k, alpha: 1, beta: 1, generator: &generator)
        }
    }

    /// The pool keeps the workers a higher cap started; a lower cap afterwards (a sweep's trials
    /// side by side) must still hold, for the pool's own jobs and for a threaded product.
    func testLoweredThreadCapHoldsAfterThePoolGrew() {
        let saved = ComputeThreads.limit
        defer { ComputeThreads.limit = saved }
        ComputeThreads.limit = 4
        ComputeThreads.parallelFor(16) { _ in }
        XCTAssertEqual(netrun_last_parallel_report().allowed, 4)

        ComputeThreads.limit = 2
        let counter = Counter()
        ComputeThreads.parallelFor(64) { _ in counter.add() }
        XCTAssertEqual(counter.value, 64)
        var report = netrun_last_parallel_report()
        XCTAssertEqual(report.allowed, 2, "3 workers exist, but the cap is 2 threads")
        XCTAssertLessThanOrEqual(report.participants, 2)
        XCTAssertGreaterThanOrEqual(report.participants, 1)

        // A product above the threading threshold, under the lowered cap, against Float64.
        let regions = report.regions
        var generator = SplitMix64(seed: 18)
        check(transA: false, transB: true, m: 160, n: 250, k: 500, generator: &generator)
        report = netrun_last_parallel_report()
        XCTAssertGreaterThan(report.regions, regions, "the product was split across threads")
        XCTAssertEqual(report.allowed, 2)
        XCTAssertLessThanOrEqual(report.participants, 2)
    }

    /// `NETRUN_KERNEL=portable swift test` (as .ci/run does) runs the plain-C tile on any CPU.
    func testKernelNamedByNETRUN_KERNELIsInEffect() throws {
        guard let forced = ProcessInfo.processInfo.environment["NETRUN_KERNEL"] else {
            throw XCTSkip("NETRUN_KERNEL is not set")
        }
        XCTAssertEqual(ComputeThreads.kernel, forced)
    }

    func testDenseFloatPathMatchesPlainLoops() {
        var generator = SplitMix64(seed: 14)
        for (n, c, oc) in [(1, 1, 1), (3, 5, 7), (128, 784, 100), (200, 77, 10), (17, 33, 65)] {
            let inp = Matrix(rows: n, cols: c, values: random(n * c, &generator))
            let weight = Matrix(rows: oc, cols: c, values: random(oc * c, &generator))
            let bias = Matrix(rows: 1, cols: oc, values: random(oc, &generator))
            let dout = Matrix(rows: n, cols: oc, values: random(n * oc, &generator))
            let fast = Matrix<Float>(rows: n, cols: oc), plain = Matrix<Float>(rows: n, cols: oc)
            matmulForward(fast, inp, weight, bias)
            matmulForwardReference(plain, inp, weight, bias)
            assertClose(fast, plain, "forward \(n)×\(c)→\(oc)")

            // Gradients accumulate: start both from the same non-zero values.
            let start = random(oc * c, &generator), biasStart = random(oc, &generator)
            let grads = (0..<2).map { _ in
                (Matrix<Float>(rows: n, cols: c), Matrix(rows: oc, cols: c, values: start),
                 Matrix(rows: 1, cols: oc, values: biasStart))
            }
            matmulBackward(grads[0].0, grads[0].1, grads[0].2, dout, inp, weight)
            matmulBackwardReference(grads[1].0, grads[1].1, grads[1].2, dout, inp, weight)
            assertClose(grads[0].0, grads[1].0, "dinp \(n)×\(c)→\(oc)")
            assertClose(grads[0].1, grads[1].1, "dweight \(n)×\(c)→\(oc)")
            assertClose(grads[0].2, grads[1].2, "dbias \(n)×\(c)→\(oc)")
        }
    }

    func testRowSelectionMultipliesExactlyLikeTheGatheredRows() {
        var generator = SplitMix64(seed: 16)
        for (rows, c, oc) in [(50, 33, 10), (50, 784, 100), (9, 5, 3)] {
            let data = Matrix(rows: rows, cols: c, values: random(rows * c, &generator))
            let picked = [7, 3, 3, 0, rows - 1, 12 % rows, 5]
            let gathered = Matrix<Float>(rows: 0, cols: c)
            gatherRows(gathered, from: data, picked[...])
            let selection = Matrix<Float>(selectingRowsOf: c)
            selection.select(picked[...], of: data)
            XCTAssertEqual(selection.rows, picked.count)

            let weight = Matrix(rows: oc, cols: c, values: random(oc * c, &generator))
            let bias = Matrix(rows: 1, cols: oc, values: random(oc, &generator))
            let outA = Matrix<Float>(rows: picked.count, cols: oc), outB = Matrix<Float>(rows: picked.count, cols: oc)
            matmulForward(outA, gathered, weight, bias)
            matmulForward(outB, selection, weight, bias)
            XCTAssertEqual(outA.values, outB.values, "forward \(rows)×\(c)→\(oc)")

            let dout = Matrix(rows: picked.count, cols: oc, values: random(picked.count * oc, &generator))
            let dwA = Matrix<Float>(rows: oc, cols: c), dwB = Matrix<Float>(rows: oc, cols: c)
            matmulBackward(nil, dwA, nil, dout, gathered, weight)
            matmulBackward(nil, dwB, nil, dout, selection, weight)
            XCTAssertEqual(dwA.values, dwB.values, "dweight \(rows)×\(c)→\(oc)")
        }
    }

    /// The narrow A·Bᵀ product (a 10-class output layer, a softmax classifier) sums each output in
    /// one fixed order, spelled out here: per 512-deep block, eight lanes of fused multiply-adds
    /// over the block's multiples of 8, the lanes summed as halves, pairs, then the two left,
    /// the block's last k mod 8 terms fused one at a time, and the block added into C. Runs of a
    /// 10-class model give the numbers they gave before its loops were reordered for memory.
    func testNarrowProductSumsInItsDocumentedOrder() throws {
        try XCTSkipIf(ComputeThreads.kernel == "portable", "the portable tile has no narrow products")
        var generator = SplitMix64(seed: 41)
        for (m, n, k) in [(7, 10, 1100), (2, 3, 515), (1, 12, 9)] {
            let a = random(m * k, &generator), b = random(n * k, &generator)
            var c = [Float](repeating: .nan, count: m * n)
            netrun_sgemm(0, 1, m, n, k, 1, a, k, b, k, 0, &c, n)
            for i in 0..<m {
                for j in 0..<n {
                    var out: Float = 0
                    for start in stride(from: 0, to: k, by: 512) {
                        let end = min(start + 512, k), whole = start + (end - start) / 8 * 8
                        var lanes = [Float](repeating: 0, count: 8)
                        for p in stride(from: start, to: whole, by: 8) {
                            for l in 0..<8 { lanes[l] = lanes[l].addingProduct(a[i * k + p + l], b[j * k + p + l]) }
                        }
                        let half = (0..<4).map { lanes[$0] + lanes[$0 + 4] }
                        var sum = (half[0] + half[2]) + (half[1] + half[3])
                        for p in whole..<end { sum = sum.addingProduct(a[i * k + p], b[j * k + p]) }
                        out = start == 0 ? sum : sum + out
                    }
                    XCTAssertEqual(c[i * n + j].bitPattern, out.bitPattern, "\(m)×\(n)×\(k) at (\(i), \(j))")
                }
            }
        }
    }

    func testKernelIsNamed() {
        let name = String(cString: netrun_sgemm_kernel_name())
        XCTAssertTrue(["avx512", "avx2+fma", "portable"].contains(name), name)
    }

    /// A count that tasks on several threads add to.
    private final class Counter: @unchecked Sendable {  // every access holds `lock`
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    private func assertClose(_ a: Matrix<Float>, _ b: Matrix<Float>, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let worst = zip(a.values, b.values).map { abs($0 - $1) / max(abs($0), abs($1), 1) }.max() ?? 0
        XCTAssertLessThan(worst, 2e-5, what, file: file, line: line)
    }
}
