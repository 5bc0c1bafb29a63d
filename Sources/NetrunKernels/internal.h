// Shared between the GEMM driver, its register tiles and the thread pool.
#ifndef NETRUN_KERNELS_INTERNAL_H
#define NETRUN_KERNELS_INTERNAL_H

// Register tile: MR rows × NR columns of C kept in 12 ymm registers.
#define NETRUN_MR 6
#define NETRUN_NR 16

/// C tile (MR×NR, row stride ldc) = alpha · Σₚ ap[p]ᵀ bp[p] + beta · C, over kc packed steps:
/// ap holds MR values per step, bp NR values per step. beta == 0 never reads C.
typedef void (*netrun_tile_fn)(long kc, const float *ap, const float *bp, float *c, long ldc,
                               float alpha, float beta);

void netrun_tile_portable(long kc, const float *ap, const float *bp, float *c, long ldc,
                          float alpha, float beta);
void netrun_tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc,
                      float alpha, float beta);
/// Whether this CPU runs netrun_tile_avx2.
int netrun_cpu_has_avx2_fma(void);

/// Runs task(context, i) for i in 0..<count, on the calling thread and up to threads − 1 pool
/// workers. Returns when all are done. Work is claimed one task at a time, so a worker that is
/// slow to wake (another process holds its core) just leaves its share to the caller.
void netrun_parallel_for(int threads, long count, void (*task)(void *context, long i), void *context);

#endif
