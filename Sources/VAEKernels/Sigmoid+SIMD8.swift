// Logistic sigmoid in the rr2-p5-div form: evaluate on the negative half only,
// f = e / (1 + e) with e = exp(-|x|) (never overflows, no cancellation), and mirror as 1 - f for
// positive x.

/// Logistic sigmoid of one vector: `1 / (1 + e^-x)` per lane.
///
/// Within 2^-23 absolute (which is also `2^-23 * |y|` relative near 1) of a `Double` reference on
/// [-125, 125]; exactly 0 below about -104 and exactly 1 above about 17; NaN in gives NaN out.
@_transparent
func vectorSigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let negativeMagnitude = unsafeBitCast(
        unsafeBitCast(x, to: SIMD8<UInt32>.self) | 0x8000_0000, to: SIMD8<Float>.self)
    let e = vectorExp(negativeMagnitude)
    let f = e / (1 + e)
    return f.replacing(with: 1 - f, where: x .> 0)
}

/// `output[i] = sigmoid(input[i])` for `i < count`.
///
/// `input` and `output` may be the same buffer (in place); otherwise they must not overlap.
/// Cost: about 14 vector operations per 8 elements, one division.
public func sigmoid(
    _ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "sigmoid: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        storeVector(vectorSigmoid(loadVector(input + index)), to: output + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        storePartial(vectorSigmoid(loadPartial(input + index, count: remaining)),
                     to: output + index, count: remaining)
    }
}
