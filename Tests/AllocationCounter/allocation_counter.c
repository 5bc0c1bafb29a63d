// Counts the test process's heap allocations, so a test can prove that a training step makes
// none (issue 17). glibc lets a program replace malloc by defining it ("Replacing malloc" in its
// manual); these definitions only count and hand over to glibc's own allocator, so blocks from
// either side are freed by glibc's free, which is left alone. Linked into the test binary only.
#define _GNU_SOURCE
#include "allocation_counter.h"

#include <errno.h>  // also defines __GLIBC__ on glibc
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <dlfcn.h>
#include <link.h>
#include <string.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *memory, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// Relaxed: the count is read between steps, after the pool's threads have joined.
static _Atomic long allocations;

// The Swift runtime library's code, and swift_slowAlloc's within it (see the header); found
// once, before the first count is read, never from inside malloc.
static uintptr_t runtime_start, runtime_end, slow_alloc_start, slow_alloc_end;
static _Atomic int located;

static int find_runtime(struct dl_phdr_info *info, size_t size, void *unused) {
    (void)size, (void)unused;
    if (!info->dlpi_name || !strstr(info->dlpi_name, "libswiftCore.so")) return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_X)) continue;
        runtime_start = info->dlpi_addr + segment->p_vaddr;
        runtime_end = runtime_start + segment->p_memsz;
    }
    return 1;
}

static void locate_runtime(void) {
    dl_iterate_phdr(find_runtime, NULL);
    void *slow_alloc = dlsym(RTLD_DEFAULT, "swift_slowAlloc");
    Dl_info info;
    const ElfW(Sym) *symbol = NULL;
    if (slow_alloc && dladdr1(slow_alloc, &info, (void **)&symbol, RTLD_DL_SYMENT) && symbol) {
        slow_alloc_start = (uintptr_t)slow_alloc;
        slow_alloc_end = slow_alloc_start + symbol->st_size;
    }
    atomic_store(&located, 1);
}

static inline void count(uintptr_t caller) {
    if (atomic_load_explicit(&located, memory_order_relaxed) && caller >= runtime_start && caller < runtime_end
        && !(caller >= slow_alloc_start && caller < slow_alloc_end)) return;
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

#define CALLER ((uintptr_t)__builtin_return_address(0))

void *malloc(size_t size) { count(CALLER); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count(CALLER); return __libc_calloc(n, size); }
void *realloc(void *memory, size_t size) { count(CALLER); return __libc_realloc(memory, size); }
void *memalign(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }

int posix_memalign(void **memory, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count(CALLER);
    void *block = __libc_memalign(alignment, size);
    if (!block) return ENOMEM;
    *memory = block;
    return 0;
}

long netrun_test_allocations(void) {
    if (!atomic_load(&located)) locate_runtime();
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}
#else
long netrun_test_allocations(void) { return -1; }
#endif
