// Measures the core clock and the float32 multiply-add throughput, for stating a benchmark's
// peak: /proc/cpuinfo on virtual machines reports the nominal clock, not the boost clock the cores
// actually run at, and a CPU's features do not say how wide its FMA units are (Zen 4 runs
// AVX-512 on 256-bit units, two passes per instruction; a Xeon with two 512-bit units does not).
#include "netrun_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <time.h>

// The thread's own CPU time: on a busy machine the time it spends descheduled is not counted.
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
#endif

double netrun_measure_clock_ghz(void) {
#if defined(__x86_64__)
    // A chain of dependent integer adds retires one add per cycle on every x86-64 core since the
    // Pentium 4; the loop's own counter and branch run alongside on other ports.
    const long iterations = 20000000;
    double best = 1e30;
    for (int attempt = 0; attempt < 5; attempt++) {
        unsigned long x = 0, y = 1;
        double start = now();
        for (long i = 0; i < iterations; i++) {
            __asm__ volatile("add %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\t"
                             "add %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\tadd %1, %0"
                             : "+r"(x) : "r"(y));
        }
        double elapsed = now() - start;
        if (elapsed < best) best = elapsed;
    }
    return 8.0 * (double)iterations / best / 1e9;
#else
    return 0;
#endif
}

#if defined(__x86_64__)
// Twelve independent chains of FMAs: more than latency × units on any x86 core, so the loop
// runs at the units' throughput. Each returns the best seconds per loop of `iterations`.
#define FMA_LOOP(type, fma, set1, lanes) \
    type x0 = set1(1.0f), x1 = set1(1.1f), x2 = set1(1.2f), x3 = set1(1.3f), x4 = set1(1.4f), x5 = set1(1.5f); \
    type x6 = set1(1.6f), x7 = set1(1.7f), x8 = set1(1.8f), x9 = set1(1.9f), x10 = set1(2.0f), x11 = set1(2.1f); \
    const type a = set1(0.999999f), b = set1(1e-7f); \
    double best = 1e30; \
    for (int attempt = 0; attempt < 3; attempt++) { \
        double start = now(); \
        for (long i = 0; i < iterations; i++) { \
            x0 = fma(x0, a, b); x1 = fma(x1, a, b); x2 = fma(x2, a, b); x3 = fma(x3, a, b); \
            x4 = fma(x4, a, b); x5 = fma(x5, a, b); x6 = fma(x6, a, b); x7 = fma(x7, a, b); \
            x8 = fma(x8, a, b); x9 = fma(x9, a, b); x10 = fma(x10, a, b); x11 = fma(x11, a, b); \
            __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5)); \
            __asm__ volatile("" : "+x"(x6), "+x"(x7), "+x"(x8), "+x"(x9), "+x"(x10), "+x"(x11)); \
        } \
        double elapsed = now() - start; \
        if (elapsed < best) best = elapsed; \
    } \
    volatile float sink = ((float *)&x0)[0] + ((float *)&x11)[0]; (void)sink; \
    return 12.0 * 2 * lanes * (double)iterations / best;

__attribute__((target("avx2,fma")))
static double fma256_flops(long iterations) { FMA_LOOP(__m256, _mm256_fmadd_ps, _mm256_set1_ps, 8) }

__attribute__((target("avx512f")))
static double fma512_flops(long iterations) { FMA_LOOP(__m512, _mm512_fmadd_ps, _mm512_set1_ps, 16) }
#endif

double netrun_measure_fma_flops_per_cycle(double clock_ghz) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (clock_ghz <= 0 || !__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return 0;
    const long iterations = 2000000;
    double best = fma256_flops(iterations);
    if (__builtin_cpu_supports("avx512f")) {
        double wide = fma512_flops(iterations);
        if (wide > best) best = wide;
    }
    // Rounded to the power of two it approaches (16, 32 or 64 flops per cycle): the measured rate
    // lies a little below the units' true one.
    double per_cycle = best / (clock_ghz * 1e9), rounded = 8;
    while (rounded * 1.5 < per_cycle) rounded *= 2;
    return rounded;
#else
    (void)clock_ghz;
    return 0;
#endif
}
