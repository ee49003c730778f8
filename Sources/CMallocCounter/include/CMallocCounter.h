#ifndef CMALLOCCOUNTER_H
#define CMALLOCCOUNTER_H

/// Heap allocations made by the whole process so far: every call of malloc, calloc, realloc,
/// posix_memalign, aligned_alloc and memalign since it started. Linux only (glibc): linking this
/// target interposes those functions. Linked into the tests and the benchmark, never the library.
unsigned long long swiftvae_allocation_count(void);

/// 1 when the counter really interposes the allocator on this platform, else 0.
int swiftvae_allocation_counting_available(void);

#endif
