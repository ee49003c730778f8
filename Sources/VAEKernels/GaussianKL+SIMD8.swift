// KL divergence of N(mu, exp(logVar)) from N(0, 1), analytic, with its gradient.

/// Returns `-0.5 * sum(1 + logVariance - mu^2 - exp(logVariance))` over `count` elements
/// (accumulated in `Double`) and writes the gradients scaled by `gradientScale`:
/// `muGradient = gradientScale * mu`, `logVarianceGradient = gradientScale * 0.5 * (exp(logVariance) - 1)`.
///
/// The gradient buffers are overwritten (the reparameterization backward pass adds to them).
/// They must not overlap the inputs. Cost: one vector exp per 8 elements.
public func gaussianKLDivergence(
    mu: UnsafePointer<Float>, logVariance: UnsafePointer<Float>, count: Int,
    gradientScale: Float,
    muGradient: UnsafeMutablePointer<Float>, logVarianceGradient: UnsafeMutablePointer<Float>
) -> Double {
    precondition(count >= 0, "gaussianKLDivergence: negative count \(count)")
    let halfScale = 0.5 * gradientScale
    var total = 0.0
    var blockStart = 0
    while blockStart < count {
        let blockEnd = min(blockStart &+ reductionBlock, count)
        var partial = SIMD8<Float>()
        var index = blockStart
        while index &+ 8 <= blockEnd {
            let m = loadVector(mu + index), logVar = loadVector(logVariance + index)
            let variance = vectorExp(logVar)
            // 1 + logVar - mu^2 - var, as (1 + logVar - var) - mu^2.
            partial += (1 + logVar - variance) - m * m
            storeVector(m * gradientScale, to: muGradient + index)
            storeVector((variance - 1) * halfScale, to: logVarianceGradient + index)
            index &+= 8
        }
        let remaining = blockEnd &- index
        if remaining > 0 {
            // Padding lanes (mu 0, logVar 0) contribute 1 + 0 - 0 - 1 = 0 exactly.
            let m = loadPartial(mu + index, count: remaining)
            let logVar = loadPartial(logVariance + index, count: remaining)
            let variance = vectorExp(logVar)
            partial += (1 + logVar - variance) - m * m
            storePartial(m * gradientScale, to: muGradient + index, count: remaining)
            storePartial((variance - 1) * halfScale, to: logVarianceGradient + index,
                         count: remaining)
        }
        accumulate(partial, into: &total)
        blockStart = blockEnd
    }
    return -0.5 * total
}
