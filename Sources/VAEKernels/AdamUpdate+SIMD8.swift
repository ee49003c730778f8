// The Adam optimizer step (Kingma and Ba), in the form PyTorch uses:
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,
//   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).

/// One Adam step on `count` parameters in place, with moment buffers `m` and `v` (same length,
/// zero before the first step) and the 1-based `step` count. `gradientScale` multiplies every
/// gradient first (gradient-norm clipping). Buffers must not overlap.
/// Cost: about 12 vector operations per 8 parameters, one read of four buffers, three writes.
public func adamUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>,
    firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
    count: Int, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, step: Int,
    gradientScale: Float = 1
) {
    precondition(count >= 0 && step >= 1, "adamUpdate: bad arguments")
    let stepSize = learningRate / Float(1 - integerPower(Double(beta1), step))
    let inverseRoot = Float(1 / (1 - integerPower(Double(beta2), step)).squareRoot())
    @inline(__always)
    func update(_ p: SIMD8<Float>, _ g: SIMD8<Float>, _ oldM: SIMD8<Float>, _ oldV: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)
    {
        let scaled = g * gradientScale
        let newM = (beta1 * oldM).addingProduct(scaled, 1 - beta1)
        let newV = (beta2 * oldV).addingProduct(scaled * scaled, 1 - beta2)
        let denominator = (vectorSquareRoot(newV) * inverseRoot) + epsilon
        return (p - stepSize * newM / denominator, newM, newV)
    }
    var index = 0
    while index &+ 8 <= count {
        let (p, newM, newV) = update(loadVector(parameters + index), loadVector(gradients + index),
                                     loadVector(m + index), loadVector(v + index))
        storeVector(p, to: parameters + index)
        storeVector(newM, to: m + index)
        storeVector(newV, to: v + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        let (p, newM, newV) = update(
            loadPartial(parameters + index, count: remaining),
            loadPartial(gradients + index, count: remaining),
            loadPartial(m + index, count: remaining), loadPartial(v + index, count: remaining))
        storePartial(p, to: parameters + index, count: remaining)
        storePartial(newM, to: m + index, count: remaining)
        storePartial(newV, to: v + index, count: remaining)
    }
}

/// `base^exponent` for a non-negative integer exponent, by repeated squaring (no libm).
@inline(__always)
func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0, factor = base, n = exponent
    while n > 0 {
        if n & 1 == 1 { result *= factor }
        factor *= factor
        n >>= 1
    }
    return result
}
