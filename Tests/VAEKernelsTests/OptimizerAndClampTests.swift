import Foundation
import VAEKernels
import XCTest

final class OptimizerAndClampTests: XCTestCase {
    /// Adam against a scalar Double implementation of PyTorch's rule, over several steps, at
    /// lengths with and without a tail. Tolerance: 1e-5 relative plus 1e-7 (the Float rounding of
    /// a handful of operations per step, and the ~3-ulp vector square root).
    func testAdamMatchesDoubleReference() {
        var random = TestRandom(seed: 61)
        for count in [1, 7, 8, 9, 33] {
            var parameters = random.array(count)
            var m = [Float](repeating: 0, count: count), v = m
            var p = parameters.map(Double.init), mRef = [Double](repeating: 0, count: count), vRef = mRef
            let (lr, b1, b2, eps, scale) = (1e-2, 0.9, 0.999, 1e-8, 0.5)
            for step in 1...5 {
                let gradients = random.array(count, -2, 2)
                adamUpdate(&parameters, gradients: gradients, firstMoment: &m, secondMoment: &v,
                           count: count, learningRate: Float(lr), beta1: Float(b1), beta2: Float(b2),
                           epsilon: Float(eps), step: step, gradientScale: Float(scale))
                for i in 0..<count {
                    let g = Double(gradients[i]) * scale
                    mRef[i] = b1 * mRef[i] + (1 - b1) * g
                    vRef[i] = b2 * vRef[i] + (1 - b2) * g * g
                    let denominator = vRef[i].squareRoot() / (1 - Foundation.pow(b2, Double(step))).squareRoot() + eps
                    p[i] -= lr / (1 - Foundation.pow(b1, Double(step))) * mRef[i] / denominator
                }
            }
            for i in 0..<count {
                XCTAssertEqual(Double(parameters[i]), p[i], accuracy: 1e-5 * abs(p[i]) + 1e-6, "count \(count) index \(i)")
                XCTAssertEqual(Double(m[i]), mRef[i], accuracy: 1e-5 * abs(mRef[i]) + 1e-7)
            }
        }
    }

    func testClampAndItsGradient() {
        var values: [Float] = [-50, -30, -1, 0, 5, 20, 25, .nan, 3, 4, -31]
        clamp(&values, count: values.count, lower: -30, upper: 20)
        XCTAssertEqual(Array(values[0..<7]), [-30, -30, -1, 0, 5, 20, 20])
        XCTAssertTrue(values[7].isNaN)
        XCTAssertEqual(values[10], -30)
        var gradient = [Float](repeating: 1, count: values.count)
        clampBackward(&gradient, clamped: values, count: values.count, lower: -30, upper: 20)
        XCTAssertEqual(gradient, [0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0])
    }

    func testSumOfSquares() {
        var random = TestRandom(seed: 62)
        for count in [0, 1, 9, 300] {
            let values = random.array(count)
            let expected = values.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertEqual(sumOfSquares(values, count: count), expected, accuracy: 1e-6 * expected + 1e-12)
        }
    }
}
