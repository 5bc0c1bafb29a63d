// The GEMM driver, after BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
// Instantiating BLAS Functionality"): C is computed in NC-column, KC-deep slices; each slice of
// op(B) is packed once into NR-wide panels that stay in L2/L3, each MC-row block of op(A) into
// MR-tall panels that stay in L2, and the register tile streams both. Packing also absorbs the
// transposes, so one tile serves all four forms.
#include "netrun_kernels.h"
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Block sizes of BLIS's Zen configuration for sgemm.
#ifndef NETRUN_BLOCKS
#define NETRUN_BLOCKS 144, 256, 4080
#endif
enum { MC_KC_NC = 0 };
static const long block_sizes[3] = { NETRUN_BLOCKS };
#define MC block_sizes[0]
#define KC block_sizes[1]
#define NC block_sizes[2]
// Below this many multiply-adds a product runs on one thread. Pool workers sleep between products
// and never spin (see thread_pool.c): waking one takes 30–100 µs on a 2-core VM, during which the
// caller does the work alone, so a product must be worth several times that to gain from a second core.
static const double THREADED_MIN_MACS = 4.0e6;
// Tasks per thread. More, smaller tasks balance better but cost more: at 8 (a few tile rows each)
// the 128×100×784 product did 14% more work on two threads than on one, at 4 only 3%.
enum { TASKS_PER_THREAD = 4 };
// Products whose whole packed op(B) takes at most this many bytes (the L2 cache's size, read at
// run time) are "small": each thread packs all of B for itself; see whole_task. (512³, whose B
// is exactly 1 MiB, ran 6–9% faster on two Zen 4 cores this way than sliced, the same on one.)
// It decides only which thread does what, when: never the order in which an output is summed.
static long whole_b_bytes = 1 << 20;

static netrun_tile_fn tile, half_tile, quarter_tile;
static netrun_pack_fn pack_rows6;
static netrun_pack_panel_fn pack_rows16;
// B's panel width for the tile in use (16, or 32 for AVX-512); half_tile covers a last panel at
// most half as wide, where there is one.
static long panel = NETRUN_NR;
static const char *tile_name;
static int max_threads;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static int select_kernel(const char *name);

static void setup(void) {
    // NETRUN_KERNEL names the tile to use instead of the best one: `portable` runs the plain-C
    // path on an x86 machine, as on an ARM one, so CI tests it where it builds the vector tiles.
    const char *forced = getenv("NETRUN_KERNEL");
    if (forced && *forced && !select_kernel(forced))
        fprintf(stderr, "netrun: NETRUN_KERNEL=%s is not a tile this CPU runs (avx512, avx2+fma or portable); "
                        "using the best one it has\n", forced);
    if (!tile && !select_kernel("avx512") && !select_kernel("avx2+fma")) select_kernel("portable");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    max_threads = cores > 0 ? (int)cores : 1;
    const char *cap = getenv("NETRUN_THREADS");
    if (cap && atoi(cap) > 0 && atoi(cap) < max_threads) max_threads = atoi(cap);
#ifdef _SC_LEVEL2_CACHE_SIZE
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l2 >= (256 << 10) && l2 <= (64L << 20)) whole_b_bytes = l2;
#endif
}

const char *netrun_sgemm_kernel_name(void) {
    pthread_once(&setup_once, setup);
    return tile_name;
}

static int select_kernel(const char *name) {
    if (strcmp(name, "portable") == 0) {
        tile = netrun_tile_portable;
        half_tile = quarter_tile = NULL;
        pack_rows6 = netrun_pack_rows6_portable;
        pack_rows16 = netrun_pack_rows16_portable;
        panel = NETRUN_NR;
        tile_name = "portable";
        return 1;
    }
    if (strcmp(name, "avx2+fma") == 0 && netrun_cpu_has_avx2_fma()) {
        tile = netrun_tile_avx2;
        half_tile = netrun_tile_avx2_narrow;
        quarter_tile = NULL;
        pack_rows6 = netrun_pack_rows6_avx2;
        pack_rows16 = netrun_pack_rows16_avx2;
        panel = NETRUN_NR;
        tile_name = "avx2+fma";
        return 1;
    }
    if (strcmp(name, "avx512") == 0 && netrun_cpu_has_avx512()) {
        tile = netrun_tile_avx512;
        half_tile = netrun_tile_avx512_narrow;
        quarter_tile = netrun_tile_avx512_quarter;
        pack_rows6 = netrun_pack_rows6_avx2;
        pack_rows16 = netrun_pack_rows16_avx2;
        panel = NETRUN_NR_WIDE;
        tile_name = "avx512";
        return 1;
    }
    return 0;
}

int netrun_sgemm_select_kernel(const char *name) {
    pthread_once(&setup_once, setup);
    return select_kernel(name);
}

int netrun_max_threads(void) {
    pthread_once(&setup_once, setup);
    return __atomic_load_n(&max_threads, __ATOMIC_RELAXED);
}

void netrun_set_max_threads(int threads) {
    pthread_once(&setup_once, setup);
    __atomic_store_n(&max_threads, threads < 1 ? 1 : threads, __ATOMIC_RELAXED);
}

// Per-thread packing buffers, grown on demand and kept: no allocation per product once warm.
typedef struct { float *data; size_t capacity; } buffer_t;
static __thread buffer_t a_buffer, b_buffer;

static float *reserve(buffer_t *buffer, size_t count) {
    if (buffer->capacity < count) {
        free(buffer->data);
        size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
        buffer->data = aligned_alloc(64, bytes);
        buffer->capacity = buffer->data ? count : 0;
    }
    return buffer->data;
}

typedef struct {
    int trans_a, trans_b;
    long m, n, k;
    float alpha;
    const float *a; long lda; const long *a_rows;
    const float *b; long ldb; const long *b_rows;
    float *c; long ldc;
} problem_t;

// Packs rows ic..<ic+mc, depth pc..<pc+kc of op(A) as MR-tall panels, step-major, zero-padded.
static void pack_a(const problem_t *q, long ic, long mc, long pc, long kc, float *ap) {
    for (long ir = 0; ir < mc; ir += NETRUN_MR) {
        long mr = mc - ir < NETRUN_MR ? mc - ir : NETRUN_MR;
        if (q->trans_a) {
            for (long p = 0; p < kc; p++) {
                const float *source = netrun_row(q->a, q->lda, q->a_rows, pc + p) + ic + ir;
                long i = 0;
                for (; i < mr; i++) ap[i] = source[i];
                for (; i < NETRUN_MR; i++) ap[i] = 0;
                ap += NETRUN_MR;
            }
        } else if (mr == NETRUN_MR) {
            const float *rows[NETRUN_MR];
            for (int i = 0; i < NETRUN_MR; i++) rows[i] = netrun_row(q->a, q->lda, q->a_rows, ic + ir + i) + pc;
            pack_rows6(kc, rows, ap);
            ap += kc * NETRUN_MR;
        } else {
            for (long i = 0; i < NETRUN_MR; i++) {
                if (i < mr) {
                    const float *source = netrun_row(q->a, q->lda, q->a_rows, ic + ir + i) + pc;
                    for (long p = 0; p < kc; p++) ap[p * NETRUN_MR + i] = source[p];
                } else {
                    for (long p = 0; p < kc; p++) ap[p * NETRUN_MR + i] = 0;
                }
            }
            ap += kc * NETRUN_MR;
        }
    }
}

// Packs depth pc..<pc+kc, columns jc..<jc+nc of op(B) as NR-wide panels, step-major, zero-padded.
// Stands in for B's rows past the last column of a partial panel, so it packs through the
// transposing routine too (as zero padding: those columns of C are computed but never stored).
static const float zero_row[256] __attribute__((aligned(64)));

// Copies `width` floats; the width a compile-time constant in each call, so the copy is inlined
// as a few vector moves.
static inline void copy_floats(float *to, const float *from, const int width) {
    memcpy(to, from, (size_t)width * sizeof(float));
}

static void pack_b(const problem_t *q, long pc, long kc, long jc, long nc, float *bp) {
    for (long jr = 0; jr < nc; jr += panel) {
        long nr = nc - jr < panel ? nc - jr : panel;
        if (q->trans_b && (nr == panel || kc <= (long)(sizeof zero_row / sizeof *zero_row))) {
            // A wide panel is packed as 16-wide halves side by side in each step.
            for (long half = 0; half < panel; half += NETRUN_NR) {
                const float *rows[NETRUN_NR];
                for (int j = 0; j < NETRUN_NR; j++)
                    rows[j] = half + j < nr ? netrun_row(q->b, q->ldb, q->b_rows, jc + jr + half + j) + pc : zero_row;
                pack_rows16(kc, rows, bp + half, panel);
            }
        } else if (q->trans_b) {
            for (long j = 0; j < panel; j++) {
                if (j < nr) {
                    const float *source = netrun_row(q->b, q->ldb, q->b_rows, jc + jr + j) + pc;
                    for (long p = 0; p < kc; p++) bp[p * panel + j] = source[p];
                } else {
                    for (long p = 0; p < kc; p++) bp[p * panel + j] = 0;
                }
            }
        } else {
            for (long p = 0; p < kc; p++) {
                const float *source = netrun_row(q->b, q->ldb, q->b_rows, pc + p) + jc + jr;
                if (nr == NETRUN_NR_WIDE && panel == NETRUN_NR_WIDE) {
                    copy_floats(bp + p * panel, source, NETRUN_NR_WIDE);
                } else if (nr == NETRUN_NR && panel == NETRUN_NR) {
                    copy_floats(bp + p * panel, source, NETRUN_NR);
                } else {
                    long j = 0;
                    for (; j < nr; j++) bp[p * panel + j] = source[j];
                    for (; j < panel; j++) bp[p * panel + j] = 0;
                }
            }
        }
        bp += kc * panel;
    }
}

// One KC-deep slice: the packed B panel is shared; tasks split it into (row block, column part).
typedef struct {
    const problem_t *q;
    const float *bp;
    long jc, nc, pc, kc;
    float beta;
    long tile_rows, row_blocks, column_parts;   // see split
} slice_t;

// Multiplies a packed MC×KC block of A by the packed panels jr0..<jr1 of the slice.
static void macro_kernel(const slice_t *s, long ic, long mc, const float *ap, long jr0, long jr1) {
    const problem_t *q = s->q;
    float edge[NETRUN_MR * NETRUN_NR_WIDE];
    for (long jr = jr0; jr < jr1; jr += panel) {
        long nr = s->nc - jr < panel ? s->nc - jr : panel;
        const float *bp = s->bp + jr * s->kc;
        // A last panel at most half (a quarter) wide needs only the half (quarter) tile, where there is one.
        netrun_tile_fn run = tile;
        long width = panel;
        if (quarter_tile && nr <= panel / 4) {
            run = quarter_tile;
            width = panel / 4;
        } else if (half_tile && nr <= panel / 2) {
            run = half_tile;
            width = panel / 2;
        }
        for (long ir = 0; ir < mc; ir += NETRUN_MR) {
            long mr = mc - ir < NETRUN_MR ? mc - ir : NETRUN_MR;
            float *c = q->c + (ic + ir) * q->ldc + s->jc + jr;
            const float *a = ap + ir * s->kc;
            if (mr == NETRUN_MR && nr == width) {
                run(s->kc, a, bp, c, q->ldc, q->alpha, s->beta);
            } else {
                // A partial tile goes through a full one, so C is never read or written out of bounds.
                run(s->kc, a, bp, edge, NETRUN_NR_WIDE, 1, 0);
                for (long i = 0; i < mr; i++) {
                    const float *sums = edge + i * NETRUN_NR_WIDE;
                    float *row = c + i * q->ldc;
                    if (q->alpha == 1 && s->beta == 0) {
                        memcpy(row, sums, (size_t)nr * sizeof(float));
                        continue;
                    }
                    for (long j = 0; j < nr; j++) {
                        float value = q->alpha * sums[j];
                        row[j] = s->beta != 0 ? value + s->beta * row[j] : value;
                    }
                }
            }
        }
    }
}

static void block_rows(long m, long tile_rows, long blocks, long block, long *ic, long *mc);

static void slice_task(void *context, long task) {
    const slice_t *s = context;
    long block = task / s->column_parts, part = task % s->column_parts, ic, mc;
    block_rows(s->q->m, s->tile_rows, s->row_blocks, block, &ic, &mc);
    // Column parts are whole NR panels.
    long panels = (s->nc + panel - 1) / panel;
    long jr0 = panels * part / s->column_parts * panel;
    long jr1 = panels * (part + 1) / s->column_parts * panel;
    if (jr1 > s->nc) jr1 = s->nc;
    if (jr0 >= jr1) return;
    float *ap = reserve(&a_buffer, (size_t)((mc + NETRUN_MR - 1) / NETRUN_MR * NETRUN_MR) * s->kc + NETRUN_PACK_SLACK);
    if (!ap) abort();
    pack_a(s->q, ic, mc, s->pc, s->kc, ap);
    macro_kernel(s, ic, mc, ap, jr0, jr1);
}

// The block size for `size` split into equal blocks of at most `limit`, rounded up to `unit`.
static long balanced(long size, long limit, long unit) {
    long blocks = (size + limit - 1) / limit;
    long block = (size + blocks - 1) / blocks;
    return (block + unit - 1) / unit * unit;
}

// Cuts m rows × `columns` into tasks: row blocks of whole tiles, at most MC rows, and with
// several threads TASKS_PER_THREAD tasks for each. A worker that wakes late (another process
// holds its core) then finds work left rather than making the caller wait for its one big share.
// Rows split first; too few rows, and columns split into whole panels.
static void split(int threads, long m, long columns, long *tile_rows, long *row_blocks, long *column_parts) {
    *column_parts = 1;
    *tile_rows = (m + NETRUN_MR - 1) / NETRUN_MR;
    long most = MC / NETRUN_MR, tasks = TASKS_PER_THREAD * threads;
    *row_blocks = (*tile_rows + most - 1) / most;
    if (threads > 1 && *row_blocks < tasks) *row_blocks = tasks;
    // A whole number of blocks per thread (2048 rows: 16 blocks, not 15).
    if (threads > 1) *row_blocks = (*row_blocks + threads - 1) / threads * threads;
    if (*row_blocks > *tile_rows) *row_blocks = *tile_rows;
    if (threads > 1 && *row_blocks < tasks) {
        long panels = (columns + panel - 1) / panel;
        long parts = (tasks + *row_blocks - 1) / *row_blocks;
        *column_parts = parts < panels ? parts : panels;
    }
}

// Row block `block` of `blocks`: tile rows shared out as evenly as they go, the larger blocks
// first, so threads claiming blocks in turn end together (22 tile rows in 8 blocks: 3,3,3,3,3,3,2,2,
// 11 for each of two threads).
static void block_rows(long m, long tile_rows, long blocks, long block, long *ic, long *mc) {
    long each = tile_rows / blocks, extra = tile_rows % blocks;
    long first = block * each + (block < extra ? block : extra);
    long count = each + (block < extra);
    *ic = first * NETRUN_MR;
    *mc = (first + count) * NETRUN_MR < m ? count * NETRUN_MR : m - *ic;
}

// A product small enough that all of op(B), packed, fits in L2: every thread that takes part
// packs all of B into its own buffer, once, before its first task, and each task then computes
// its rows through every depth slice in turn. One wait on the pool per product instead of two per
// slice, and no packed panel crosses between cores: sharing one packed B made each product
// rewrite lines the other core had read (and read lines it had written), which on a 2-core Zen 4
// made packing 10 times slower than on one thread and the 128×100×784 product barely faster on
// two threads than on one. Packing B twice costs a few microseconds on each core instead. Each
// output still sums slice after slice, each slice's steps in order, as the sliced driver does.
typedef struct {
    const problem_t *q;
    float beta;
    unsigned long product;  // this product's number, to tell whether a thread's buffer holds its B
    long width;             // n rounded up to whole panels
    long kc_step;
    long tile_rows, row_blocks, column_parts;
} whole_t;

static unsigned long products_started;
static __thread unsigned long whole_b_product;  // which product this thread's b_buffer holds

// This thread's copy of the product's packed B, slice after slice (slice pc starts at pc · width).
static const float *whole_b(const whole_t *w) {
    const problem_t *q = w->q;
    float *bp = reserve(&b_buffer, (size_t)(w->width * q->k));
    if (!bp) abort();
    if (whole_b_product != w->product) {
        for (long pc = 0; pc < q->k; pc += w->kc_step) {
            long kc = q->k - pc < w->kc_step ? q->k - pc : w->kc_step;
            pack_b(q, pc, kc, 0, q->n, bp + pc * w->width);
        }
        whole_b_product = w->product;
    }
    return bp;
}

static void whole_task(void *context, long task) {
    const whole_t *w = context;
    const problem_t *q = w->q;
    long block = task / w->column_parts, part = task % w->column_parts, ic, mc;
    block_rows(q->m, w->tile_rows, w->row_blocks, block, &ic, &mc);
    long panels = w->width / panel;
    long jr0 = panels * part / w->column_parts * panel, jr1 = panels * (part + 1) / w->column_parts * panel;
    if (jr1 > q->n) jr1 = q->n;
    if (jr0 >= jr1) return;
    const float *bp = whole_b(w);
    float *ap = reserve(&a_buffer, (size_t)((mc + NETRUN_MR - 1) / NETRUN_MR * NETRUN_MR) * w->kc_step + NETRUN_PACK_SLACK);
    if (!ap) abort();
    for (long pc = 0; pc < q->k; pc += w->kc_step) {
        long kc = q->k - pc < w->kc_step ? q->k - pc : w->kc_step;
        slice_t s = { q, bp + pc * w->width, 0, q->n, pc, kc, pc == 0 ? w->beta : 1, 0, 0, 0 };
        pack_a(q, ic, mc, pc, kc, ap);
        macro_kernel(&s, ic, mc, ap, jr0, jr1);
    }
}

// The unpacked narrow products (narrow_avx2.c), threaded by rows of C (A·Bᵀ) or by 16-column
// groups (Aᵀ·B): every output is summed by one thread exactly as it would be alone.
typedef struct {
    const problem_t *q;
    float beta;
    long parts;
} narrow_t;

static int narrow_applies(const problem_t *q) {
    return tile != netrun_tile_portable && ((!q->trans_a && q->trans_b && q->n <= NETRUN_NARROW)
                                            || (q->trans_a && !q->trans_b && q->m <= NETRUN_NARROW));
}

static void narrow(const problem_t *q, float beta, long i0, long i1, long j0, long j1) {
    // Row i0 of A is A's row index i0 (rows picked by index: a_rows[i0]); column j0 of B is j0 past
    // the start of every row of B, picked by index or not.
    const float *a = q->trans_a || q->a_rows ? q->a : q->a + i0 * q->lda;
    const long *a_rows = q->a_rows && !q->trans_a ? q->a_rows + i0 : q->a_rows;
    float *c = q->c + i0 * q->ldc + j0;
    if (tile == netrun_tile_avx512
        && netrun_narrow_avx512(q->trans_a, q->trans_b, i1 - i0, j1 - j0, q->k, q->alpha, a, q->lda, a_rows,
                                q->b + j0, q->ldb, q->b_rows, beta, c, q->ldc))
        return;
    netrun_narrow_avx2(q->trans_a, q->trans_b, i1 - i0, j1 - j0, q->k, q->alpha, a, q->lda, a_rows,
                       q->b + j0, q->ldb, q->b_rows, beta, c, q->ldc);
}

static void narrow_task(void *context, long task) {
    const narrow_t *t = context;
    const problem_t *q = t->q;
    if (q->trans_a) {
        long groups = (q->n + 15) / 16;
        long j0 = groups * task / t->parts * 16, j1 = groups * (task + 1) / t->parts * 16;
        if (j1 > q->n) j1 = q->n;
        if (j0 < j1) narrow(q, t->beta, 0, q->m, j0, j1);
    } else {
        long pairs = (q->m + 1) / 2;
        long i0 = pairs * task / t->parts * 2, i1 = pairs * (task + 1) / t->parts * 2;
        if (i1 > q->m) i1 = q->m;
        if (i0 < i1) narrow(q, t->beta, i0, i1, 0, q->n);
    }
}

static void scale_c(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *row = c + i * ldc;
        if (beta == 0) memset(row, 0, (size_t)n * sizeof(float));
        else for (long j = 0; j < n; j++) row[j] *= beta;
    }
}

void netrun_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                  const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
    netrun_sgemm_rows(trans_a, trans_b, m, n, k, alpha, a, lda, NULL, b, ldb, NULL, beta, c, ldc);
}

void netrun_sgemm_rows(int trans_a, int trans_b, long m, long n, long k, float alpha,
                       const float *a, long lda, const long *a_rows, const float *b, long ldb, const long *b_rows,
                       float beta, float *c, long ldc) {
    pthread_once(&setup_once, setup);
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {
        if (beta != 1) scale_c(m, n, beta, c, ldc);
        return;
    }
    problem_t q = { trans_a, trans_b, m, n, k, alpha, a, lda, a_rows, b, ldb, b_rows, c, ldc };
    int threads = (double)m * (double)n * (double)k >= THREADED_MIN_MACS ? netrun_max_threads() : 1;
    if (narrow_applies(&q)) {
        narrow_t t = { &q, beta, threads > 1 ? TASKS_PER_THREAD * threads : 1 };
        netrun_parallel_for(threads, t.parts, narrow_task, &t);
        return;
    }

    // Equal slices rather than full ones plus a remainder: k = 784 as 3 × 262, not 3 × 256 + 16,
    // whose thin last slice would pay a whole pass over C for a few steps. The depth slices
    // depend on k alone, so every output is summed in the same order on any machine.
    long nc_step = balanced(n, NC, panel), kc_step = balanced(k, KC, 1);
    long width = (n + panel - 1) / panel * panel;
    if (nc_step >= n && (double)width * (double)k * sizeof(float) <= (double)whole_b_bytes) {
        whole_t w = { &q, beta, __atomic_add_fetch(&products_started, 1, __ATOMIC_RELAXED), width, kc_step, 0, 0, 0 };
        split(threads, m, n, &w.tile_rows, &w.row_blocks, &w.column_parts);
        netrun_parallel_for(threads, w.row_blocks * w.column_parts, whole_task, &w);
        return;
    }
    for (long jc = 0; jc < n; jc += nc_step) {
        long nc = n - jc < nc_step ? n - jc : nc_step;
        for (long pc = 0; pc < k; pc += kc_step) {
            long kc = k - pc < kc_step ? k - pc : kc_step;
            float *bp = reserve(&b_buffer, (size_t)((nc + panel - 1) / panel * panel) * kc);
            if (!bp) abort();
            pack_b(&q, pc, kc, jc, nc, bp);

            slice_t s = { &q, bp, jc, nc, pc, kc, pc == 0 ? beta : 1, 0, 0, 0 };
            split(threads, m, nc, &s.tile_rows, &s.row_blocks, &s.column_parts);
            netrun_parallel_for(threads, s.row_blocks * s.column_parts, slice_task, &s);
        }
    }
}
