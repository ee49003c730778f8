import Foundation
import SwiftVAE
import XCTest

/// The model's forward pass and gradients against the Double reference.
final class ModelTests: XCTestCase {
    func makeModel(_ likelihood: Likelihood, seed: UInt64) throws -> VariationalAutoencoder {
        // Odd sizes: none is a multiple of 8 or of a GEMM tile.
        try VariationalAutoencoder(inputDim: 11, hiddenDim: 13, latentDim: 3,
                                   likelihood: likelihood, seed: seed)
    }

    func data(_ likelihood: Likelihood, rows: Int, seed: UInt64) -> Matrix {
        likelihood == .bernoulli
            ? randomMatrix(rows: rows, columns: 11, seed: seed, 0, 1)
            : randomMatrix(rows: rows, columns: 11, seed: seed, -2, 2)
    }

    func testSIMDPathAgreesWithScalarReference() throws {
        for likelihood in Likelihood.allCases {
            for seed: UInt64 in [1, 2, 3] {
                let model = try makeModel(likelihood, seed: seed)
                // Random biases too, so every parameter matters.
                for name in ["b_enc", "b_mu", "b_logVar", "b_dec", "b_out"] {
                    let shape = model.parameters[name]!
                    try model.setParameter(name, to: randomMatrix(rows: 1, columns: shape.columns,
                                                                  seed: seed + 100, -0.3, 0.3))
                }
                let x = data(likelihood, rows: 7, seed: seed + 10)
                let noise = randomMatrix(rows: 7, columns: 3, seed: seed + 20, -2, 2)
                let reference = ScalarReferenceVAE(model).evaluate(x, noise: noise)
                let result = model.computeLossAndGradients(x, noise: noise)
                XCTAssertEqual(Double(result.totalLoss), reference.total,
                               accuracy: 1e-5 * abs(reference.total), "\(likelihood) seed \(seed)")
                XCTAssertEqual(Double(result.reconLoss), reference.reconstruction,
                               accuracy: 1e-5 * abs(reference.reconstruction))
                XCTAssertEqual(Double(result.klLoss), reference.kl, accuracy: 1e-5 * abs(reference.kl) + 1e-7)
                let (mu, logVar) = model.encode(x)
                for r in 0..<7 {
                    for k in 0..<3 {
                        XCTAssertEqual(Double(mu[r, k]), reference.mu[r][k], accuracy: 1e-5)
                        XCTAssertEqual(Double(logVar[r, k]), reference.logVariance[r][k], accuracy: 1e-5)
                    }
                }
                let z = model.reparameterize(mu: mu, logVar: logVar, noise: noise)
                let decoded = model.decode(z)
                for r in 0..<7 {
                    for j in 0..<11 {
                        let logit = reference.output[r][j]
                        let expected = likelihood == .bernoulli ? 1 / (1 + exp(-logit)) : logit
                        XCTAssertEqual(Double(decoded[r, j]), expected, accuracy: 1e-5 * max(1, abs(expected)))
                    }
                }
            }
        }
    }

    /// Every parameter's analytic gradient against central finite differences of the Double
    /// reference loss. Tolerance: |analytic - numeric| <= 2e-3 |numeric| + 2e-5. The analytic
    /// gradient is computed in Float (relative error ~1e-6 per operation); the numeric one with
    /// h = 1e-4 has truncation error O(h^2) ~ 1e-8 and no kink crossings at these values.
    func testGradientsMatchFiniteDifferencesInDouble() throws {
        for likelihood in Likelihood.allCases {
            let model = try makeModel(likelihood, seed: 5)
            for name in ["b_enc", "b_mu", "b_logVar", "b_dec", "b_out"] {
                let columns = model.parameters[name]!.columns
                try model.setParameter(name, to: randomMatrix(rows: 1, columns: columns, seed: 9, -0.2, 0.2))
            }
            let x = data(likelihood, rows: 5, seed: 6)
            let noise = randomMatrix(rows: 5, columns: 3, seed: 7, -1.5, 1.5)
            let analytic = model.computeLossAndGradients(x, noise: noise).gradients
            XCTAssertEqual(Set(analytic.names), Set(VariationalAutoencoder.parameterNames))
            var reference = ScalarReferenceVAE(model)
            let h = 1e-4
            var checked = 0
            for name in VariationalAutoencoder.parameterNames {
                let gradient = try XCTUnwrap(analytic[name])
                XCTAssertEqual(gradient.scalars.count, reference.parameters[name]!.count)
                for index in reference.parameters[name]!.indices {
                    let original = reference.parameters[name]![index]
                    reference.parameters[name]![index] = original + h
                    let plus = reference.evaluate(x, noise: noise).total
                    reference.parameters[name]![index] = original - h
                    let minus = reference.evaluate(x, noise: noise).total
                    reference.parameters[name]![index] = original
                    let numeric = (plus - minus) / (2 * h)
                    let value = Double(gradient.scalars[index])
                    XCTAssertEqual(value, numeric, accuracy: 2e-3 * abs(numeric) + 2e-5,
                                   "\(likelihood) d/d\(name)[\(index)]")
                    checked += 1
                }
            }
            XCTAssertEqual(checked, 11 * 13 + 13 + 2 * (13 * 3 + 3) + 3 * 13 + 13 + 13 * 11 + 11)
        }
    }

    func testApplyGradientsIsSGD() throws {
        let model = try makeModel(.gaussian, seed: 8)
        let before = model.parameters
        let x = data(.gaussian, rows: 4, seed: 3)
        let result = model.computeLossAndGradients(x, noise: randomMatrix(rows: 4, columns: 3, seed: 4))
        model.applyGradients(result.gradients, learningRate: 0.5)
        for name in VariationalAutoencoder.parameterNames {
            let expected = zip(before[name]!.scalars, result.gradients[name]!.scalars).map {
                $0.addingProduct($1, -0.5)
            }
            XCTAssertEqual(model.parameters[name]!.scalars, expected, name)
        }
    }

    func testInitialisationIsSeededHeAndGlorot() throws {
        let a = try VariationalAutoencoder(inputDim: 784, hiddenDim: 400, latentDim: 20, seed: 42)
        let b = try VariationalAutoencoder(inputDim: 784, hiddenDim: 400, latentDim: 20, seed: 42)
        let c = try VariationalAutoencoder(inputDim: 784, hiddenDim: 400, latentDim: 20, seed: 43)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertNotEqual(a.parameters["W_enc"], c.parameters["W_enc"])
        func standardDeviation(_ m: Matrix) -> Double {
            let values = m.scalars.map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        // He: sqrt(2 / fanIn); Glorot: sqrt(2 / (fanIn + fanOut)); within 3 % (n >= 8000).
        XCTAssertEqual(standardDeviation(a.parameters["W_enc"]!), (2.0 / 784).squareRoot(), accuracy: 0.03 * (2.0 / 784).squareRoot())
        XCTAssertEqual(standardDeviation(a.parameters["W_dec"]!), (2.0 / 20).squareRoot(), accuracy: 0.03 * (2.0 / 20).squareRoot())
        XCTAssertEqual(standardDeviation(a.parameters["W_mu"]!), (2.0 / 420).squareRoot(), accuracy: 0.03 * (2.0 / 420).squareRoot())
        XCTAssertEqual(standardDeviation(a.parameters["W_out"]!), (2.0 / 1184).squareRoot(), accuracy: 0.03 * (2.0 / 1184).squareRoot())
        XCTAssertTrue(a.parameters["b_enc"]!.scalars.allSatisfy { $0 == 0 })
        XCTAssertEqual(a.parameters["W_enc"]!.rows, 784)
        XCTAssertEqual(a.parameters["W_enc"]!.columns, 400)
        XCTAssertEqual(a.parameters["b_out"]!.rows, 1)
        XCTAssertEqual(a.parameters["b_out"]!.columns, 784)
    }

    func testInvalidSizesAndParametersThrow() {
        XCTAssertThrowsError(try VariationalAutoencoder(inputDim: 0, hiddenDim: 4, latentDim: 2)) {
            XCTAssertEqual($0 as? VAEError, .invalidSize(name: "inputDim", value: 0, reason: "must be at least 1"))
        }
        XCTAssertThrowsError(try VariationalAutoencoder(inputDim: 4, hiddenDim: -3, latentDim: 2))
        XCTAssertThrowsError(try VariationalAutoencoder(inputDim: 1 << 23, hiddenDim: 1 << 23, latentDim: 2))
        let model = try! VariationalAutoencoder(inputDim: 4, hiddenDim: 3, latentDim: 2)
        XCTAssertThrowsError(try model.setParameter("W_nope", to: Matrix(rows: 1, columns: 1)))
        XCTAssertThrowsError(try model.setParameter("W_enc", to: Matrix(rows: 3, columns: 4))) {
            XCTAssertEqual("\($0)", "parameter W_enc has shape 3x4, expected 4x3")
        }
        XCTAssertThrowsError(try model.setParameter("b_enc", to: Matrix(rows: 1, columns: 3, repeating: .nan)))
    }
}
