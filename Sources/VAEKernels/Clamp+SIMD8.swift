// Clamping (the log-variance bounds that keep exp(logVar) finite) and its gradient.

/// `values[i] = min(max(values[i], lower), upper)` in place. NaN stays NaN.
public func clamp(_ values: UnsafeMutablePointer<Float>, count: Int, lower: Float, upper: Float) {
    precondition(count >= 0 && lower <= upper, "clamp: bad arguments")
    var index = 0
    while index &+ 8 <= count {
        var v = loadVector(values + index)
        v = v.replacing(with: lower, where: v .< lower)
        v = v.replacing(with: upper, where: v .> upper)
        storeVector(v, to: values + index)
        index &+= 8
    }
    while index < count {
        values[index] = min(max(values[index], lower), upper)
        index &+= 1
    }
}

/// Gradient of `clamp`: `gradient[i] = 0` where `clamped[i]` sits on a bound (the input was
/// outside, where the clamp is flat), unchanged inside. In place.
public func clampBackward(
    _ gradient: UnsafeMutablePointer<Float>, clamped: UnsafePointer<Float>, count: Int,
    lower: Float, upper: Float
) {
    var index = 0
    while index &+ 8 <= count {
        let v = loadVector(clamped + index)
        let g = loadVector(gradient + index)
        let outside = (v .<= lower) .| (v .>= upper)
        storeVector(g.replacing(with: 0, where: outside), to: gradient + index)
        index &+= 8
    }
    while index < count {
        if clamped[index] <= lower || clamped[index] >= upper { gradient[index] = 0 }
        index &+= 1
    }
}
