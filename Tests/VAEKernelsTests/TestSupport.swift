import VAEKernels
import XCTest

/// A seeded source of test data, so a failure reproduces exactly.
struct TestRandom {
    var generator: Xoshiro256StarStar
    init(seed: UInt64) { generator = Xoshiro256StarStar(seed: seed) }
    /// Uniform in [low, high).
    mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * generator.nextUnitFloat()
    }
    mutating func array(_ count: Int, _ low: Float = -1, _ high: Float = 1) -> [Float] {
        (0..<count).map { _ in uniform(low, high) }
    }
}

/// Unit roundoff of Float (half an ulp of 1).
let floatUnitRoundoff = 0x1p-24

/// Runs `body` with pointers to the arrays' storage.
func withPointers<R>(
    _ a: [Float], _ body: (UnsafePointer<Float>) -> R
) -> R {
    a.withUnsafeBufferPointer { body($0.baseAddress!) }
}
