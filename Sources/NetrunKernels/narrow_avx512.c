// The narrow Aᵀ·B product of narrow_avx2.c (a weight gradient with few outputs) with 512-bit
// vectors, for CPUs with AVX-512: 16 columns per instruction. Each output is still summed down
// the depth one step at a time, so the bits equal the AVX2 version's. (The A·Bᵀ product gains
// nothing from the width: it waits on memory, so it stays with AVX2, whose lane sums it keeps.)
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

__attribute__((target("avx512f,avx2,fma"), always_inline))
static inline void narrow_tn(const int M, long n, long k, float alpha, const float *a, long lda, const long *a_rows,
                             const float *b, long ldb, const long *b_rows, float beta, float *c, long ldc) {
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (long j = 0; j < n; j += 16) {
        long width = n - j < 16 ? n - j : 16;
        __mmask16 mask = (__mmask16)((1u << width) - 1);
        __m512 acc[12];
        for (int i = 0; i < M; i++) acc[i] = _mm512_setzero_ps();
        for (long p = 0; p < k; p++) {
            const float *brow = netrun_row(b, ldb, b_rows, p) + j, *arow = netrun_row(a, lda, a_rows, p);
            if (j + 80 <= n) _mm_prefetch((const char *)(brow + 64), _MM_HINT_T0);
            __m512 x = _mm512_maskz_loadu_ps(mask, brow);
            for (int i = 0; i < M; i++) acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(arow[i]), x, acc[i]);
        }
        for (int i = 0; i < M; i++) {
            float *out = c + i * ldc + j;
            __m512 r = alpha == 1 ? acc[i] : _mm512_mul_ps(va, acc[i]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask, out), r);
            _mm512_mask_storeu_ps(out, mask, r);
        }
    }
}

#define CASES(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)

__attribute__((target("avx512f,avx2,fma")))
int netrun_narrow_avx512(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                         float beta, float *c, long ldc) {
    if (trans_a && !trans_b && m <= NETRUN_NARROW) {
        switch (m) {
#define TN_CASE(M) case M: narrow_tn(M, n, k, alpha, a, lda, a_rows, b, ldb, b_rows, beta, c, ldc); return 1;
        CASES(TN_CASE)
        }
    }
    return 0;
}

#else

int netrun_narrow_avx512(int trans_a, int trans_b, long m, long n, long k, float alpha,
                         const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                         float beta, float *c, long ldc) {
    return 0;
}

#endif
