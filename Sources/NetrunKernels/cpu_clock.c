// Measures the core clock, for stating a benchmark's peak: /proc/cpuinfo on virtual machines
// reports the nominal clock, not the boost clock the cores actually run at.
#include "netrun_kernels.h"

#if defined(__x86_64__)
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
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
