// The 6×16 register tile in plain C, for CPUs without AVX2/FMA (and other architectures); the
// compiler vectorises the inner loop with whatever the target has.
#include "internal.h"

void netrun_tile_portable(long kc, const float *ap, const float *bp, float *c, long ldc, float alpha, float beta) {
    float acc[NETRUN_MR][NETRUN_NR] = {{0}};
    for (long p = 0; p < kc; p++) {
        for (int i = 0; i < NETRUN_MR; i++) {
            float a = ap[i];
            for (int j = 0; j < NETRUN_NR; j++) acc[i][j] += a * bp[j];
        }
        ap += NETRUN_MR;
        bp += NETRUN_NR;
    }
    for (int i = 0; i < NETRUN_MR; i++) {
        float *row = c + i * ldc;
        for (int j = 0; j < NETRUN_NR; j++)
            row[j] = beta != 0 ? alpha * acc[i][j] + beta * row[j] : alpha * acc[i][j];
    }
}

void netrun_pack_rows6_portable(long kc, const float *const *rows, float *ap) {
    for (long p = 0; p < kc; p++)
        for (int i = 0; i < NETRUN_MR; i++) ap[p * NETRUN_MR + i] = rows[i][p];
}

void netrun_pack_rows16_portable(long kc, const float *const *rows, float *bp, long stride) {
    for (int j = 0; j < NETRUN_NR; j++)
        for (long p = 0; p < kc; p++) bp[p * stride + j] = rows[j][p];
}
