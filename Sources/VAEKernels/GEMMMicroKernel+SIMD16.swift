// The 12x32 SIMD16 GEMM micro-kernel for targets with 512-bit vectors (AVX-512): 24
// vector accumulators, two B vectors and one broadcast of A (27 of the 32 zmm registers).
// Each k step does 2 loads + 12 broadcasts for 24 FMAs.

/// Computes one full 12x32 tile `C = alpha * Ap * Bp + beta * C` from packed panels.
///
/// - `a`: element `(r, k)` of the 12-row panel of `op(A)` is `a[r * aRowStride + k * aDepthStride]`:
///   a packed panel (`1`, `12`) or row-major A read in place (`lda`, `1`), which saves packing.
/// - `b`: row `k` of the 32-column panel of `op(B)` is the 32 floats at `b + k * bDepthStride`:
///   a packed panel (`32`) or row-major B read in place (`ldb`).
/// - `c`: the tile's top-left element in a row-major matrix with row stride `ldc`; any alignment.
/// - `beta == 0` never reads `C`, so uninitialised or NaN output memory is overwritten cleanly.
/// Cost: `2 * 12 * 32 * kc` flops.
/// On a target without 512-bit registers this is still exact (each SIMD16 operation splits in
/// two), only slower; the tests run it on every machine.
@inline(__always)
func gemmMicroKernel12x32SIMD16(
    kc: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
    b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
) {
    typealias V = SIMD16<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    var c80 = V(), c81 = V(), c90 = V(), c91 = V(), c100 = V(), c101 = V(), c110 = V(), c111 = V()
    var a = a
    var b = UnsafeRawPointer(b)
    let bStep = bDepthStride &* 4
    for _ in 0..<kc {
        let b0 = b.loadUnaligned(as: V.self)
        let b1 = b.loadUnaligned(fromByteOffset: 64, as: V.self)
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
        broadcast = V(repeating: a[6 &* aRowStride])
        c60 = c60.addingProduct(broadcast, b0); c61 = c61.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[7 &* aRowStride])
        c70 = c70.addingProduct(broadcast, b0); c71 = c71.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[8 &* aRowStride])
        c80 = c80.addingProduct(broadcast, b0); c81 = c81.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[9 &* aRowStride])
        c90 = c90.addingProduct(broadcast, b0); c91 = c91.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[10 &* aRowStride])
        c100 = c100.addingProduct(broadcast, b0); c101 = c101.addingProduct(broadcast, b1)
        broadcast = V(repeating: a[11 &* aRowStride])
        c110 = c110.addingProduct(broadcast, b0); c111 = c111.addingProduct(broadcast, b1)
        a += aDepthStride
        b += bStep
    }
    storeTileRow16(c, c00, c01, alpha: alpha, beta: beta)
    storeTileRow16(c + ldc, c10, c11, alpha: alpha, beta: beta)
    storeTileRow16(c + 2 &* ldc, c20, c21, alpha: alpha, beta: beta)
    storeTileRow16(c + 3 &* ldc, c30, c31, alpha: alpha, beta: beta)
    storeTileRow16(c + 4 &* ldc, c40, c41, alpha: alpha, beta: beta)
    storeTileRow16(c + 5 &* ldc, c50, c51, alpha: alpha, beta: beta)
    storeTileRow16(c + 6 &* ldc, c60, c61, alpha: alpha, beta: beta)
    storeTileRow16(c + 7 &* ldc, c70, c71, alpha: alpha, beta: beta)
    storeTileRow16(c + 8 &* ldc, c80, c81, alpha: alpha, beta: beta)
    storeTileRow16(c + 9 &* ldc, c90, c91, alpha: alpha, beta: beta)
    storeTileRow16(c + 10 &* ldc, c100, c101, alpha: alpha, beta: beta)
    storeTileRow16(c + 11 &* ldc, c110, c111, alpha: alpha, beta: beta)
}

/// Writes 32 accumulated values to one tile row: `row = alpha * acc + beta * row`.
@inline(__always)
private func storeTileRow16(
    _ row: UnsafeMutablePointer<Float>, _ low: SIMD16<Float>, _ high: SIMD16<Float>,
    alpha: Float, beta: Float
) {
    let raw = UnsafeMutableRawPointer(row)
    var outLow = low * alpha
    var outHigh = high * alpha
    if beta != 0 {
        outLow = outLow.addingProduct(raw.loadUnaligned(as: SIMD16<Float>.self), beta)
        outHigh = outHigh.addingProduct(
            raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), beta)
    }
    raw.storeBytes(of: outLow, as: SIMD16<Float>.self)
    raw.storeBytes(of: outHigh, toByteOffset: 64, as: SIMD16<Float>.self)
}
