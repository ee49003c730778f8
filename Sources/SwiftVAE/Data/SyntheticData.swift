import VAEKernels

/// Gaussian data with low-dimensional structure that a VAE can learn.
///
/// Draws, from one xoshiro256** stream seeded with `randomSeed`, in this order:
/// 1. a mixing matrix `A` (`k x nFeatures`, `k = min(4, nFeatures)` latent factors) with entries
///    `N(0, 1) / sqrt(k)`;
/// 2. for each sample, factors `f ~ N(0, I_k)` and noise `e ~ N(0, 0.1^2 I)`;
/// and returns `x = f A + e`, one sample per row (`nSamples x nFeatures`). Each feature then has
/// variance about 1.01, of which 0.01 is unexplainable noise.
///
/// Non-positive sizes are a programmer error (`precondition`).
public func generateSyntheticData(nSamples: Int, nFeatures: Int, randomSeed: UInt64) -> Matrix {
    precondition(nSamples >= 1 && nFeatures >= 1,
                 "generateSyntheticData: sizes must be positive, got \(nSamples)x\(nFeatures)")
    let factorCount = min(4, nFeatures)
    var generator = Xoshiro256StarStar(seed: randomSeed)
    var mixing = [Float](repeating: 0, count: factorCount * nFeatures)
    mixing.withUnsafeMutableBufferPointer {
        fillStandardNormal($0.baseAddress!, count: $0.count, generator: &generator)
    }
    let mixingScale = 1 / Float(factorCount).squareRoot()
    var result = Matrix(rows: nSamples, columns: nFeatures)
    var factors = [Float](repeating: 0, count: factorCount)
    var noise = [Float](repeating: 0, count: nFeatures)
    for row in 0..<nSamples {
        factors.withUnsafeMutableBufferPointer {
            fillStandardNormal($0.baseAddress!, count: factorCount, generator: &generator)
        }
        noise.withUnsafeMutableBufferPointer {
            fillStandardNormal($0.baseAddress!, count: nFeatures, generator: &generator)
        }
        for column in 0..<nFeatures {
            var value = 0.1 * noise[column]
            for factor in 0..<factorCount {
                value += factors[factor] * mixing[factor * nFeatures + column] * mixingScale
            }
            result.scalars[row * nFeatures + column] = value
        }
    }
    return result
}
