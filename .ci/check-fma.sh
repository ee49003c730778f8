#!/usr/bin/env bash
# Fails unless the release kernels are real vector FMA code: on x86-64, no object of VAEKernels
# may call libm's fmaf (the baseline-x86-64 lowering of SIMD addingProduct), and the GEMM and the
# FMA-using elementwise kernels must contain vfmadd instructions. Run after `swift build -c release`.
set -euo pipefail
cd "$(dirname "$0")/.."
objects=.build/release/VAEKernels.build
if [ "$(uname -m)" != "x86_64" ]; then
    echo "check-fma: $(uname -m) has FMA in its base ISA; nothing to check"
    exit 0
fi
[ -d "$objects" ] || { echo "check-fma: $objects missing; run swift build -c release first" >&2; exit 1; }
status=0
for object in "$objects"/*.o; do
    # grep without -q reads all of objdump's output: under pipefail an early exit would hide a match.
    if objdump -dr "$object" | grep -E 'R_X86_64_PLT32[[:space:]]+fmaf' > /dev/null; then
        echo "check-fma: $(basename "$object") calls fmaf: the kernels were built for a CPU without FMA" >&2
        status=1
    fi
done
for kernel in GEMM Sigmoid+SIMD8 Exp+SIMD8 Reparameterize+SIMD8 GaussianKL+SIMD8 \
              BinaryCrossEntropy+SIMD8 SGDUpdate+SIMD8; do
    count=$(objdump -d "$objects/$kernel.swift.o" | grep -c vfmadd || true)
    if [ "$count" -eq 0 ]; then
        echo "check-fma: $kernel.swift.o contains no vfmadd instruction" >&2
        status=1
    else
        echo "check-fma: $kernel.swift.o: $count vfmadd instructions, no fmaf calls"
    fi
done
exit $status
