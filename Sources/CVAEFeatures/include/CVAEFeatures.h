#ifndef CVAEFEATURES_H
#define CVAEFEATURES_H

/// 1 when the build target has 512-bit vector registers (AVX-512F), else 0. Swift imports this
/// as a constant, so a branch on it is folded away at compile time.
#if defined(__AVX512F__)
#define SWIFTVAE_HAS_512BIT_VECTORS 1
#else
#define SWIFTVAE_HAS_512BIT_VECTORS 0
#endif

#endif
