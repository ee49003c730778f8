// ReLU and its gradient. The backward mask is taken from the forward output: output > 0 exactly
// where the pre-activation was > 0, so the pre-activation buffer need not be kept.

/// `output[i] = max(input[i], 0)`; NaN stays NaN. In place allowed.
public func relu(_ input: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
    precondition(count >= 0, "relu: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        let value = loadVector(input + index)
        storeVector(value.replacing(with: 0, where: value .< 0), to: output + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        let value = loadPartial(input + index, count: remaining)
        storePartial(value.replacing(with: 0, where: value .< 0), to: output + index,
                     count: remaining)
    }
}

/// `inputGradient[i] = activation[i] > 0 ? outputGradient[i] : 0`, where `activation` is the ReLU
/// output (or the pre-activation: the mask is the same). `inputGradient` may alias
/// `outputGradient`.
public func reluBackward(
    outputGradient: UnsafePointer<Float>, activation: UnsafePointer<Float>, count: Int,
    inputGradient: UnsafeMutablePointer<Float>
) {
    precondition(count >= 0, "reluBackward: negative count \(count)")
    var index = 0
    while index &+ 8 <= count {
        let gradient = loadVector(outputGradient + index)
        let mask = loadVector(activation + index) .> 0
        storeVector(SIMD8<Float>().replacing(with: gradient, where: mask), to: inputGradient + index)
        index &+= 8
    }
    let remaining = count &- index
    if remaining > 0 {
        let gradient = loadPartial(outputGradient + index, count: remaining)
        let mask = loadPartial(activation + index, count: remaining) .> 0
        storePartial(SIMD8<Float>().replacing(with: gradient, where: mask),
                     to: inputGradient + index, count: remaining)
    }
}
