// Fast float32 matrix multiply for netrun: BLIS-style packing, a register tile chosen at run time
// (6×32 AVX-512, 6×16 AVX2/FMA, or portable C), and the cores shared for large products.
#ifndef NETRUN_KERNELS_H
#define NETRUN_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is m×k: A itself (m×k, row
/// stride lda) or, with trans_a, the transpose of A (k×m). Likewise op(B) is k×n. With beta == 0
/// C is only written, so it may hold anything (NaN included) beforehand.
/// Each element of C is summed in the same order whatever the thread count, so results are
/// reproducible run to run.
void netrun_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                  const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);

/// netrun_sgemm with the rows of the stored A and B picked by index: stored row r of A is row
/// a_rows[r] of `a` (likewise for B), or row r itself where the index is NULL. A batch of
/// samples is multiplied where the data set holds it, without being copied out first.
void netrun_sgemm_rows(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                       float beta, float *c, long ldc);

/// The register tile in use: "avx512", "avx2+fma" or "portable". The best this CPU runs, unless
/// the environment variable NETRUN_KERNEL names another it runs (read once, at the first product).
const char *netrun_sgemm_kernel_name(void);

/// Makes later products use the tile named `name` ("avx512", "avx2+fma" or "portable"); returns 0, changing
/// nothing, when this CPU cannot run it. For tests and benchmarks of the fallback.
int netrun_sgemm_select_kernel(const char *name);

/// Threads a large product may use (default: the online cores, capped by NETRUN_THREADS if set).
int netrun_max_threads(void);
/// Sets the thread cap for later calls; 1 makes every product single-threaded.
void netrun_set_max_threads(int threads);

/// Runs task(context, i) for i in 0..<count, on the calling thread and up to threads − 1 pool
/// workers. Returns when all are done. Work is claimed one task at a time, so a worker that is
/// slow to wake (another process holds its core) just leaves its share to the caller.
void netrun_parallel_for(int threads, long count, void (*task)(void *context, long i), void *context);

/// What the latest netrun_parallel_for that used the pool did, for tests of the thread cap:
/// `allowed` threads could take part (the caller among them), `participants` ran at least one
/// task; `regions` counts such calls since the process started.
typedef struct {
    long regions;
    int allowed;
    int participants;
} netrun_parallel_report;
netrun_parallel_report netrun_last_parallel_report(void);

#include <stddef.h>
/// `bytes` of storage, 64-byte aligned (2 MiB aligned, with huge pages requested, from 4 MiB up);
/// NULL when out of memory. Released with netrun_deallocate.
void *netrun_allocate(size_t bytes);
void netrun_deallocate(void *memory);

/// The core clock in GHz, timed with a chain of dependent adds (0 where that is not implemented).
double netrun_measure_clock_ghz(void);
/// Float32 flops per cycle per core that the widest FMA instructions reach, measured at
/// `clock_ghz` and rounded to a power of two (32 for two 256-bit FMA units, as on Zen 4 even with
/// AVX-512; 64 for two 512-bit units); 0 where that is not implemented.
double netrun_measure_fma_flops_per_cycle(double clock_ghz);

#ifdef __cplusplus
}
#endif

#endif
