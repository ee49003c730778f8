import Foundation
import VAEKernels
import XCTest

/// exp, log and sigmoid over their whole range, including the special values, against `Double`.
final class VectorMathTests: XCTestCase {
    /// A dense sweep of [low, high] plus every special value the kernels must get right.
    func sweep(_ low: Float, _ high: Float, points: Int = 400_003) -> [Float] {
        var values = (0..<points).map { low + (high - low) * Float($0) / Float(points - 1) }
        values += [0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                   .leastNormalMagnitude, -.leastNormalMagnitude, 1e-30, -1e-30,
                   .infinity, -.infinity, .nan, .greatestFiniteMagnitude,
                   -.greatestFiniteMagnitude]
        return values
    }

    func testSigmoidAccuracySaturationAndNaN() {
        let inputs = sweep(-125, 125) + [17.5, 20, 40, 88, 104, 110, -88, -103, -104.5, -110]
        var output = [Float](repeating: 0, count: inputs.count)
        // Odd count: the tail path runs too.
        sigmoid(inputs, count: inputs.count, output: &output)
        for (x, y) in zip(inputs, output) {
            if x.isNaN { XCTAssertTrue(y.isNaN, "sigmoid(NaN) must be NaN"); continue }
            let expected = 1 / (1 + Foundation.exp(-Double(x)))
            let bound = max(0x1p-23, 0x1p-23 * abs(expected))
            XCTAssertLessThanOrEqual(abs(Double(y) - expected), bound, "sigmoid(\(x)) = \(y)")
            XCTAssert(y >= 0 && y <= 1, "sigmoid(\(x)) = \(y) outside [0, 1]")
        }
        var extremes: [Float] = [-.infinity, -200, -125, 125, 200, .infinity, -0, 0]
        sigmoid(extremes, count: extremes.count, output: &extremes)
        XCTAssertEqual(extremes, [0, 0, 0, 1, 1, 1, 0.5, 0.5])
    }

    func testSigmoidInPlaceMatchesOutOfPlace() {
        let inputs = sweep(-30, 30, points: 1001)
        var outOfPlace = [Float](repeating: 0, count: inputs.count)
        sigmoid(inputs, count: inputs.count, output: &outOfPlace)
        var inPlace = inputs
        inPlace.withUnsafeMutableBufferPointer { b in
            sigmoid(b.baseAddress!, count: b.count, output: b.baseAddress!)
        }
        XCTAssertEqual(inPlace.map(\.bitPattern), outOfPlace.map(\.bitPattern))
    }

    func testExpAccuracyAndSpecialValues() {
        let inputs = sweep(-110, 95)
        var output = [Float](repeating: 0, count: inputs.count)
        exponential(inputs, count: inputs.count, output: &output)
        for (x, y) in zip(inputs, output) {
            if x.isNaN { XCTAssertTrue(y.isNaN); continue }
            let expected = Foundation.exp(Double(x))
            if expected > Double(Float.greatestFiniteMagnitude) {
                XCTAssertEqual(y, .infinity, "exp(\(x))")
            } else if expected >= Double(Float.leastNormalMagnitude) {
                // 2 ulp relative (an ulp is at most 2u relative).
                XCTAssertLessThanOrEqual(abs(Double(y) - expected), 4 * floatUnitRoundoff * expected,
                                         "exp(\(x)) = \(y), expected \(expected)")
            } else {
                // Subnormal results: the polynomial's relative error, then one rounding to the
                // subnormal grid (one step of 2^-149).
                XCTAssertLessThanOrEqual(abs(Double(y) - expected),
                                         Double(Float.leastNonzeroMagnitude) + 4 * floatUnitRoundoff * expected,
                                         "exp(\(x)) = \(y)")
            }
        }
        var specials: [Float] = [-.infinity, .infinity, 0, -0, -200, 200]
        exponential(specials, count: specials.count, output: &specials)
        XCTAssertEqual(specials, [0, .infinity, 1, 1, 0, .infinity])
    }

    func testLogAccuracyAndSpecialValues() {
        var inputs = sweep(0, 4).filter { $0 > 0 && $0.isFinite }
        inputs += (0..<20_000).map { Float.leastNonzeroMagnitude * Float($0 + 1) * 37 }  // subnormals
        inputs += (-60...60).map { Float(Foundation.pow(2.0, Double($0))) * 1.37 }
        inputs += [0x1p-24, 1 - 0x1p-24, 1, 1 + 0x1p-23, .greatestFiniteMagnitude]
        var output = [Float](repeating: 0, count: inputs.count)
        naturalLogarithm(inputs, count: inputs.count, output: &output)
        for (x, y) in zip(inputs, output) {
            let expected = Foundation.log(Double(x))
            XCTAssertLessThanOrEqual(abs(Double(y) - expected),
                                     4 * floatUnitRoundoff * abs(expected) + 1e-45,
                                     "log(\(x)) = \(y), expected \(expected)")
        }
        var specials: [Float] = [0, -0, .infinity, -1, .nan, -.infinity, 1]
        naturalLogarithm(specials, count: specials.count, output: &specials)
        XCTAssertEqual(specials[0], -.infinity)
        XCTAssertEqual(specials[1], -.infinity)
        XCTAssertEqual(specials[2], .infinity)
        XCTAssertTrue(specials[3].isNaN && specials[4].isNaN && specials[5].isNaN)
        XCTAssertEqual(specials[6], 0)
    }
}
