import VAEKernels

/// Mean per-sample losses on a data set.
public struct EvaluationLosses: Equatable, Sendable {
    /// Negative ELBO: reconstruction + KL.
    public var total: Double
    public var reconstruction: Double
    public var kl: Double
}

/// Held-out evaluation of a model: the negative ELBO (averaged over noise draws) and the
/// importance-weighted estimate of -log p(x). Buffers are allocated once, in `init`.
public final class VAEEvaluator {
    public let model: VariationalAutoencoder
    let data: AlignedBuffer
    let sampleCount: Int
    let workspace: Workspace
    let logVarianceBounds: ClosedRange<Float>?
    /// The encoder outputs of the current batch, kept while its importance samples are decoded.
    let rowMu: AlignedBuffer, rowLogVariance: AlignedBuffer
    let rowCapacity: Int

    /// `x`: the evaluation rows (n x inputDim). `chunk` rows are processed at a time.
    public init(model: VariationalAutoencoder, x: Matrix, chunk: Int = 500,
                logVarianceBounds: ClosedRange<Float>? = -30...20,
                threads: Int = availableCores) throws {
        guard x.rows >= 1, x.columns == model.inputDim else {
            throw VAEError.shapeMismatch(what: "evaluation data", expected: "Nx\(model.inputDim), N >= 1",
                                         actual: x.shapeDescription)
        }
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw VAEError.nonFiniteData(what: "evaluation data", row: bad / x.columns, column: bad % x.columns)
        }
        self.model = model
        sampleCount = x.rows
        let copy = AlignedBuffer(count: x.scalars.count)
        x.scalars.withUnsafeBufferPointer { copy.baseAddress.update(from: $0.baseAddress!, count: $0.count) }
        data = copy
        rowCapacity = max(1, min(chunk, 1 << 16))
        workspace = Workspace(capacity: rowCapacity, inputDim: model.inputDim,
                              hiddenDim: model.hiddenDim, latentDim: model.latentDim,
                              threads: threads)
        rowMu = AlignedBuffer(count: rowCapacity * model.latentDim)
        rowLogVariance = AlignedBuffer(count: rowCapacity * model.latentDim)
        self.logVarianceBounds = logVarianceBounds
    }

    private func loadRows(_ start: Int, _ rows: Int) {
        workspace.input.baseAddress.update(from: data.baseAddress + start * model.inputDim,
                                           count: rows * model.inputDim)
    }

    private func encodeLoaded(rows: Int) {
        ForwardBackward.encode(model.store, workspace, rows: rows)
        if let bounds = logVarianceBounds {
            clamp(workspace.logVariance.baseAddress, count: rows * model.latentDim,
                  lower: bounds.lowerBound, upper: bounds.upperBound)
        }
    }

    /// Reconstruction loss of one output row against its target row.
    private func reconstructionSum(output: UnsafePointer<Float>, targets: UnsafePointer<Float>) -> Double {
        let w = workspace, count = model.inputDim
        switch model.likelihood {
        case .gaussian:
            return squaredError(prediction: output, target: targets, count: count,
                                gradientScale: 0, gradient: w.outputGradient.baseAddress)
        case .bernoulli:
            return binaryCrossEntropyWithLogits(logits: output, targets: targets, count: count,
                                                gradientScale: 0, gradient: w.outputGradient.baseAddress)
        }
    }

    /// The mean per-sample negative ELBO (reconstruction + KL, as in training), with the
    /// reconstruction averaged over `noiseDraws` samples of z per row.
    public func negativeELBO(noiseDraws: Int = 1, seed: UInt64 = 0) -> EvaluationLosses {
        let rows = negativeELBOPerRow(noiseDraws: noiseDraws, seed: seed)
        var reconstruction = 0.0, kl = 0.0
        for row in rows {
            reconstruction += row.reconstruction
            kl += row.kl
        }
        let n = Double(sampleCount)
        return EvaluationLosses(total: (reconstruction + kl) / n, reconstruction: reconstruction / n,
                                kl: kl / n)
    }

    /// The negative ELBO of each row (the anomaly score of `vae-run score`).
    public func negativeELBOPerRow(noiseDraws: Int = 1, seed: UInt64 = 0) -> [EvaluationLosses] {
        precondition(noiseDraws >= 1, "negativeELBO: noiseDraws must be >= 1")
        var generator = Xoshiro256StarStar(seed: seed)
        let w = workspace, latent = model.latentDim, input = model.inputDim
        var result = [EvaluationLosses](repeating: EvaluationLosses(total: 0, reconstruction: 0, kl: 0),
                                        count: sampleCount)
        var start = 0
        while start < sampleCount {
            let rows = min(rowCapacity, sampleCount - start)
            loadRows(start, rows)
            encodeLoaded(rows: rows)
            for r in 0..<rows {
                result[start + r].kl = gaussianKLDivergence(
                    mu: w.mu.baseAddress + r * latent, logVariance: w.logVariance.baseAddress + r * latent,
                    count: latent, gradientScale: 0, muGradient: w.muGradient.baseAddress,
                    logVarianceGradient: w.logVarianceGradient.baseAddress)
            }
            for _ in 0..<noiseDraws {
                fillStandardNormal(w.noise.baseAddress, count: rows * latent, generator: &generator)
                ForwardBackward.sample(w, rows: rows)
                ForwardBackward.decode(model.store, w, rows: rows)
                for r in 0..<rows {
                    result[start + r].reconstruction += reconstructionSum(
                        output: w.output.baseAddress + r * input,
                        targets: w.input.baseAddress + r * input) / Double(noiseDraws)
                }
            }
            start += rows
        }
        for i in result.indices { result[i].total = result[i].reconstruction + result[i].kl }
        return result
    }

    /// The importance-weighted estimate of the mean per-sample `-log p(x)` with `samples`
    /// (k) posterior samples per row (Burda et al.):
    /// `-log (1/k) sum_k p(x | z_k) p(z_k) / q(z_k | x)`, z_k ~ q(z | x), with a log-sum-exp in
    /// Double. For the Gaussian likelihood p(x | z) is the unit-variance normal density (so the
    /// constant `D/2 log 2 pi` is included, unlike the training loss).
    public func iwaeNegativeLogLikelihood(samples: Int, seed: UInt64 = 0) -> Double {
        iwaeNegativeLogLikelihoodPerRow(samples: samples, seed: seed).reduce(0, +) / Double(sampleCount)
    }

    /// The IWAE estimate of `-log p(x)` for each row.
    public func iwaeNegativeLogLikelihoodPerRow(samples: Int, seed: UInt64 = 0) -> [Double] {
        precondition(samples >= 1, "iwaeNegativeLogLikelihood: samples must be >= 1")
        var perRow = [Double](repeating: 0, count: sampleCount)
        var generator = Xoshiro256StarStar(seed: seed)
        let w = workspace, latent = model.latentDim, input = model.inputDim
        let halfLogTwoPi = 0.918_938_533_204_672_7
        // Log weights in Double (once per call, not per row): they are O(100) nats apart.
        let logWeights = UnsafeMutablePointer<Double>.allocate(capacity: samples)
        defer { logWeights.deallocate() }
        let rowTarget = AlignedBuffer(count: input)
        var start = 0
        while start < sampleCount {
            let rows = min(rowCapacity, sampleCount - start)
            loadRows(start, rows)
            encodeLoaded(rows: rows)
            rowMu.baseAddress.update(from: w.mu.baseAddress, count: rows * latent)
            rowLogVariance.baseAddress.update(from: w.logVariance.baseAddress, count: rows * latent)
            for row in 0..<rows {
                rowTarget.baseAddress.update(from: data.baseAddress + (start + row) * input, count: input)
                let mu = rowMu.baseAddress + row * latent
                let logVariance = rowLogVariance.baseAddress + row * latent
                var done = 0
                while done < samples {
                    let batch = min(rowCapacity, samples - done)
                    fillStandardNormal(w.noise.baseAddress, count: batch * latent, generator: &generator)
                    for b in 0..<batch {
                        let eps = w.noise.baseAddress + b * latent
                        let z = w.z.baseAddress + b * latent
                        var logPrior = 0.0, logPosterior = 0.0
                        for j in 0..<latent {
                            let sigma = Double(exponentialScalar(0.5 * logVariance[j]))
                            let value = Double(mu[j]) + sigma * Double(eps[j])
                            z[j] = Float(value)
                            logPrior += -0.5 * value * value - halfLogTwoPi
                            logPosterior += -0.5 * Double(eps[j]) * Double(eps[j])
                                - 0.5 * Double(logVariance[j]) - halfLogTwoPi
                        }
                        logWeights[done + b] = logPrior - logPosterior
                    }
                    ForwardBackward.decode(model.store, w, rows: batch)
                    for b in 0..<batch {
                        let output = w.output.baseAddress + b * input
                        let logLikelihood: Double
                        switch model.likelihood {
                        case .bernoulli:
                            logLikelihood = -binaryCrossEntropyWithLogits(
                                logits: output, targets: rowTarget.baseAddress, count: input,
                                gradientScale: 0, gradient: w.outputGradient.baseAddress)
                        case .gaussian:
                            logLikelihood = -0.5 * squaredError(
                                prediction: output, target: rowTarget.baseAddress, count: input,
                                gradientScale: 0, gradient: w.outputGradient.baseAddress)
                                - Double(input) * halfLogTwoPi
                        }
                        logWeights[done + b] += logLikelihood
                    }
                    done += batch
                }
                perRow[start + row] = -logMeanExp(logWeights, count: samples)
            }
            start += rows
        }
        return perRow
    }
}

/// log((1/n) sum exp(values)), stable: the maximum is factored out. In Double.
func logMeanExp(_ values: UnsafePointer<Double>, count: Int) -> Double {
    var maximum = -Double.infinity
    for i in 0..<count { maximum = max(maximum, values[i]) }
    guard maximum.isFinite else { return maximum }
    var sum = 0.0
    for i in 0..<count { sum += exponentialDouble(values[i] - maximum) }
    return maximum + naturalLogDouble(sum / Double(count))
}
