import NetrunKernels

/// How many threads one large matrix product may use: the online cores by default (capped by
/// the `NETRUN_THREADS` environment variable). Work that already runs one task per core — a
/// sweep's parallel trials — lowers it so products do not fight each other for the cores.
public enum ComputeThreads {
    public static var limit: Int {
        get { Int(netrun_max_threads()) }
        set { netrun_set_max_threads(Int32(clamping: newValue)) }
    }

    /// The register tile the matrix product uses on this CPU: `avx2+fma` or `portable`.
    public static var kernel: String { String(cString: netrun_sgemm_kernel_name()) }
}
