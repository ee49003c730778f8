import VAEKernels

/// Losses of one batch: sums over the batch (divide by the row count for batch means).
struct BatchLossSums {
    var reconstruction: Double
    var kl: Double
}

/// The forward and backward pass of the VAE over a workspace: the whole training step except the
/// optimizer. Every function here works on preallocated buffers and allocates nothing.
enum ForwardBackward {
    /// Encoder and heads: fills `hiddenEncoder`, `mu`, `logVariance` for the first `rows` rows of
    /// `workspace.input`.
    static func encode(_ p: ParameterStore, _ w: Workspace, rows: Int) {
        let parallel = w.parallel
        parallel.gemm(m: rows, n: w.hiddenDim, k: w.inputDim, a: w.input.baseAddress, lda: w.inputDim,
             b: p.encoderWeight, ldb: w.hiddenDim, c: w.hiddenEncoder.baseAddress,
             ldc: w.hiddenDim)
        addBias(p.encoderBias, to: w.hiddenEncoder.baseAddress, rows: rows, columns: w.hiddenDim,
                applyReLU: true)
        // Both heads in one product h [W_mu | W_logVar]: one GEMM of 2 latentDim columns instead
        // of two narrow ones (the latent width is 4-64, a fraction of a micro-tile).
        interleaveColumns(p.muWeight, p.logVarianceWeight, rows: w.hiddenDim, width: w.latentDim,
                          into: w.headsWeight.baseAddress)
        parallel.gemm(m: rows, n: 2 * w.latentDim, k: w.hiddenDim, a: w.hiddenEncoder.baseAddress,
             lda: w.hiddenDim, b: w.headsWeight.baseAddress, ldb: 2 * w.latentDim,
             c: w.heads.baseAddress, ldc: 2 * w.latentDim)
        splitColumns(w.heads.baseAddress, rows: rows, width: w.latentDim,
                     into: w.mu.baseAddress, w.logVariance.baseAddress)
        addBias(p.muBias, to: w.mu.baseAddress, rows: rows, columns: w.latentDim)
        addBias(p.logVarianceBias, to: w.logVariance.baseAddress, rows: rows, columns: w.latentDim)
    }

    /// `z = mu + exp(logVar / 2) * noise` from the workspace's `noise`.
    static func sample(_ w: Workspace, rows: Int) {
        reparameterize(mu: w.mu.baseAddress, logVariance: w.logVariance.baseAddress,
                       noise: w.noise.baseAddress, count: rows * w.latentDim, z: w.z.baseAddress,
                       standardDeviation: w.standardDeviation.baseAddress)
    }

    /// Decoder: fills `hiddenDecoder` and `output` (logits for Bernoulli, the mean for Gaussian)
    /// from `z`.
    static func decode(_ p: ParameterStore, _ w: Workspace, rows: Int) {
        let parallel = w.parallel
        parallel.gemm(m: rows, n: w.hiddenDim, k: w.latentDim, a: w.z.baseAddress, lda: w.latentDim,
             b: p.decoderWeight, ldb: w.hiddenDim, c: w.hiddenDecoder.baseAddress,
             ldc: w.hiddenDim)
        addBias(p.decoderBias, to: w.hiddenDecoder.baseAddress, rows: rows, columns: w.hiddenDim,
                applyReLU: true)
        parallel.gemm(m: rows, n: w.inputDim, k: w.hiddenDim, a: w.hiddenDecoder.baseAddress,
             lda: w.hiddenDim, b: p.outputWeight, ldb: w.inputDim, c: w.output.baseAddress,
             ldc: w.inputDim)
        addBias(p.outputBias, to: w.output.baseAddress, rows: rows, columns: w.inputDim)
    }

    /// Forward pass, loss, and every parameter gradient of the batch-mean loss, for the first
    /// `rows` rows of `input` with the workspace's `noise`.
    static func lossAndGradients(
        _ p: ParameterStore, _ w: Workspace, rows: Int, likelihood: Likelihood,
        klWeight: Float = 1, logVarianceBounds: ClosedRange<Float>? = nil
    ) -> BatchLossSums {
        encode(p, w, rows: rows)
        if let bounds = logVarianceBounds {
            clamp(w.logVariance.baseAddress, count: rows * w.latentDim, lower: bounds.lowerBound,
                  upper: bounds.upperBound)
        }
        sample(w, rows: rows)
        decode(p, w, rows: rows)

        let meanScale = 1 / Float(rows)
        let outputCount = rows * w.inputDim, latentCount = rows * w.latentDim
        let reconstruction: Double
        switch likelihood {
        case .gaussian:
            reconstruction = squaredError(
                prediction: w.output.baseAddress, target: w.input.baseAddress, count: outputCount,
                gradientScale: meanScale, gradient: w.outputGradient.baseAddress)
        case .bernoulli:
            reconstruction = binaryCrossEntropyWithLogits(
                logits: w.output.baseAddress, targets: w.input.baseAddress, count: outputCount,
                gradientScale: meanScale, gradient: w.outputGradient.baseAddress)
        }
        let kl = gaussianKLDivergence(
            mu: w.mu.baseAddress, logVariance: w.logVariance.baseAddress, count: latentCount,
            gradientScale: meanScale * klWeight, muGradient: w.muGradient.baseAddress,
            logVarianceGradient: w.logVarianceGradient.baseAddress)
        backward(p, w, rows: rows, logVarianceBounds: logVarianceBounds)
        return BatchLossSums(reconstruction: reconstruction, kl: kl)
    }

    /// Backpropagation from `outputGradient` (and the KL gradients already in `muGradient`,
    /// `logVarianceGradient`) to every parameter gradient.
    static func backward(_ p: ParameterStore, _ w: Workspace, rows: Int,
                         logVarianceBounds: ClosedRange<Float>? = nil) {
        let parallel = w.parallel
        let g = w.parameterGradients
        let hidden = w.hiddenDim, latent = w.latentDim, input = w.inputDim

        // Output layer: dW_out = g^T dOut, db_out = 1^T dOut, dg = dOut W_out^T.
        parallel.gemm(transposeA: true, m: hidden, n: input, k: rows, a: w.hiddenDecoder.baseAddress,
             lda: hidden, b: w.outputGradient.baseAddress, ldb: input, c: g[8].baseAddress,
             ldc: input)
        columnSums(w.outputGradient.baseAddress, rows: rows, columns: input, sums: g[9].baseAddress)
        parallel.gemm(transposeB: true, m: rows, n: hidden, k: input, a: w.outputGradient.baseAddress,
             lda: input, b: p.outputWeight, ldb: input, c: w.hiddenDecoderGradient.baseAddress,
             ldc: hidden)
        reluBackward(outputGradient: w.hiddenDecoderGradient.baseAddress,
                     activation: w.hiddenDecoder.baseAddress, count: rows * hidden,
                     inputGradient: w.hiddenDecoderGradient.baseAddress)

        // Decoder layer: dW_dec = z^T dg', db_dec, dz = dg' W_dec^T.
        parallel.gemm(transposeA: true, m: latent, n: hidden, k: rows, a: w.z.baseAddress, lda: latent,
             b: w.hiddenDecoderGradient.baseAddress, ldb: hidden, c: g[6].baseAddress,
             ldc: hidden)
        columnSums(w.hiddenDecoderGradient.baseAddress, rows: rows, columns: hidden,
                   sums: g[7].baseAddress)
        parallel.gemm(transposeB: true, m: rows, n: latent, k: hidden,
             a: w.hiddenDecoderGradient.baseAddress, lda: hidden, b: p.decoderWeight, ldb: hidden,
             c: w.zGradient.baseAddress, ldc: latent)

        // Through the sample onto the KL gradients: dmu += dz, dlogVar += dz sigma eps / 2.
        reparameterizeBackward(
            zGradient: w.zGradient.baseAddress, standardDeviation: w.standardDeviation.baseAddress,
            noise: w.noise.baseAddress, count: rows * latent, muGradient: w.muGradient.baseAddress,
            logVarianceGradient: w.logVarianceGradient.baseAddress)
        if let bounds = logVarianceBounds {
            clampBackward(w.logVarianceGradient.baseAddress, clamped: w.logVariance.baseAddress,
                          count: rows * latent, lower: bounds.lowerBound, upper: bounds.upperBound)
        }

        // Heads, as one product: [dW_mu | dW_logVar] = h^T [dmu | dlogVar] and
        // dh = [dmu | dlogVar] [W_mu | W_logVar]^T (the interleaved weights from `encode`).
        interleaveColumns(w.muGradient.baseAddress, w.logVarianceGradient.baseAddress, rows: rows,
                          width: latent, into: w.headsGradient.baseAddress)
        parallel.gemm(transposeA: true, m: hidden, n: 2 * latent, k: rows,
             a: w.hiddenEncoder.baseAddress, lda: hidden, b: w.headsGradient.baseAddress,
             ldb: 2 * latent, c: w.headsWeightGradient.baseAddress, ldc: 2 * latent)
        splitColumns(w.headsWeightGradient.baseAddress, rows: hidden, width: latent,
                     into: g[2].baseAddress, g[4].baseAddress)
        columnSums(w.muGradient.baseAddress, rows: rows, columns: latent, sums: g[3].baseAddress)
        columnSums(w.logVarianceGradient.baseAddress, rows: rows, columns: latent,
                   sums: g[5].baseAddress)
        parallel.gemm(transposeB: true, m: rows, n: hidden, k: 2 * latent,
             a: w.headsGradient.baseAddress, lda: 2 * latent, b: w.headsWeight.baseAddress,
             ldb: 2 * latent, c: w.hiddenEncoderGradient.baseAddress, ldc: hidden)
        reluBackward(outputGradient: w.hiddenEncoderGradient.baseAddress,
                     activation: w.hiddenEncoder.baseAddress, count: rows * hidden,
                     inputGradient: w.hiddenEncoderGradient.baseAddress)

        // Encoder layer: dW_enc = x^T dh', db_enc.
        parallel.gemm(transposeA: true, m: input, n: hidden, k: rows, a: w.input.baseAddress, lda: input,
             b: w.hiddenEncoderGradient.baseAddress, ldb: hidden, c: g[0].baseAddress,
             ldc: hidden)
        columnSums(w.hiddenEncoderGradient.baseAddress, rows: rows, columns: hidden,
                   sums: g[1].baseAddress)
    }
}

/// `out[r] = [left[r] | right[r]]` for `rows` rows of `width` floats each.
private func interleaveColumns(
    _ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, rows: Int, width: Int,
    into out: UnsafeMutablePointer<Float>
) {
    for r in 0..<rows {
        (out + 2 &* r &* width).update(from: left + r &* width, count: width)
        (out + (2 &* r &+ 1) &* width).update(from: right + r &* width, count: width)
    }
}

/// The inverse of `interleaveColumns`: `left[r]`, `right[r]` from `[left | right]` rows.
private func splitColumns(
    _ source: UnsafePointer<Float>, rows: Int, width: Int,
    into left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>
) {
    for r in 0..<rows {
        (left + r &* width).update(from: source + 2 &* r &* width, count: width)
        (right + r &* width).update(from: source + (2 &* r &+ 1) &* width, count: width)
    }
}
