// Plain stochastic gradient descent: p -= learningRate * g, one FMA per element.

/// `parameters[i] -= learningRate * gradients[i]` for `i < count`, in place.
///
/// The buffers must not overlap. Cost: one FMA per element, one read of each buffer.
public func sgdUpdate(
    _ parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, count: Int,
    learningRate: Float
) {
    precondition(count >= 0, "sgdUpdate: negative count \(count)")
    let step = -learningRate
    var index = 0
    while index &+ 8 <= count {
        storeVector(loadVector(parameters + index).addingProduct(loadVector(gradients + index), step),
                    to: parameters + index)
        index &+= 8
    }
    while index < count {
        parameters[index] = parameters[index].addingProduct(gradients[index], step)
        index &+= 1
    }
}
