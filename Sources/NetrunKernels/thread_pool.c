// A small pool of sleeping workers for netrun_parallel_for.
//
// Workers block on a condition variable and never spin: on a 2-core machine a spinning worker
// steals the core another process (or the other sweep trial) needs, and a threaded product then
// waits milliseconds for a descheduled spinner. Tasks are claimed one at a time under the lock,
// so whoever is awake does the work; the caller returns as soon as every task is finished, even if
// a worker never woke. One caller at a time owns the pool; others run their tasks alone.
#include "netrun_kernels.h"
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_WORKERS 63

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
    int in_flight;                  // claimed but unfinished tasks
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

// Runs tasks until none are left and says how many it ran; called and returns with the lock held.
static long drain(void) {
    long ran = 0;
    while (pool.task && pool.next < pool.count) {
        long i = pool.next++;
        void (*task)(void *, long) = pool.task;
        void *context = pool.context;
        pool.in_flight++;
        ran++;
        pthread_mutex_unlock(&pool.lock);
        task(context, i);
        pthread_mutex_lock(&pool.lock);
        if (--pool.in_flight == 0 && pool.next >= pool.count) pthread_cond_broadcast(&pool.work_done);
    }
    return ran;
}

static void *worker_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!(pool.task && pool.next < pool.count && pool.joined < pool.allowed))
            pthread_cond_wait(&pool.work_ready, &pool.lock);
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
        // The pool keeps the workers an earlier caller with a higher cap started (a sweep lowers
        // the cap once its trials run side by side): only threads − 1 of them may join this job.
        pool.allowed = existing < threads - 1 ? existing : threads - 1;
        pthread_cond_broadcast(&pool.work_ready);
        long ran = drain();
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
