// The machine's FMA peak, measured in the same run as the kernels so percentages compare like
// with like: twelve independent accumulator chains (more than latency x pipes), no memory access.

/// Runs `iterations` x 12 vector FMAs of `SIMD8<Float>`; returns a value that depends on all.
@inline(never)
func fmaPeakLoopSIMD8(iterations: Int, seed: Float) -> Float {
    typealias V = SIMD8<Float>
    var a0 = V(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
    var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
    let scale = V(repeating: 0.999_999), offset = V(repeating: 1e-6)
    for _ in 0..<iterations {
        a0 = offset.addingProduct(a0, scale); a1 = offset.addingProduct(a1, scale)
        a2 = offset.addingProduct(a2, scale); a3 = offset.addingProduct(a3, scale)
        a4 = offset.addingProduct(a4, scale); a5 = offset.addingProduct(a5, scale)
        a6 = offset.addingProduct(a6, scale); a7 = offset.addingProduct(a7, scale)
        a8 = offset.addingProduct(a8, scale); a9 = offset.addingProduct(a9, scale)
        a10 = offset.addingProduct(a10, scale); a11 = offset.addingProduct(a11, scale)
    }
    return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
}

/// The same with `SIMD16<Float>` (512-bit vectors where the target has them).
@inline(never)
func fmaPeakLoopSIMD16(iterations: Int, seed: Float) -> Float {
    typealias V = SIMD16<Float>
    var a0 = V(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
    var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
    let scale = V(repeating: 0.999_999), offset = V(repeating: 1e-6)
    for _ in 0..<iterations {
        a0 = offset.addingProduct(a0, scale); a1 = offset.addingProduct(a1, scale)
        a2 = offset.addingProduct(a2, scale); a3 = offset.addingProduct(a3, scale)
        a4 = offset.addingProduct(a4, scale); a5 = offset.addingProduct(a5, scale)
        a6 = offset.addingProduct(a6, scale); a7 = offset.addingProduct(a7, scale)
        a8 = offset.addingProduct(a8, scale); a9 = offset.addingProduct(a9, scale)
        a10 = offset.addingProduct(a10, scale); a11 = offset.addingProduct(a11, scale)
    }
    return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
}
