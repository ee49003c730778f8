import Foundation
import SwiftVAE

/// The VAE's forward pass and loss written plainly in Double, for clarity not speed: the
/// independent check of the SIMD path and the function the finite differences differentiate.
struct ScalarReferenceVAE {
    var parameters: [String: [Double]]
    let inputDim: Int, hiddenDim: Int, latentDim: Int
    let likelihood: Likelihood

    init(_ model: VariationalAutoencoder) {
        parameters = model.parameters.mapValues { $0.scalars.map(Double.init) }
        inputDim = model.inputDim
        hiddenDim = model.hiddenDim
        latentDim = model.latentDim
        likelihood = model.likelihood
    }

    /// y = x W + b for one row.
    func layer(_ x: [Double], _ weight: String, _ bias: String, outputs: Int) -> [Double] {
        let w = parameters[weight]!, b = parameters[bias]!
        return (0..<outputs).map { j in
            var sum = b[j]
            for i in x.indices { sum += x[i] * w[i * outputs + j] }
            return sum
        }
    }

    struct Result {
        var total: Double, reconstruction: Double, kl: Double
        var output: [[Double]]   // logits (Bernoulli) or mean (Gaussian), per row
        var mu: [[Double]], logVariance: [[Double]]
    }

    /// Batch-mean losses of `x` with noise `eps`.
    func evaluate(_ x: Matrix, noise: Matrix) -> Result {
        var reconstruction = 0.0, kl = 0.0
        var outputs: [[Double]] = [], mus: [[Double]] = [], logVariances: [[Double]] = []
        for r in 0..<x.rows {
            let row = (0..<inputDim).map { Double(x[r, $0]) }
            let h = layer(row, "W_enc", "b_enc", outputs: hiddenDim).map { max($0, 0) }
            let mu = layer(h, "W_mu", "b_mu", outputs: latentDim)
            let logVariance = layer(h, "W_logVar", "b_logVar", outputs: latentDim)
            let z = (0..<latentDim).map { mu[$0] + exp(0.5 * logVariance[$0]) * Double(noise[r, $0]) }
            let g = layer(z, "W_dec", "b_dec", outputs: hiddenDim).map { max($0, 0) }
            let out = layer(g, "W_out", "b_out", outputs: inputDim)
            for j in 0..<inputDim {
                switch likelihood {
                case .gaussian:
                    reconstruction += (out[j] - row[j]) * (out[j] - row[j])
                case .bernoulli:
                    reconstruction += max(out[j], 0) - row[j] * out[j] + log1p(exp(-abs(out[j])))
                }
            }
            for k in 0..<latentDim {
                kl += -0.5 * (1 + logVariance[k] - mu[k] * mu[k] - exp(logVariance[k]))
            }
            outputs.append(out)
            mus.append(mu)
            logVariances.append(logVariance)
        }
        let n = Double(x.rows)
        return Result(total: (reconstruction + kl) / n, reconstruction: reconstruction / n,
                      kl: kl / n, output: outputs, mu: mus, logVariance: logVariances)
    }
}

/// A seeded matrix of uniform values in [low, high).
func randomMatrix(rows: Int, columns: Int, seed: UInt64, _ low: Float = -1, _ high: Float = 1) -> Matrix {
    var generator = Xoshiro256StarStar(seed: seed)
    return Matrix(rows: rows, columns: columns,
                  scalars: (0..<rows * columns).map { _ in low + (high - low) * generator.nextUnitFloat() })
}
