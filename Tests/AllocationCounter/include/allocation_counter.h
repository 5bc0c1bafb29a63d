#pragma once

/// Heap allocations (malloc, calloc, realloc, aligned_alloc, posix_memalign, memalign) made by
/// the whole test process so far, not counting the ones described below; -1 where allocations
/// are not counted (not glibc).
///
/// Left out: blocks the Swift runtime library itself asks malloc for, other than through
/// `swift_slowAlloc` (which every class instance, array buffer, box and closure context goes
/// through). Those are the frames of the standard library's unspecialised generic accessors,
/// which a debug build calls on every array read in generic code and an optimised build does not.
long netrun_test_allocations(void);
