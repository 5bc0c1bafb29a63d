import NetrunKernels

/// How many threads one large matrix product may use: the online cores by default (capped by
/// the `NETRUN_THREADS` environment variable). Work that already runs one task per core — a
/// sweep's parallel trials — lowers it so products do not fight each other for the cores.
public enum ComputeThreads {
    public static var limit: Int {
        get { Int(netrun_max_threads()) }
        set { netrun_set_max_threads(Int32(clamping: newValue)) }
    }

    /// The register tile the matrix product uses on this CPU: `avx512`, `avx2+fma` or `portable`.
    public static var kernel: String { String(cString: netrun_sgemm_kernel_name()) }
}

extension ComputeThreads {
    /// Runs `body(i)` for i in 0..<count on up to `limit` threads (the caller's among them) of the
    /// kernels' sleeping pool, returning when all are done; in order on the caller's thread when
    /// the limit is 1 or the pool is busy.
    public static func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let box = Unmanaged.passRetained(TaskBox(body))
            defer { box.release() }
            netrun_parallel_for(netrun_max_threads(), count, { context, index in
                Unmanaged<TaskBox>.fromOpaque(context!).takeUnretainedValue().body(index)
            }, box.toOpaque())
        }
    }

    /// `parallelFor` for work kept in an object rather than a closure, which allocates nothing:
    /// handing a closure to the pool's threads copies its context to the heap (a training step
    /// runs this every time).
    public static func parallelFor(_ count: Int, _ task: any ParallelTask) {
        withUnsafePointer(to: task) { task in
            netrun_parallel_for(netrun_max_threads(), count, { context, index in
                context!.assumingMemoryBound(to: (any ParallelTask).self).pointee.run(part: index)
            }, UnsafeMutableRawPointer(mutating: task))
        }
    }

    private final class TaskBox {
        let body: (Int) -> Void
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }
}

/// Work in parts that `ComputeThreads.parallelFor(_:_:)` runs on the pool's threads.
public protocol ParallelTask: AnyObject {
    func run(part: Int)
}
