// The 6x16 SIMD8 GEMM micro-kernel: 12 vector accumulators, two B vectors and one
// broadcast of A (15 vector registers; AVX2 has 16, AVX-512VL and NEON 32). Each k step does
// 2 loads + 6 broadcasts for 12 FMAs. 6x16 is the classic AVX2 shape
// (measured: 6x16 beat 8x16 on AVX-512VL, ~95 vs ~78 GFLOP/s at 128x784x400).

/// Computes one full 6x16 tile `C = alpha * Ap * Bp + beta * C` from packed panels.
///
/// - `a`: element `(r, k)` of the 6-row panel of `op(A)` is `a[r * aRowStride + k * aDepthStride]`:
///   a packed panel (`1`, `6`) or row-major A read in place (`lda`, `1`), which saves packing.
/// - `b`: row `k` of the 16-column panel of `op(B)` is the 16 floats at `b + k * bDepthStride`:
///   a packed panel (`16`) or row-major B read in place (`ldb`).
/// - `c`: the tile's top-left element in a row-major matrix with row stride `ldc`; any alignment.
/// - `beta == 0` never reads `C`, so uninitialised or NaN output memory is overwritten cleanly.
/// Cost: `2 * 6 * 16 * kc` flops.
@inline(__always)
func gemmMicroKernel6x16SIMD8(
    kc: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
    b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var a = a
    var b = UnsafeRawPointer(b)
    let bStep = bDepthStride &* 4
    for _ in 0..<kc {
        let b0 = b.loadUnaligned(as: V.self)
        let b1 = b.loadUnaligned(fromByteOffset: 32, as: V.self)
        var broadcast = V(repeating: a[0])
        c00 = c00.addingProduct(broadcast, b0); c01 = c01.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[aRowStride])
        c10 = c10.addingProduct(broadcast, b0); c11 = c11.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[2 &* aRowStride])
        c20 = c20.addingProduct(broadcast, b0); c21 = c21.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[3 &* aRowStride])
        c30 = c30.addingProduct(broadcast, b0); c31 = c31.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[4 &* aRowStride])
        c40 = c40.addingProduct(broadcast, b0); c41 = c41.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[5 &* aRowStride])
        c50 = c50.addingProduct(broadcast, b0); c51 = c51.addingProduct(broadcast, b1)
        a += aDepthStride
        b += bStep
    }
    storeTileRow8(c, c00, c01, alpha: alpha, beta: beta)
    storeTileRow8(c + ldc, c10, c11, alpha: alpha, beta: beta)
    storeTileRow8(c + 2 &* ldc, c20, c21, alpha: alpha, beta: beta)
    storeTileRow8(c + 3 &* ldc, c30, c31, alpha: alpha, beta: beta)
    storeTileRow8(c + 4 &* ldc, c40, c41, alpha: alpha, beta: beta)
    storeTileRow8(c + 5 &* ldc, c50, c51, alpha: alpha, beta: beta)
}

/// Writes 16 accumulated values to one tile row: `row = alpha * acc + beta * row`.
@inline(__always)
private func storeTileRow8(
    _ row: UnsafeMutablePointer<Float>, _ low: SIMD8<Float>, _ high: SIMD8<Float>,
    alpha: Float, beta: Float
) {
    let raw = UnsafeMutableRawPointer(row)
    var outLow = low * alpha
    var outHigh = high * alpha
    if beta != 0 {
        outLow = outLow.addingProduct(raw.loadUnaligned(as: SIMD8<Float>.self), beta)
        outHigh = outHigh.addingProduct(
            raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self), beta)
    }
    raw.storeBytes(of: outLow, as: SIMD8<Float>.self)
    raw.storeBytes(of: outHigh, toByteOffset: 32, as: SIMD8<Float>.self)
}
