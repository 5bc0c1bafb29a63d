// Products with one side at most 12 wide — a layer with few outputs, such as a 10-class softmax
// classifier — computed straight from the operands, without packing. Packing pays for itself
// when each packed value feeds many tiles; here each value of the wide operand feeds only the
// few outputs, so copying it costs as much as the arithmetic. Outputs stay in registers over the
// whole depth; the width is a compile-time constant in each case of a switch, so they can.
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline float sum8(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

static inline float finish(float value, float alpha, float beta, const float *c) {
    return beta != 0 ? alpha * value + beta * *c : alpha * value;
}

// Columns J0..<J0+NJ of R rows of C (m×N) = alpha · A (m×k) · B (N×k)ᵀ + beta · C. Two rows
// share each load of B, halving the traffic from L2, where B's rows live.
__attribute__((target("avx2,fma"), always_inline))
static inline void narrow_nt_block(const int R, const int J0, const int NJ, long k, float alpha,
                                   const float *const *arow, const float *const *brow, const float *const *next,
                                   float beta, float *c, long ldc) {
    __m256 acc[2][6];
    for (int r = 0; r < R; r++)
        for (int j = 0; j < NJ; j++) acc[r][j] = _mm256_setzero_ps();
    long p = 0;
    for (; p + 8 <= k; p += 8) {
        __m256 x[2];
        // A cache line of each of the next two rows every 16 values (see narrow_nt).
        if (next && !(p & 15))
            for (int r = 0; r < 2; r++)
                if (next[r]) _mm_prefetch((const char *)(next[r] + p), _MM_HINT_T1);
        for (int r = 0; r < R; r++) x[r] = _mm256_loadu_ps(arow[r] + p);
        for (int j = 0; j < NJ; j++) {
            __m256 y = _mm256_loadu_ps(brow[J0 + j] + p);
            for (int r = 0; r < R; r++) acc[r][j] = _mm256_fmadd_ps(x[r], y, acc[r][j]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int j = 0; j < NJ; j++) {
            float sum = sum8(acc[r][j]);
            // The last k mod 8 steps one at a time after the lane sum. (Taking them as one masked
            // FMA into the lanes was 60% faster at 128×10×100, but it sums in another order:
            // every run of a 10-class MLP would have given other numbers than before.)
            for (long q = p; q < k; q++) sum += arow[r][q] * brow[J0 + j][q];
            float *out = c + r * ldc + J0 + j;
            *out = finish(sum, alpha, beta, out);
        }
}

enum { NARROW_DEPTH = 512 };

// C (m×N) = alpha · A (m×k) · B (N×k)ᵀ + beta · C: rows of A in pairs against B's N rows, in
// two column groups of at most 6 so the sums fit the 16 registers. Depth in blocks of
// NARROW_DEPTH, so the block of B's N rows (20 KiB at N = 10) stays in L1 while A passes it; each
// block's sums are added into C. Two orders, with the same sums into each element of C:
//
// - k ≤ NARROW_DEPTH (one block; a 10-class layer after a hidden one): the pairs in turn.
// - Deeper (a classifier on 3072 pixels): each pair runs through all its blocks while the next
//   pair is fetched into L2 a cache line at a time, so A is read once, row by row from start to
//   end. Its rows are scattered through a data set too large for the caches when a batch picks
//   them by index, which the hardware prefetcher does not follow. (Every row's first block before
//   any row's second read A in 2 KiB pieces: 15-20% slower on a random batch of 200 rows from a
//   600 MB set, 30-40% on a pass over a whole set.) For one block the fetching only costs: a
//   128×10×100 product was 40% slower with it.
__attribute__((target("avx2,fma"), always_inline))
static inline void narrow_nt(const int N, long m, long k, float alpha, const float *a, long lda, const long *a_rows,
                             const float *b, long ldb, const long *b_rows, float beta, float *c, long ldc) {
    const int first = (N + 1) / 2, second = N - first;
    if (k <= NARROW_DEPTH) {
        const float *brow[12];
        for (int j = 0; j < N; j++) brow[j] = netrun_row(b, ldb, b_rows, j);
        for (long i = 0; i < m; i += 2) {
            const float *arow[2] = { netrun_row(a, lda, a_rows, i),
                                     i + 1 < m ? netrun_row(a, lda, a_rows, i + 1) : NULL };
            if (i + 1 < m) {
                narrow_nt_block(2, 0, first, k, alpha, arow, brow, NULL, beta, c + i * ldc, ldc);
                if (second) narrow_nt_block(2, first, second, k, alpha, arow, brow, NULL, beta, c + i * ldc, ldc);
            } else {
                narrow_nt_block(1, 0, first, k, alpha, arow, brow, NULL, beta, c + i * ldc, ldc);
                if (second) narrow_nt_block(1, first, second, k, alpha, arow, brow, NULL, beta, c + i * ldc, ldc);
            }
        }
        return;
    }
    const float *bstart[12];
    for (int j = 0; j < N; j++) bstart[j] = netrun_row(b, ldb, b_rows, j);
    for (long i = 0; i < m; i += 2) {
        const int pair = i + 1 < m;
        const float *a0 = netrun_row(a, lda, a_rows, i), *a1 = pair ? netrun_row(a, lda, a_rows, i + 1) : NULL;
        const float *n0 = i + 2 < m ? netrun_row(a, lda, a_rows, i + 2) : NULL;
        const float *n1 = i + 3 < m ? netrun_row(a, lda, a_rows, i + 3) : NULL;
        for (long p0 = 0; p0 < k; p0 += NARROW_DEPTH) {
            long kb = k - p0 < NARROW_DEPTH ? k - p0 : NARROW_DEPTH;
            float block_beta = p0 == 0 ? beta : 1;
            const float *brow[12];
            for (int j = 0; j < N; j++) brow[j] = bstart[j] + p0;
            const float *arow[2] = { a0 + p0, pair ? a1 + p0 : NULL };
            const float *next[2] = { n0 ? n0 + p0 : NULL, n1 ? n1 + p0 : NULL };
            if (pair) {
                narrow_nt_block(2, 0, first, kb, alpha, arow, brow, next, block_beta, c + i * ldc, ldc);
                if (second) narrow_nt_block(2, first, second, kb, alpha, arow, brow, NULL, block_beta, c + i * ldc, ldc);
            } else {
                narrow_nt_block(1, 0, first, kb, alpha, arow, brow, next, block_beta, c + i * ldc, ldc);
                if (second) narrow_nt_block(1, first, second, kb, alpha, arow, brow, NULL, block_beta, c + i * ldc, ldc);
            }
        }
    }
}

// C (M×n) = alpha · A (k×M)ᵀ · B (k×n) + beta · C: for each 8 columns of B, every row of B
// scaled by the M values of A's row, summed down the depth.
__attribute__((target("avx2,fma"), always_inline))
static inline void narrow_tn(const int M, long n, long k, float alpha, const float *a, long lda, const long *a_rows,
                             const float *b, long ldb, const long *b_rows, float beta, float *c, long ldc) {
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (long j = 0; j < n; j += 8) {
        long width = n - j < 8 ? n - j : 8;
        // Lanes past the last column are neither read nor written.
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)width), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 acc[12];
        for (int i = 0; i < M; i++) acc[i] = _mm256_setzero_ps();
        for (long p = 0; p < k; p++) {
            const float *brow = netrun_row(b, ldb, b_rows, p) + j, *arow = netrun_row(a, lda, a_rows, p);
            // Each of the k rows is walked 8 columns at a time, too many streams for the
            // hardware prefetcher to follow: fetch 4 cache lines ahead on every row.
            if (j + 72 <= n) _mm_prefetch((const char *)(brow + 64), _MM_HINT_T0);
            __m256 x = width == 8 ? _mm256_loadu_ps(brow) : _mm256_maskload_ps(brow, mask);
            for (int i = 0; i < M; i++) acc[i] = _mm256_fmadd_ps(_mm256_broadcast_ss(arow + i), x, acc[i]);
        }
        for (int i = 0; i < M; i++) {
            float *out = c + i * ldc + j;
            __m256 r = alpha == 1 ? acc[i] : _mm256_mul_ps(va, acc[i]);
            if (width == 8) {
                if (beta != 0) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(out), r);
                _mm256_storeu_ps(out, r);
            } else {
                if (beta != 0) r = _mm256_fmadd_ps(vb, _mm256_maskload_ps(out, mask), r);
                _mm256_maskstore_ps(out, mask, r);
            }
        }
    }
}

#define CASES(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)

__attribute__((target("avx2,fma")))
int netrun_narrow_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                       float beta, float *c, long ldc) {
    if (!trans_a && trans_b && n <= NETRUN_NARROW) {
        switch (n) {
#define NT_CASE(N) case N: narrow_nt(N, m, k, alpha, a, lda, a_rows, b, ldb, b_rows, beta, c, ldc); return 1;
        CASES(NT_CASE)
        }
    }
    if (trans_a && !trans_b && m <= NETRUN_NARROW) {
        switch (m) {
#define TN_CASE(M) case M: narrow_tn(M, n, k, alpha, a, lda, a_rows, b, ldb, b_rows, beta, c, ldc); return 1;
        CASES(TN_CASE)
        }
    }
    return 0;
}

#else

int netrun_narrow_avx2(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                       float beta, float *c, long ldc) {
    return 0;
}

#endif
