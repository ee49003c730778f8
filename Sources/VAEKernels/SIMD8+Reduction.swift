// Loss sums are accumulated per 256-element block in eight Float lanes and then added into a
// Double, so a 100,000-element batch keeps ~1e-7 relative accuracy and the summation order is
// fixed by the buffer length alone (deterministic whatever else runs).

/// Elements per Float-accumulated block before the partial sum is moved into a `Double`.
let reductionBlock = 256

/// Adds the eight lanes of a partial sum into a `Double` total in a fixed order.
@inline(__always)
func accumulate(_ partial: SIMD8<Float>, into total: inout Double) {
    var blockSum = Double(partial[0])
    for lane in 1..<8 { blockSum += Double(partial[lane]) }
    total += blockSum
}
