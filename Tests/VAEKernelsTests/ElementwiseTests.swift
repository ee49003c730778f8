import VAEKernels
import XCTest

/// Bias add, ReLU, column sums, SGD and reparameterization against scalar references, at lengths
/// around the vector width (0, 1, 7, 8, 9, 15, 16, 17) and the VAE widths (20, 400, 784).
final class ElementwiseTests: XCTestCase {
    let widths = [1, 7, 8, 9, 15, 16, 17, 20, 400, 784]

    func testBiasAddWithAndWithoutReLU() {
        var random = TestRandom(seed: 3)
        for columns in widths {
            for rows in [1, 3, 5] {
                let matrix = random.array(rows * columns), bias = random.array(columns)
                for applyReLU in [false, true] {
                    var result = matrix
                    addBias(bias, to: &result, rows: rows, columns: columns, applyReLU: applyReLU)
                    for r in 0..<rows {
                        for j in 0..<columns {
                            var expected = matrix[r * columns + j] + bias[j]
                            if applyReLU { expected = max(expected, 0) }
                            XCTAssertEqual(result[r * columns + j], expected,
                                           "\(rows)x\(columns) relu=\(applyReLU) at \(r),\(j)")
                        }
                    }
                }
            }
        }
    }

    func testReLUForwardBackwardAndNaN() {
        var random = TestRandom(seed: 4)
        for count in [0] + widths {
            var input = random.array(count)
            if count > 2 { input[1] = .nan; input[2] = 0 }
            var output = [Float](repeating: 9, count: count)
            relu(input, count: count, output: &output)
            for i in 0..<count {
                if input[i].isNaN { XCTAssertTrue(output[i].isNaN) } else {
                    XCTAssertEqual(output[i], max(input[i], 0))
                }
            }
            let upstream = random.array(count)
            var gradient = upstream
            reluBackward(outputGradient: upstream, activation: output, count: count,
                         inputGradient: &gradient)   // distinct buffers
            for i in 0..<count {
                XCTAssertEqual(gradient[i], output[i] > 0 ? upstream[i] : 0, "index \(i)")
            }
            // In place: gradient buffer aliases the upstream gradient.
            var inPlace = upstream
            inPlace.withUnsafeMutableBufferPointer { buffer in
                reluBackward(outputGradient: buffer.baseAddress!, activation: output,
                             count: count, inputGradient: buffer.baseAddress!)
            }
            XCTAssertEqual(inPlace, gradient)
        }
    }

    func testColumnSumsMatchDoubleReference() {
        var random = TestRandom(seed: 5)
        for columns in widths {
            for rows in [0, 1, 2, 128] {
                let matrix = random.array(rows * columns)
                var sums = [Float](repeating: .nan, count: columns)
                columnSums(matrix, rows: rows, columns: columns, sums: &sums)
                for j in 0..<columns {
                    var expected = 0.0, magnitude = 0.0
                    for r in 0..<rows {
                        expected += Double(matrix[r * columns + j])
                        magnitude += abs(Double(matrix[r * columns + j]))
                    }
                    XCTAssertLessThanOrEqual(abs(Double(sums[j]) - expected),
                                             Double(rows) * floatUnitRoundoff * magnitude,
                                             "\(rows)x\(columns) column \(j)")
                }
            }
        }
    }

    func testSGDUpdate() {
        var random = TestRandom(seed: 6)
        for count in [0] + widths {
            let parameters = random.array(count), gradients = random.array(count)
            var updated = parameters
            sgdUpdate(&updated, gradients: gradients, count: count, learningRate: 0.1)
            for i in 0..<count {
                // One FMA: exactly the correctly rounded p - 0.1 g.
                let expected = Float(Double(parameters[i]) - Double(Float(0.1)) * Double(gradients[i]))
                XCTAssertEqual(updated[i], expected, "index \(i)")
            }
        }
    }

    func testReparameterizeForwardAndBackward() {
        var random = TestRandom(seed: 7)
        for count in [0] + widths {
            let mu = random.array(count, -2, 2), logVariance = random.array(count, -6, 4)
            let noise = random.array(count, -3, 3)
            var z = [Float](repeating: 0, count: count)
            var sigma = [Float](repeating: 0, count: count)
            reparameterize(mu: mu, logVariance: logVariance, noise: noise, count: count,
                           z: &z, standardDeviation: &sigma)
            for i in 0..<count {
                let expectedSigma = Foundation.exp(0.5 * Double(logVariance[i]))
                XCTAssertEqual(Double(sigma[i]), expectedSigma, accuracy: 4 * floatUnitRoundoff * expectedSigma)
                let expectedZ = Double(mu[i]) + expectedSigma * Double(noise[i])
                XCTAssertEqual(Double(z[i]), expectedZ,
                               accuracy: 4 * floatUnitRoundoff * (abs(Double(mu[i])) + abs(expectedSigma * Double(noise[i]))))
            }
            let upstream = random.array(count)
            let muStart = random.array(count), logVarStart = random.array(count)
            var muGradient = muStart, logVarGradient = logVarStart
            reparameterizeBackward(zGradient: upstream, standardDeviation: sigma, noise: noise,
                                   count: count, muGradient: &muGradient,
                                   logVarianceGradient: &logVarGradient)
            for i in 0..<count {
                XCTAssertEqual(muGradient[i], muStart[i] + upstream[i])
                let expected = Double(logVarStart[i])
                    + Double(upstream[i]) * 0.5 * Double(sigma[i]) * Double(noise[i])
                XCTAssertEqual(Double(logVarGradient[i]), expected,
                               accuracy: 4 * floatUnitRoundoff * (abs(expected) + abs(Double(logVarStart[i]))) + 1e-12)
            }
        }
    }
}
