import VAEKernels

/// A fully connected Variational Autoencoder with one hidden layer in the encoder and decoder.
///
/// ```
/// x (batch x inputDim) -> h = relu(x W_enc + b_enc)            (hiddenDim)
///                      -> mu = h W_mu + b_mu, logVar = h W_logVar + b_logVar  (latentDim each)
/// z = mu + exp(logVar / 2) * eps,  eps ~ N(0, I)
/// z -> g = relu(z W_dec + b_dec) (hiddenDim) -> g W_out + b_out  (inputDim)
/// ```
/// The output is the mean for `.gaussian` and the logits for `.bernoulli` (where `decode` applies
/// the sigmoid). Loss per batch: reconstruction = batch mean of the per-sample summed squared
/// error (Gaussian) or binary cross-entropy from the logits (Bernoulli); KL = batch mean of
/// `-0.5 * sum(1 + logVar - mu^2 - exp(logVar))`; total = reconstruction + KL.
///
/// The per-call methods take and return `Matrix` values and allocate their results; training
/// (`trainVAE`, `VAETrainer`) runs on a preallocated workspace and allocates nothing per step.
/// Shape mismatches in the per-call methods are programmer errors (`precondition`).
/// Not thread-safe: use one model from one thread at a time.
public final class VariationalAutoencoder {
    let store: ParameterStore
    /// The reconstruction likelihood.
    public let likelihood: Likelihood
    /// Noise for the methods that draw `eps` themselves; seeded from the model's seed.
    var noiseGenerator: Xoshiro256StarStar
    /// Reused by the per-call methods while the batch size stays the same.
    private var cachedWorkspace: Workspace?

    /// Creates a model with He/Glorot-normal weights and zero biases drawn from `seed`.
    ///
    /// Throws `VAEError.invalidSize` when a dimension is below 1 or the parameter count
    /// overflows. The same arguments give bit-identical weights.
    public init(inputDim: Int, hiddenDim: Int, latentDim: Int,
                likelihood: Likelihood = .gaussian, seed: UInt64 = 0) throws {
        for (name, value) in [("inputDim", inputDim), ("hiddenDim", hiddenDim),
                              ("latentDim", latentDim)] where value < 1 {
            throw VAEError.invalidSize(name: name, value: value, reason: "must be at least 1")
        }
        // Largest buffer: a weight matrix; keep every count well inside Int and memory.
        for (name, value) in [("inputDim", inputDim), ("hiddenDim", hiddenDim),
                              ("latentDim", latentDim)] where value > 1 << 24 {
            throw VAEError.invalidSize(name: name, value: value, reason: "must be at most 2^24")
        }
        let (product, overflow) = inputDim.multipliedReportingOverflow(by: hiddenDim)
        if overflow || product > 1 << 31 {
            throw VAEError.invalidSize(name: "inputDim * hiddenDim", value: product,
                                       reason: "a weight matrix above 2^31 elements is not supported")
        }
        store = ParameterStore(inputDim: inputDim, hiddenDim: hiddenDim, latentDim: latentDim)
        store.initialize(seed: seed)
        self.likelihood = likelihood
        noiseGenerator = Xoshiro256StarStar(seed: seed ^ 0x5EED_0F_401_5E)
    }

    /// Width of the data.
    public var inputDim: Int { store.inputDim }
    /// Width of the hidden layers.
    public var hiddenDim: Int { store.hiddenDim }
    /// Width of the latent code.
    public var latentDim: Int { store.latentDim }

    /// Every parameter by name: "W_enc", "b_enc", "W_mu", "b_mu", "W_logVar", "b_logVar",
    /// "W_dec", "b_dec", "W_out", "b_out". Weights are (fanIn x fanOut), biases (1 x fanOut).
    public var parameters: [String: Matrix] {
        var result: [String: Matrix] = [:]
        for (index, name) in ParameterStore.names.enumerated() {
            result[name] = matrix(store.buffers[index], shape: store.shapes[index])
        }
        return result
    }

    /// Parameter names in their fixed order.
    public static var parameterNames: [String] { ParameterStore.names }

    /// Replaces one parameter. Throws for an unknown name, a wrong shape or non-finite values.
    public func setParameter(_ name: String, to value: Matrix) throws {
        guard let index = ParameterStore.index(of: name) else {
            throw VAEError.unknownParameter(name: name, known: ParameterStore.names)
        }
        let shape = store.shapes[index]
        guard value.rows == shape.rows && value.columns == shape.columns else {
            throw VAEError.shapeMismatch(what: "parameter \(name)",
                                         expected: "\(shape.rows)x\(shape.columns)",
                                         actual: value.shapeDescription)
        }
        if let bad = value.scalars.firstIndex(where: { !$0.isFinite }) {
            throw VAEError.nonFiniteData(what: "parameter \(name)", row: bad / value.columns,
                                         column: bad % value.columns)
        }
        value.scalars.withUnsafeBufferPointer { source in
            store.buffers[index].baseAddress.update(from: source.baseAddress!, count: source.count)
        }
    }

    // MARK: - Per-call inference

    /// The approximate posterior's parameters for each row of `x` (batch x inputDim):
    /// `mu` and `logVar`, each batch x latentDim.
    public func encode(_ x: Matrix) -> (mu: Matrix, logVar: Matrix) {
        let w = workspace(loading: x, caller: "encode")
        ForwardBackward.encode(store, w, rows: x.rows)
        return (rowsOf(w.mu, x.rows, latentDim), rowsOf(w.logVariance, x.rows, latentDim))
    }

    /// `z = mu + exp(logVar / 2) * eps` with `eps` drawn from the model's own noise generator.
    public func reparameterize(mu: Matrix, logVar: Matrix) -> Matrix {
        precondition(mu.columns == latentDim && logVar.rows == mu.rows
                        && logVar.columns == latentDim,
                     "reparameterize: mu \(mu.shapeDescription) and logVar "
                        + "\(logVar.shapeDescription) must both be Nx\(latentDim)")
        var noise = Matrix(rows: mu.rows, columns: latentDim)
        noise.scalars.withUnsafeMutableBufferPointer { buffer in
            fillStandardNormal(buffer.baseAddress!, count: buffer.count,
                               generator: &noiseGenerator)
        }
        return reparameterize(mu: mu, logVar: logVar, noise: noise)
    }

    /// `z = mu + exp(logVar / 2) * noise`, all batch x latentDim.
    public func reparameterize(mu: Matrix, logVar: Matrix, noise: Matrix) -> Matrix {
        precondition(mu.columns == latentDim && logVar.rows == mu.rows
                        && logVar.columns == latentDim && noise.rows == mu.rows
                        && noise.columns == latentDim,
                     "reparameterize: mu \(mu.shapeDescription), logVar "
                        + "\(logVar.shapeDescription) and noise \(noise.shapeDescription) must "
                        + "all be Nx\(latentDim)")
        var z = Matrix(rows: mu.rows, columns: latentDim)
        var standardDeviation = Matrix(rows: mu.rows, columns: latentDim)
        z.scalars.withUnsafeMutableBufferPointer { zBuffer in
            standardDeviation.scalars.withUnsafeMutableBufferPointer { sigmaBuffer in
                VAEKernels.reparameterize(
                    mu: mu.scalars, logVariance: logVar.scalars, noise: noise.scalars,
                    count: zBuffer.count, z: zBuffer.baseAddress!,
                    standardDeviation: sigmaBuffer.baseAddress!)
            }
        }
        return z
    }

    /// The decoder's mean for each latent row of `z` (batch x latentDim): batch x inputDim,
    /// with the sigmoid applied for `.bernoulli`.
    public func decode(_ z: Matrix) -> Matrix {
        precondition(z.columns == latentDim,
                     "decode: z is \(z.shapeDescription), expected Nx\(latentDim)")
        let w = workspace(rows: z.rows)
        copy(z, into: w.z)
        ForwardBackward.decode(store, w, rows: z.rows)
        return mean(w, rows: z.rows)
    }

    /// Encode, sample (noise from the model's generator), decode.
    public func forward(_ x: Matrix) -> (reconstruction: Matrix, mu: Matrix, logVar: Matrix) {
        let w = workspace(loading: x, caller: "forward")
        ForwardBackward.encode(store, w, rows: x.rows)
        fillStandardNormal(w.noise.baseAddress, count: x.rows * latentDim,
                           generator: &noiseGenerator)
        ForwardBackward.sample(w, rows: x.rows)
        ForwardBackward.decode(store, w, rows: x.rows)
        return (mean(w, rows: x.rows), rowsOf(w.mu, x.rows, latentDim),
                rowsOf(w.logVariance, x.rows, latentDim))
    }

    // MARK: - Loss and gradients

    /// Batch-mean losses of `x` and their gradients, with `eps` from the model's generator.
    public func computeLossAndGradients(_ x: Matrix)
        -> (totalLoss: Float, reconLoss: Float, klLoss: Float, gradients: Gradients)
    {
        var noise = Matrix(rows: x.rows, columns: latentDim)
        noise.scalars.withUnsafeMutableBufferPointer { buffer in
            fillStandardNormal(buffer.baseAddress!, count: buffer.count,
                               generator: &noiseGenerator)
        }
        return computeLossAndGradients(x, noise: noise)
    }

    /// Batch-mean losses of `x` (batch x inputDim) and their gradients, with the given `eps`
    /// (batch x latentDim): deterministic, and comparable with any other implementation.
    public func computeLossAndGradients(_ x: Matrix, noise: Matrix)
        -> (totalLoss: Float, reconLoss: Float, klLoss: Float, gradients: Gradients)
    {
        precondition(x.rows >= 1, "computeLossAndGradients: x has no rows")
        precondition(noise.rows == x.rows && noise.columns == latentDim,
                     "computeLossAndGradients: noise is \(noise.shapeDescription), expected "
                        + "\(x.rows)x\(latentDim)")
        let w = workspace(loading: x, caller: "computeLossAndGradients")
        copy(noise, into: w.noise)
        let sums = ForwardBackward.lossAndGradients(store, w, rows: x.rows, likelihood: likelihood)
        let recon = Float(sums.reconstruction / Double(x.rows))
        let kl = Float(sums.kl / Double(x.rows))
        let entries = ParameterStore.names.enumerated().map { index, name in
            (name: name, value: matrix(w.parameterGradients[index], shape: store.shapes[index]))
        }
        return (recon + kl, recon, kl, Gradients(entries: entries))
    }

    /// Plain SGD: `p -= learningRate * gradient` for every parameter in `gradients`.
    public func applyGradients(_ gradients: Gradients, learningRate: Float) {
        for (name, value) in gradients.entries {
            guard let index = ParameterStore.index(of: name) else { continue }
            precondition(value.scalars.count == store.buffers[index].count,
                         "applyGradients: gradient \(name) is \(value.shapeDescription)")
            sgdUpdate(store.buffers[index].baseAddress, gradients: value.scalars,
                      count: value.scalars.count, learningRate: learningRate)
        }
    }

    // MARK: - Helpers

    private func workspace(rows: Int) -> Workspace {
        if let cached = cachedWorkspace, cached.fits(store, rows: rows) { return cached }
        let fresh = Workspace(capacity: max(rows, 1), inputDim: inputDim, hiddenDim: hiddenDim,
                              latentDim: latentDim)
        cachedWorkspace = fresh
        return fresh
    }

    private func workspace(loading x: Matrix, caller: String) -> Workspace {
        precondition(x.columns == inputDim,
                     "\(caller): x is \(x.shapeDescription), expected Nx\(inputDim)")
        let w = workspace(rows: x.rows)
        copy(x, into: w.input)
        return w
    }

    private func copy(_ matrix: Matrix, into buffer: AlignedBuffer) {
        matrix.scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.baseAddress.update(from: base, count: source.count) }
        }
    }

    private func mean(_ w: Workspace, rows: Int) -> Matrix {
        var result = rowsOf(w.output, rows, inputDim)
        if likelihood == .bernoulli {
            result.scalars.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress { sigmoid(base, count: buffer.count, output: base) }
            }
        }
        return result
    }
}

/// The first `rows x columns` elements of `buffer` as a Matrix.
func rowsOf(_ buffer: AlignedBuffer, _ rows: Int, _ columns: Int) -> Matrix {
    Matrix(rows: rows, columns: columns,
           scalars: Array(UnsafeBufferPointer(start: buffer.baseAddress, count: rows * columns)))
}

/// A parameter-shaped buffer as a Matrix.
func matrix(_ buffer: AlignedBuffer, shape: (rows: Int, columns: Int)) -> Matrix {
    rowsOf(buffer, shape.rows, shape.columns)
}
