// Tail handling shared by the elementwise kernels: the last `count < 8` elements of a buffer are
// moved through one padded vector so the main loop's math (and its rounding) is used unchanged.

/// Loads `count` (0...8) floats into the low lanes, `padding` in the rest.
@inline(__always)
func loadPartial(
    _ source: UnsafePointer<Float>, count: Int, padding: Float = 0
) -> SIMD8<Float> {
    var vector = SIMD8<Float>(repeating: padding)
    for lane in 0..<count { vector[lane] = source[lane] }
    return vector
}

/// Stores the low `count` (0...8) lanes.
@inline(__always)
func storePartial(_ vector: SIMD8<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
    for lane in 0..<count { destination[lane] = vector[lane] }
}

/// Loads 8 floats from any alignment.
@inline(__always)
func loadVector(_ source: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores 8 floats to any alignment.
@inline(__always)
func storeVector(_ vector: SIMD8<Float>, to destination: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(destination).storeBytes(of: vector, as: SIMD8<Float>.self)
}
