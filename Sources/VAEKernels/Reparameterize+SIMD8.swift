// The reparameterization trick z = mu + sigma * eps with sigma = exp(logVar / 2), and its
// backward pass. The forward pass keeps sigma so the backward pass needs no second exp.

/// `z = mu + exp(0.5 * logVariance) * noise` elementwise over `count` values, also writing
/// `standardDeviation = exp(0.5 * logVariance)` for the backward pass.
///
/// All buffers hold `count` floats and must not overlap, except that `z` may alias `mu`.
/// Cost: one vector exp and one FMA per 8 elements.
public func reparameterize(
    mu: UnsafePointer<Float>, logVariance: UnsafePointer<Float>, noise: UnsafePointer<Float>,
    count: Int, z: UnsafeMutablePointer<Float>,
    standardDeviation: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "reparameterize: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        let sigma = vectorExp(0.5 * loadVector(logVariance + index))
        storeVector(sigma, to: standardDeviation + index)
        storeVector(loadVector(mu + index).addingProduct(sigma, loadVector(noise + index)),
                    to: z + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        let sigma = vectorExp(0.5 * loadPartial(logVariance + index, count: remaining))
        storePartial(sigma, to: standardDeviation + index, count: remaining)
        let value = loadPartial(mu + index, count: remaining)
            .addingProduct(sigma, loadPartial(noise + index, count: remaining))
        storePartial(value, to: z + index, count: remaining)
    }
}

/// Backward pass of `reparameterize`: given `dL/dz`, accumulates
/// `muGradient += zGradient` and `logVarianceGradient += zGradient * 0.5 * sigma * noise`.
///
/// Accumulating (not overwriting) lets the KL gradient be written first and this added on top.
/// The gradient buffers must not overlap the inputs.
public func reparameterizeBackward(
    zGradient: UnsafePointer<Float>, standardDeviation: UnsafePointer<Float>,
    noise: UnsafePointer<Float>, count: Int,
    muGradient: UnsafeMutablePointer<Float>, logVarianceGradient: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "reparameterizeBackward: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        let gradient = loadVector(zGradient + index)
        storeVector(loadVector(muGradient + index) + gradient, to: muGradient + index)
        let scaled = 0.5 * loadVector(standardDeviation + index) * loadVector(noise + index)
        storeVector(loadVector(logVarianceGradient + index).addingProduct(gradient, scaled),
                    to: logVarianceGradient + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        let gradient = loadPartial(zGradient + index, count: remaining)
        storePartial(loadPartial(muGradient + index, count: remaining) + gradient,
                     to: muGradient + index, count: remaining)
        let scaled = 0.5 * loadPartial(standardDeviation + index, count: remaining)
            * loadPartial(noise + index, count: remaining)
        storePartial(loadPartial(logVarianceGradient + index, count: remaining)
                        .addingProduct(gradient, scaled),
                     to: logVarianceGradient + index, count: remaining)
    }
}
