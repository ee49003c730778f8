// Vector square root without libm.

/// `sqrt(x)` for `x >= 0` (about 3 ulp), as `x * rsqrt(x)` with the rsqrt refined by three Newton
/// steps from the classic bit-level first guess.
///
/// Why not `SIMD8.squareRoot()`: on Linux it is eight scalar `sqrtss` with a libm fallback each,
/// and LLVM then scalarizes everything around it (measured: the whole Box-Muller ran 8x slower).
@_transparent
func vectorSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let guessBits = 0x5F37_59DF &- (unsafeBitCast(x, to: SIMD8<Int32>.self) &>> 1)
    var inverse = unsafeBitCast(guessBits, to: SIMD8<Float>.self)
    let halfX = 0.5 * x
    for _ in 0..<3 {
        inverse = inverse * (1.5 - halfX * inverse * inverse)
    }
    return (x * inverse).replacing(with: 0, where: x .== 0)
}
