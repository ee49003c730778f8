// Counts heap allocations by interposing the C allocator's entry points. The executable that
// links this file defines malloc & co., so the dynamic linker binds every library's calls
// (the Swift runtime's included) to these wrappers, which count and forward to glibc's own
// implementation through its __libc_* aliases. mallinfo2 is not enough: it misses allocations
// served from glibc's per-thread cache.
#include "CMallocCounter.h"

#if defined(__linux__)
#include <features.h>  // defines __GLIBC__
#endif

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Atomic unsigned long long allocationCount = 0;

static inline void countOne(void) {
    atomic_fetch_add_explicit(&allocationCount, 1, memory_order_relaxed);
}

void *malloc(size_t size) {
    countOne();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    countOne();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    countOne();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    countOne();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    countOne();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    countOne();
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

unsigned long long swiftvae_allocation_count(void) {
    return atomic_load_explicit(&allocationCount, memory_order_relaxed);
}

int swiftvae_allocation_counting_available(void) { return 1; }

#else

unsigned long long swiftvae_allocation_count(void) { return 0; }
int swiftvae_allocation_counting_available(void) { return 0; }

#endif
