// The 6×16 register tile with AVX2 and FMA: 12 accumulators, 2 B vectors and 1 broadcast A value
// fill 15 of the 16 ymm registers. Compiled for AVX2 by attribute, not by flags, so the package
// builds for any x86-64 and the driver picks this tile only where the CPU has it.
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

int netrun_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#define ROW_FMA(i) do { \
        __m256 a = _mm256_broadcast_ss(ap + (i)); \
        c##i##0 = _mm256_fmadd_ps(a, b0, c##i##0); \
        c##i##1 = _mm256_fmadd_ps(a, b1, c##i##1); \
    } while (0)

// alpha = 1 (every product training makes) skips the multiply: 1·x is x, bit for bit.
#define ROW_STORE(i) do { \
        float *row = c + (i) * ldc; \
        __m256 r0 = unit ? c##i##0 : _mm256_mul_ps(va, c##i##0), r1 = unit ? c##i##1 : _mm256_mul_ps(va, c##i##1); \
        if (beta != 0) { \
            r0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), r0); \
            r1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), r1); \
        } \
        _mm256_storeu_ps(row, r0); \
        _mm256_storeu_ps(row + 8, r1); \
    } while (0)

__attribute__((target("avx2,fma")))
void netrun_tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    // C's rows are a whole row stride apart (8 KiB at n = 2048): fetch them while the sums run.
    for (int i = 0; i < NETRUN_MR; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + NETRUN_NR - 1), _MM_HINT_T0);
    }
#pragma clang loop unroll_count(4)
    for (long p = 0; p < kc; p++) {
        __m256 b0 = _mm256_load_ps(bp), b1 = _mm256_load_ps(bp + 8);
        ROW_FMA(0); ROW_FMA(1); ROW_FMA(2); ROW_FMA(3); ROW_FMA(4); ROW_FMA(5);
        ap += NETRUN_MR;
        bp += NETRUN_NR;
    }
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    const int unit = alpha == 1;
    ROW_STORE(0); ROW_STORE(1); ROW_STORE(2); ROW_STORE(3); ROW_STORE(4); ROW_STORE(5);
}

// The 6×8 tile for a last panel at most 8 columns wide (a layer of 100 outputs ends with 4): half
// the multiply-adds of a 6×16 tile spent on zero padding. B is packed `stride` wide.
__attribute__((target("avx2,fma"), always_inline))
static inline void tile8(long kc, const float *ap, const float *bp, long stride, float *c, long ldc,
                         float alpha, float beta) {
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps();
    __m256 c3 = _mm256_setzero_ps(), c4 = _mm256_setzero_ps(), c5 = _mm256_setzero_ps();
#pragma clang loop unroll_count(4)
    for (long p = 0; p < kc; p++) {
        __m256 b = _mm256_load_ps(bp);
        c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 0), b, c0);
        c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 1), b, c1);
        c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 2), b, c2);
        c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 3), b, c3);
        c4 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 4), b, c4);
        c5 = _mm256_fmadd_ps(_mm256_broadcast_ss(ap + 5), b, c5);
        ap += NETRUN_MR;
        bp += stride;
    }
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    __m256 sums[NETRUN_MR] = { c0, c1, c2, c3, c4, c5 };
    for (int i = 0; i < NETRUN_MR; i++) {
        __m256 r = alpha == 1 ? sums[i] : _mm256_mul_ps(va, sums[i]);
        if (beta != 0) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(c + i * ldc), r);
        _mm256_storeu_ps(c + i * ldc, r);
    }
}

__attribute__((target("avx2,fma")))
void netrun_tile_avx2_narrow(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    tile8(kc, ap, bp, NETRUN_NR, c, ldc, alpha, beta);
}

// The same for the AVX-512 tile's 32-wide panels. Where 512-bit instructions run as two 256-bit
// halves (Zen 4), an 8-wide last panel costs half the cycles of a 16-wide one; elsewhere the
// same. Each output is summed as by every other tile, so the bits do not change.
__attribute__((target("avx2,fma")))
void netrun_tile_avx512_quarter(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    tile8(kc, ap, bp, NETRUN_NR_WIDE, c, ldc, alpha, beta);
}

#else

int netrun_cpu_has_avx2_fma(void) { return 0; }

void netrun_tile_avx2_narrow(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    netrun_tile_portable(kc, ap, bp, c, ldc, alpha, beta);
}

void netrun_tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    netrun_tile_portable(kc, ap, bp, c, ldc, alpha, beta);
}

void netrun_tile_avx512_quarter(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    netrun_tile_portable(kc, ap, bp, c, ldc, alpha, beta);
}

#endif

#if defined(__x86_64__) || defined(_M_X64)

// Transposes 8 rows of 8 floats in registers (the usual unpack/shuffle/permute network).
__attribute__((target("avx2,fma")))
static inline void transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20); r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20); r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31); r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31); r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Packing as 8×8 register transposes: rows of A (or of B stored transposed) are read 8 floats at
// a time and written step-major, instead of one float per cycle through strided stores.

__attribute__((target("avx2,fma")))
void netrun_pack_rows6_avx2(long kc, const float *const *rows, float *ap) {
    long p = 0;
    for (; p + 8 <= kc; p += 8) {
        __m256 r[8];
        for (int i = 0; i < NETRUN_MR; i++) r[i] = _mm256_loadu_ps(rows[i] + p);
        r[6] = r[7] = _mm256_setzero_ps();
        transpose8(r);
        // Each store writes 8 floats for a 6-float step; the next step overwrites the extra 2,
        // and the buffer has room for the last one's (see NETRUN_PACK_SLACK).
        for (int q = 0; q < 8; q++) _mm256_storeu_ps(ap + (p + q) * NETRUN_MR, r[q]);
    }
    for (; p < kc; p++)
        for (int i = 0; i < NETRUN_MR; i++) ap[p * NETRUN_MR + i] = rows[i][p];
}

__attribute__((target("avx2,fma")))
void netrun_pack_rows16_avx2(long kc, const float *const *rows, float *bp, long stride) {
    long p = 0;
    for (; p + 8 <= kc; p += 8) {
        for (int half = 0; half < 2; half++) {
            __m256 r[8];
            for (int j = 0; j < 8; j++) r[j] = _mm256_loadu_ps(rows[half * 8 + j] + p);
            transpose8(r);
            for (int q = 0; q < 8; q++) _mm256_store_ps(bp + (p + q) * stride + half * 8, r[q]);
        }
    }
    for (; p < kc; p++)
        for (int j = 0; j < NETRUN_NR; j++) bp[p * stride + j] = rows[j][p];
}

#else

// Never chosen off x86 (netrun_cpu_has_avx2_fma() is 0); defined so the driver links everywhere.
void netrun_pack_rows6_avx2(long kc, const float *const *rows, float *ap) {
    netrun_pack_rows6_portable(kc, rows, ap);
}

void netrun_pack_rows16_avx2(long kc, const float *const *rows, float *bp, long stride) {
    netrun_pack_rows16_portable(kc, rows, bp, stride);
}

#endif
