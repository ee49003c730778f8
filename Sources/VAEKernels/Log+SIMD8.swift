// Vector natural log with no libm calls, after Cephes' logf: split x = m * 2^e with m in
// [sqrt(1/2), sqrt(2)), a degree-9 polynomial for log(1 + f), f = m - 1, and e * ln2 added in two
// parts so the sum keeps full precision.

/// `log(x)` per lane, within 2 ulp for positive finite inputs (subnormals included).
///
/// Special cases: `log(0) = -inf`, `log(+inf) = +inf`, negative or NaN input gives NaN.
@_transparent
func vectorLog(_ x: SIMD8<Float>) -> SIMD8<Float> {
    typealias V = SIMD8<Float>
    typealias I = SIMD8<Int32>
    // Subnormals: scale into the normal range first and correct the exponent.
    let isSubnormal = x .< Float.leastNormalMagnitude
    let scaled = x.replacing(with: x * 0x1p23, where: isSubnormal)
    let bits = unsafeBitCast(scaled, to: I.self)
    var exponent = ((bits &>> 23) & 0xFF) &- 126
    exponent = exponent.replacing(with: exponent &- 23, where: isSubnormal)
    var mantissa = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: V.self)  // [0.5, 1)

    let belowRootHalf = mantissa .< 0.707106781186547524
    exponent = exponent.replacing(with: exponent &- 1, where: belowRootHalf)
    mantissa = mantissa.replacing(with: mantissa + mantissa, where: belowRootHalf)
    let f = mantissa - 1
    // Int32 -> Float through the magic-number trick: the stdlib conversion is an out-of-line call.
    let e = unsafeBitCast(exponent &+ 0x4B40_0000, to: V.self) - 0x1.8p23

    let f2 = f * f
    var p = V(repeating: 7.0376836292e-2)
    p = V(repeating: -1.1514610310e-1).addingProduct(p, f)
    p = V(repeating: 1.1676998740e-1).addingProduct(p, f)
    p = V(repeating: -1.2420140846e-1).addingProduct(p, f)
    p = V(repeating: 1.4249322787e-1).addingProduct(p, f)
    p = V(repeating: -1.6668057665e-1).addingProduct(p, f)
    p = V(repeating: 2.0000714765e-1).addingProduct(p, f)
    p = V(repeating: -2.4999993993e-1).addingProduct(p, f)
    p = V(repeating: 3.3333331174e-1).addingProduct(p, f)
    var y = p * f * f2
    y = y.addingProduct(e, -2.12194440e-4)
    y = y.addingProduct(f2, -0.5)
    var result = (f + y).addingProduct(e, 0.693359375)

    result = result.replacing(with: -.infinity, where: x .== 0)
    result = result.replacing(with: .infinity, where: x .== .infinity)
    result = result.replacing(with: .nan, where: .!(x .>= 0))  // negative or NaN
    return result
}

/// `output[i] = log(input[i])` for `i < count`, with the accuracy and special cases of the vector
/// log used by the noise and cross-entropy kernels. In place allowed.
public func naturalLogarithm(
    _ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "naturalLogarithm: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        storeVector(vectorLog(loadVector(input + index)), to: output + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        storePartial(vectorLog(loadPartial(input + index, count: remaining, padding: 1)),
                     to: output + index, count: remaining)
    }
}
