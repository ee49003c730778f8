// Bernoulli likelihood term from logits, in the stable softplus form
//   bce(l, x) = max(l, 0) - x l + log1p(exp(-|l|)),
// which never overflows and never takes log(0), and its gradient sigmoid(l) - x, both from the
// same exp(-|l|).

/// Returns `sum(bce(logits, targets))` over `count` elements (accumulated in `Double`) and writes
/// `gradient = gradientScale * (sigmoid(logits) - targets)`.
///
/// `gradient` may alias `logits`. Cost: one vector exp, one log and two divisions per 8 elements.
public func binaryCrossEntropyWithLogits(
    logits: UnsafePointer<Float>, targets: UnsafePointer<Float>, count: Int,
    gradientScale: Float, gradient: UnsafeMutablePointer<Float>
) -> Double {
    precondition(count >= 0, "binaryCrossEntropyWithLogits: negative count \(count)")
    var total = 0.0
    var blockStart = 0
    while blockStart < count {
        let blockEnd = min(blockStart &+ reductionBlock, count)
        var partial = SIMD8<Float>()
        var index = blockStart
        while index &+ 8 <= blockEnd {
            let (loss, slope) = crossEntropyTerms(loadVector(logits + index),
                                                  loadVector(targets + index))
            partial += loss
            storeVector(slope * gradientScale, to: gradient + index)
            index &+= 8
        }
        let remaining = blockEnd &- index
        if remaining > 0 {
            // Padding lanes (logit 0, target 0) give log 2 each; they are dropped, not summed.
            let (loss, slope) = crossEntropyTerms(loadPartial(logits + index, count: remaining),
                                                  loadPartial(targets + index, count: remaining))
            var kept = SIMD8<Float>()
            for lane in 0..<remaining { kept[lane] = loss[lane] }
            partial += kept
            storePartial(slope * gradientScale, to: gradient + index, count: remaining)
        }
        accumulate(partial, into: &total)
        blockStart = blockEnd
    }
    return total
}

/// Per-lane loss and `dloss/dlogit` for logits `l` and targets `x`.
@_transparent
func crossEntropyTerms(
    _ l: SIMD8<Float>, _ x: SIMD8<Float>
) -> (loss: SIMD8<Float>, slope: SIMD8<Float>) {
    let negativeMagnitude = unsafeBitCast(
        unsafeBitCast(l, to: SIMD8<UInt32>.self) | 0x8000_0000, to: SIMD8<Float>.self)
    let e = vectorExp(negativeMagnitude)            // in (0, 1]
    let onePlusE = 1 + e
    // log1p(e) = log(1 + e) * e / ((1 + e) - 1): exact correction of the rounding in 1 + e.
    let correction = e / (onePlusE - 1)
    var log1pE = vectorLog(onePlusE) * correction
    log1pE = log1pE.replacing(with: e, where: onePlusE .== 1)
    let positivePart = l.replacing(with: 0, where: l .< 0)
    let loss = (positivePart - x * l) + log1pE
    let negativeSigmoid = e / onePlusE               // sigmoid(-|l|)
    let sigmoidValue = negativeSigmoid.replacing(with: 1 - negativeSigmoid, where: l .> 0)
    return (loss, sigmoidValue - x)
}
