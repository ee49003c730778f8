// Vector exp with no libm calls: the rr2-p5 scheme (as in XNNPACK's f32 exp kernels). Range
// reduction x = n ln2 + r with ln2 split in two parts (rr2) so r is exact to ~2^-32, then a
// degree-5 minimax polynomial for e^r on [-ln2/2, ln2/2] (p5). 2^n is applied as two factors
// 2^(n/2) * 2^(n - n/2) so results in the subnormal range are rounded once, not flushed.

/// `e^x` per lane, within 2 ulp of the correctly rounded result for normal results.
///
/// Exact special cases: `+inf` for `x > ln(Float.greatestFiniteMagnitude)` (about 88.72),
/// 0 for `x < -103.98`, `e^-inf = 0`, `e^+inf = +inf`, NaN in gives NaN out.
/// Cost: 1 round, 2 FMAs for the reduction, 5 FMAs for the polynomial, 2 multiplies.
@_transparent
func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    typealias V = SIMD8<Float>
    // Beyond these the result is inf or 0 anyway; clamping keeps n inside the two-factor range.
    // Comparisons are false for NaN, so NaN passes through and poisons the polynomial.
    var clamped = x.replacing(with: 89, where: x .> 89)
    clamped = clamped.replacing(with: -104, where: clamped .< -104)

    let magicRound: Float = 0x1.8p23
    let biased = V(repeating: magicRound).addingProduct(clamped, 0x1.715476p+0)
    let n = biased - magicRound
    var r = clamped.addingProduct(n, -0x1.62E400p-1)
    r = r.addingProduct(n, -0x1.7F7D1Cp-20)

    var p = V(repeating: 0x1.0F9F9Cp-7)
    // Swift never fuses `a * b + c`; addingProduct is the FMA.
    p = V(repeating: 0x1.573A1Ap-5).addingProduct(p, r)
    p = V(repeating: 0x1.555A80p-3).addingProduct(p, r)
    p = V(repeating: 0x1.FFFDC6p-2).addingProduct(p, r)
    p = V(repeating: 0x1.FFFFF6p-1).addingProduct(p, r)
    p = V(repeating: 1).addingProduct(p, r)

    // The low mantissa bits of `biased` hold n as a two's-complement integer.
    let integerN = unsafeBitCast(biased, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let firstHalf = integerN &>> 1
    let secondHalf = integerN &- firstHalf
    let firstScale = unsafeBitCast((firstHalf &+ 127) &<< 23, to: V.self)
    let secondScale = unsafeBitCast((secondHalf &+ 127) &<< 23, to: V.self)
    return p * firstScale * secondScale
}

/// `output[i] = e^input[i]` for `i < count`, with the accuracy and special cases of the vector exp
/// used inside the sigmoid, reparameterization and loss kernels. In place allowed.
public func exponential(
    _ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "exponential: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        storeVector(vectorExp(loadVector(input + index)), to: output + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        storePartial(vectorExp(loadPartial(input + index, count: remaining)),
                     to: output + index, count: remaining)
    }
}
