// Gaussian likelihood term: summed squared error and its gradient in one pass.

/// Returns `sum((prediction - target)^2)` over `count` elements, computed in Float lanes and
/// accumulated in `Double`, and writes `gradient = gradientScale * 2 * (prediction - target)`.
///
/// `gradientScale` folds the loss normalisation in (for a batch mean, `1 / batchSize`).
/// `gradient` may alias `prediction`. Cost: one pass, 3 vector operations per 8 elements.
public func squaredError(
    prediction: UnsafePointer<Float>, target: UnsafePointer<Float>, count: Int,
    gradientScale: Float, gradient: UnsafeMutablePointer<Float>
) -> Double {
    precondition(count >= 0, "squaredError: negative count \(count)")
    let twiceScale = 2 * gradientScale
    var total = 0.0
    var blockStart = 0
    while blockStart < count {
        let blockEnd = min(blockStart &+ reductionBlock, count)
        var partial = SIMD8<Float>()
        var index = blockStart
        while index &+ 8 <= blockEnd {
            let difference = loadVector(prediction + index) - loadVector(target + index)
            partial = partial.addingProduct(difference, difference)
            storeVector(difference * twiceScale, to: gradient + index)
            index &+= 8
        }
        let remaining = blockEnd &- index
        if remaining > 0 {
            let difference = loadPartial(prediction + index, count: remaining)
                - loadPartial(target + index, count: remaining)
            partial = partial.addingProduct(difference, difference)
            storePartial(difference * twiceScale, to: gradient + index, count: remaining)
        }
        accumulate(partial, into: &total)
        blockStart = blockEnd
    }
    return total
}
