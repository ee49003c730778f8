import Foundation
import VAEKernels
import XCTest

/// Loss kernels against Double references: the sums (relative 1e-6) and every gradient element.
final class LossTests: XCTestCase {
    let counts = [0, 1, 7, 8, 9, 255, 256, 257, 784, 5000]

    func testSquaredError() {
        var random = TestRandom(seed: 31)
        for count in counts {
            let prediction = random.array(count, -3, 3), target = random.array(count, -3, 3)
            var gradient = [Float](repeating: .nan, count: count)
            let sum = squaredError(prediction: prediction, target: target, count: count,
                                   gradientScale: 0.25, gradient: &gradient)
            var expected = 0.0
            for i in 0..<count {
                let difference = Double(prediction[i]) - Double(target[i])
                expected += difference * difference
                XCTAssertEqual(Double(gradient[i]), 0.5 * difference,
                               accuracy: 2 * floatUnitRoundoff * abs(difference))
            }
            XCTAssertEqual(sum, expected, accuracy: 1e-6 * expected + 1e-12, "count \(count)")
        }
    }

    func testBinaryCrossEntropyFromLogits() {
        var random = TestRandom(seed: 32)
        for count in counts {
            var logits = random.array(count, -30, 30)
            if count > 4 { logits[0] = 0; logits[1] = 90; logits[2] = -90; logits[3] = 1e-6 }
            let targets = random.array(count, 0, 1)
            var gradient = [Float](repeating: .nan, count: count)
            let sum = binaryCrossEntropyWithLogits(logits: logits, targets: targets, count: count,
                                                   gradientScale: 0.5, gradient: &gradient)
            var expected = 0.0
            for i in 0..<count {
                let l = Double(logits[i]), x = Double(targets[i])
                let loss = max(l, 0) - x * l + Foundation.log1p(Foundation.exp(-abs(l)))
                expected += loss
                let slope = 1 / (1 + Foundation.exp(-l)) - x
                XCTAssertEqual(Double(gradient[i]), 0.5 * slope, accuracy: 4e-7,
                               "gradient at logit \(l), target \(x)")
            }
            XCTAssertEqual(sum, expected, accuracy: 2e-6 * expected + 1e-9, "count \(count)")
        }
    }

    func testBinaryCrossEntropySmallLogitsUseLog1p() {
        // Where 1 + e rounds, log1p must still be accurate: l = 20 gives e ~ 2e-9.
        let logits: [Float] = [20, 25, -20, 17]
        let targets: [Float] = [1, 1, 0, 1]
        var gradient = [Float](repeating: 0, count: 4)
        let sum = binaryCrossEntropyWithLogits(logits: logits, targets: targets, count: 4,
                                               gradientScale: 1, gradient: &gradient)
        let expected = logits.map { Foundation.log1p(Foundation.exp(-abs(Double($0)))) }
            .reduce(0, +)
        XCTAssertEqual(sum, expected, accuracy: 1e-6 * expected)
    }

    func testGaussianKL() {
        var random = TestRandom(seed: 33)
        for count in counts {
            let mu = random.array(count, -3, 3), logVariance = random.array(count, -8, 5)
            var muGradient = [Float](repeating: .nan, count: count)
            var logVarGradient = muGradient
            let kl = gaussianKLDivergence(mu: mu, logVariance: logVariance, count: count,
                                          gradientScale: 2, muGradient: &muGradient,
                                          logVarianceGradient: &logVarGradient)
            var expected = 0.0
            for i in 0..<count {
                let m = Double(mu[i]), lv = Double(logVariance[i])
                expected += -0.5 * (1 + lv - m * m - Foundation.exp(lv))
                XCTAssertEqual(Double(muGradient[i]), 2 * m, accuracy: 1e-12 + 2 * floatUnitRoundoff * abs(2 * m))
                let expectedLogVar = (Foundation.exp(lv) - 1)
                XCTAssertEqual(Double(logVarGradient[i]), expectedLogVar,
                               accuracy: 8 * floatUnitRoundoff * (Foundation.exp(lv) + 1))
            }
            XCTAssertEqual(kl, expected, accuracy: 1e-5 * abs(expected) + 1e-9, "count \(count)")
        }
    }
}
