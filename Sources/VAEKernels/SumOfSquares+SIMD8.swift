// Sum of squares (the squared L2 norm of a gradient, for norm clipping).

/// `sum(values[i]^2)` over `count` elements, in 256-element Float blocks added into a Double.
public func sumOfSquares(_ values: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0
    var blockStart = 0
    while blockStart < count {
        let blockEnd = min(blockStart &+ reductionBlock, count)
        var partial = SIMD8<Float>()
        var index = blockStart
        while index &+ 8 <= blockEnd {
            let v = loadVector(values + index)
            partial = partial.addingProduct(v, v)
            index &+= 8
        }
        let v = loadPartial(values + index, count: blockEnd &- index)
        partial = partial.addingProduct(v, v)
        accumulate(partial, into: &total)
        blockStart = blockEnd
    }
    return total
}
