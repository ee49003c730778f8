#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Scalar libm wrappers for the evaluation code (not on the training hot path).
func exponentialScalar(_ x: Float) -> Float { expf(x) }
func exponentialDouble(_ x: Double) -> Double { exp(x) }
func naturalLogDouble(_ x: Double) -> Double { log(x) }
