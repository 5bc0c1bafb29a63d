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

#define ROW_STORE(i) do { \
        float *row = c + (i) * ldc; \
        __m256 r0 = _mm256_mul_ps(va, c##i##0), r1 = _mm256_mul_ps(va, c##i##1); \
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
    ROW_STORE(0); ROW_STORE(1); ROW_STORE(2); ROW_STORE(3); ROW_STORE(4); ROW_STORE(5);
}

#else

int netrun_cpu_has_avx2_fma(void) { return 0; }

void netrun_tile_avx2(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    netrun_tile_portable(kc, ap, bp, c, ldc, alpha, beta);
}

#endif
