// A small pool of workers for netrun_parallel_for.
//
// A worker that has just finished a job watches for the next one for a short while
// (SPIN_SECONDS), then sleeps on a condition variable. Products come in bursts — a step's
// forward and backward, a benchmark's loop — and a worker that is still awake joins the next
// product within a microsecond, where waking a sleeping one takes 30–100 µs on a 2-core VM (more
// when another process holds its core): as long as a 1-thread product of 10⁷ multiply-adds. The
// watch is bounded, so an idle pool never holds a core: on a 2-core machine a worker that spins
// for good steals the core another process (or the other sweep trial) needs, and a threaded
// product then waits milliseconds for a descheduled spinner. A sweep that runs trials side by
// side caps each at one thread, so their products never use the pool at all. Tasks are claimed
// one at a time under the lock, so whoever is awake does the work; the caller returns as soon as
// every task is finished, even if a worker never woke. One caller at a time owns the pool; others
// run their tasks alone.
#include "netrun_kernels.h"
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 63
// How long a worker watches for the next job, and the caller for its last tasks to finish,
// before sleeping: several products' worth of time, far below a scheduler tick.
static const double SPIN_SECONDS = 100e-6;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t work_ready;
    pthread_cond_t work_done;
    pthread_mutex_t owner;          // held by the caller using the pool
    int workers;                    // started so far
    // The current job, valid while `task` is non-null.
    void (*task)(void *, long);
    void *context;
    long next, count;
    int in_flight;                  // claimed but unfinished tasks (also read without the lock)
    unsigned long generation;       // counts jobs posted; awake workers watch it without the lock
    int allowed;                    // workers that may join the current job
    int joined;
    netrun_parallel_report last;    // the latest job's, for tests
} pool_t;

static pool_t pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .work_ready = PTHREAD_COND_INITIALIZER,
    .work_done = PTHREAD_COND_INITIALIZER,
    .owner = PTHREAD_MUTEX_INITIALIZER,
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

// Waits up to SPIN_SECONDS, without the lock, for *value to differ from `seen`; says whether it did.
static int watch(const void *value, unsigned long seen, int is_int) {
    double deadline = 0;
    for (unsigned spins = 0;; spins++) {
        unsigned long current = is_int ? (unsigned long)__atomic_load_n((const int *)value, __ATOMIC_ACQUIRE)
                                       : __atomic_load_n((const unsigned long *)value, __ATOMIC_ACQUIRE);
        if (current != seen) return 1;
        if (spins % 64 == 0) {
            double t = now();
            if (deadline == 0) deadline = t + SPIN_SECONDS;
            else if (t > deadline) return 0;
        }
        relax();
    }
}

// Runs tasks until none are left and says how many it ran; called and returns with the lock held.
static long drain(void) {
    long ran = 0;
    while (pool.task && pool.next < pool.count) {
        long i = pool.next++;
        void (*task)(void *, long) = pool.task;
        void *context = pool.context;
        __atomic_add_fetch(&pool.in_flight, 1, __ATOMIC_RELAXED);
        ran++;
        pthread_mutex_unlock(&pool.lock);
        task(context, i);
        pthread_mutex_lock(&pool.lock);
        if (__atomic_sub_fetch(&pool.in_flight, 1, __ATOMIC_RELEASE) == 0 && pool.next >= pool.count)
            pthread_cond_broadcast(&pool.work_done);
    }
    return ran;
}

static void *worker_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!(pool.task && pool.next < pool.count && pool.joined < pool.allowed)) {
            // Awake after a job: watch for the next one before going to sleep. The condition is
            // checked again under the lock, so a job posted meanwhile is never missed.
            unsigned long seen = pool.generation;
            pthread_mutex_unlock(&pool.lock);
            int posted = watch(&pool.generation, seen, 0);
            pthread_mutex_lock(&pool.lock);
            if (!posted && !(pool.task && pool.next < pool.count && pool.joined < pool.allowed))
                pthread_cond_wait(&pool.work_ready, &pool.lock);
        }
        pool.joined++;
        drain();
    }
    return NULL;
}

// Starts workers up to `wanted`; returns how many exist. Called with the owner lock held.
static int ensure_workers(int wanted) {
    if (wanted > MAX_WORKERS) wanted = MAX_WORKERS;
    while (pool.workers < wanted) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        pool.workers++;
    }
    return pool.workers;
}

void netrun_parallel_for(int threads, long count, void (*task)(void *context, long i), void *context) {
    if (threads > 1 && count > 1 && pthread_mutex_trylock(&pool.owner) == 0) {
        int existing = ensure_workers(threads - 1);
        pthread_mutex_lock(&pool.lock);
        pool.task = task;
        pool.context = context;
        pool.next = 0;
        pool.count = count;
        pool.in_flight = 0;
        pool.joined = 0;
        __atomic_store_n(&pool.generation, pool.generation + 1, __ATOMIC_RELEASE);
        // The pool keeps the workers an earlier caller with a higher cap started (a sweep lowers
        // the cap once its trials run side by side): only threads − 1 of them may join this job.
        pool.allowed = existing < threads - 1 ? existing : threads - 1;
        pthread_cond_broadcast(&pool.work_ready);
        long ran = drain();
        if (pool.in_flight > 0) {
            // A worker is finishing its last task: watch for it before sleeping on work_done.
            pthread_mutex_unlock(&pool.lock);
            for (int left; (left = __atomic_load_n(&pool.in_flight, __ATOMIC_ACQUIRE)) > 0;)
                if (!watch(&pool.in_flight, (unsigned long)left, 1)) break;
            pthread_mutex_lock(&pool.lock);
        }
        while (pool.in_flight > 0) pthread_cond_wait(&pool.work_done, &pool.lock);
        pool.last.regions++;
        pool.last.allowed = pool.allowed + 1;
        pool.last.participants = pool.joined + (ran > 0);
        pool.task = NULL;
        pool.context = NULL;
        pthread_mutex_unlock(&pool.lock);
        pthread_mutex_unlock(&pool.owner);
        return;
    }
    for (long i = 0; i < count; i++) task(context, i);
}

netrun_parallel_report netrun_last_parallel_report(void) {
    pthread_mutex_lock(&pool.lock);
    netrun_parallel_report report = pool.last;
    pthread_mutex_unlock(&pool.lock);
    return report;
}
