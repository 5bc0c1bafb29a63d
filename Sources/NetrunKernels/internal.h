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
/// Packs MR whole rows (row stride lda, kc columns) step-major: ap[p·MR + i] = a[i·lda + p].
/// The AVX2 version writes up to NETRUN_PACK_SLACK floats past the panel.
typedef void (*netrun_pack_fn)(long kc, const float *a, long lda, float *ap);
void netrun_pack_rows6_portable(long kc, const float *a, long lda, float *ap);
void netrun_pack_rows6_avx2(long kc, const float *a, long lda, float *ap);
/// Packs NR whole rows step-major: bp[p·NR + j] = b[j·ldb + p]; bp is 32-byte aligned.
void netrun_pack_rows16_portable(long kc, const float *b, long ldb, float *bp);
void netrun_pack_rows16_avx2(long kc, const float *b, long ldb, float *bp);
#define NETRUN_PACK_SLACK 8

/// Whether this CPU runs netrun_tile_avx2.
int netrun_cpu_has_avx2_fma(void);

#endif
