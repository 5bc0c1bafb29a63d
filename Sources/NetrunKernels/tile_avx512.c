// The 6×32 register tile with AVX-512: 12 zmm accumulators, the same shape as the AVX2 tile at
// twice the width, for CPUs with 512-bit FMA units (Xeon since Skylake-SP, Zen 4 and later),
// where it doubles the multiply-adds per instruction. B is packed 32 wide for it.
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

int netrun_cpu_has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && netrun_cpu_has_avx2_fma();
}

#define ROW_FMA(i) do { \
        __m512 a = _mm512_set1_ps(ap[i]); \
        c##i##0 = _mm512_fmadd_ps(a, b0, c##i##0); \
        c##i##1 = _mm512_fmadd_ps(a, b1, c##i##1); \
    } while (0)

// alpha = 1 (every product training makes) skips the multiply: 1·x is x, bit for bit.
#define ROW_STORE(i) do { \
        float *row = c + (i) * ldc; \
        __m512 r0 = unit ? c##i##0 : _mm512_mul_ps(va, c##i##0), r1 = unit ? c##i##1 : _mm512_mul_ps(va, c##i##1); \
        if (beta != 0) { \
            r0 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(row), r0); \
            r1 = _mm512_fmadd_ps(vb, _mm512_loadu_ps(row + 16), r1); \
        } \
        _mm512_storeu_ps(row, r0); \
        _mm512_storeu_ps(row + 16, r1); \
    } while (0)

__attribute__((target("avx512f,avx2,fma")))
void netrun_tile_avx512(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
    __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
    __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
    __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    for (int i = 0; i < NETRUN_MR; i++) {
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 31), _MM_HINT_T0);
    }
#pragma clang loop unroll_count(4)
    for (long p = 0; p < kc; p++) {
        __m512 b0 = _mm512_load_ps(bp), b1 = _mm512_load_ps(bp + 16);
        ROW_FMA(0); ROW_FMA(1); ROW_FMA(2); ROW_FMA(3); ROW_FMA(4); ROW_FMA(5);
        ap += NETRUN_MR;
        bp += NETRUN_NR_WIDE;
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    const int unit = alpha == 1;
    ROW_STORE(0); ROW_STORE(1); ROW_STORE(2); ROW_STORE(3); ROW_STORE(4); ROW_STORE(5);
}

// The first 16 columns only, for a last panel at most 16 wide.
__attribute__((target("avx512f,avx2,fma")))
void netrun_tile_avx512_narrow(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    __m512 acc[NETRUN_MR];
    for (int i = 0; i < NETRUN_MR; i++) acc[i] = _mm512_setzero_ps();
#pragma clang loop unroll_count(4)
    for (long p = 0; p < kc; p++) {
        __m512 b = _mm512_load_ps(bp);
        for (int i = 0; i < NETRUN_MR; i++) acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(ap[i]), b, acc[i]);
        ap += NETRUN_MR;
        bp += NETRUN_NR_WIDE;
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int i = 0; i < NETRUN_MR; i++) {
        __m512 r = alpha == 1 ? acc[i] : _mm512_mul_ps(va, acc[i]);
        if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c + i * ldc), r);
        _mm512_storeu_ps(c + i * ldc, r);
    }
}

#else

int netrun_cpu_has_avx512(void) { return 0; }
void netrun_tile_avx512(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {}
void netrun_tile_avx512_narrow(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {}

#endif
