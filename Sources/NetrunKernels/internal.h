// Shared between the GEMM driver, its register tiles and the thread pool.
#ifndef NETRUN_KERNELS_INTERNAL_H
#define NETRUN_KERNELS_INTERNAL_H

// Register tile: MR rows × NR columns of C kept in 12 ymm registers.
#define NETRUN_MR 6
#define NETRUN_NR 16
// The AVX-512 tile's width: B is packed in panels of 32 for it.
#define NETRUN_NR_WIDE 32

/// C tile (MR×NR, row stride ldc) = alpha · Σₚ ap[p]ᵀ bp[p] + beta · C, over kc packed steps:
/// ap holds MR values per step, bp NR values per step. beta == 0 never reads C.
typedef void (*netrun_tile_fn)(long kc, const float *ap, const float *bp, float *c, long ldc,
                               float alpha, float beta);

void netrun_tile_portable(long kc, const float *ap, const float *bp, float *c, long ldc,
                          float alpha, float beta);
void netrun_tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc,
                      float alpha, float beta);
/// The first 8 columns of netrun_tile_avx2's result (C is written 8 wide).
void netrun_tile_avx2_narrow(long kc, const float *ap, const float *bp, float *c, long ldc,
                             float alpha, float beta);
/// Packs MR rows (each already offset to the first column) step-major: ap[p·MR + i] = rows[i][p].
/// The AVX2 version writes up to NETRUN_PACK_SLACK floats past the panel.
typedef void (*netrun_pack_fn)(long kc, const float *const *rows, float *ap);
void netrun_pack_rows6_portable(long kc, const float *const *rows, float *ap);
void netrun_pack_rows6_avx2(long kc, const float *const *rows, float *ap);
/// Packs 16 rows step-major into a panel `stride` wide: bp[p·stride + j] = rows[j][p]; bp is
/// 32-byte aligned.
typedef void (*netrun_pack_panel_fn)(long kc, const float *const *rows, float *bp, long stride);
void netrun_pack_rows16_portable(long kc, const float *const *rows, float *bp, long stride);
void netrun_pack_rows16_avx2(long kc, const float *const *rows, float *bp, long stride);
#define NETRUN_PACK_SLACK 8

/// Widest output side the unpacked narrow products handle.
#define NETRUN_NARROW 12
/// Computes C without packing when op(B) is A·Bᵀ with n ≤ NETRUN_NARROW, or Aᵀ·B with
/// m ≤ NETRUN_NARROW; returns 0, touching nothing, for any other shape.
int netrun_narrow_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                       float beta, float *c, long ldc);

/// netrun_narrow_avx2's Aᵀ·B case with AVX-512 (0 for every other shape).
int netrun_narrow_avx512(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                         float beta, float *c, long ldc);

/// Row r of a stored operand: r itself, or rows[r] when the operand's rows are picked by index.
static inline const float *netrun_row(const float *base, long ld, const long *rows, long r) {
    return base + (rows ? rows[r] : r) * ld;
}

void netrun_tile_avx512(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta);
void netrun_tile_avx512_narrow(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta);
/// The first 8 columns of netrun_tile_avx512's result, with 256-bit vectors (B still 32 wide).
void netrun_tile_avx512_quarter(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta);
/// Whether this CPU runs netrun_tile_avx512.
int netrun_cpu_has_avx512(void);

/// Whether this CPU runs netrun_tile_avx2.
int netrun_cpu_has_avx2_fma(void);

#endif
