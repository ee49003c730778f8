import VAEKernels

/// Every buffer one forward and backward pass needs, for batches of up to `capacity` rows,
/// allocated once. A step over a workspace allocates nothing.
///
/// Activations are row-major `rows x width` with the batch as rows, so a partial batch simply
/// uses the first rows of each buffer.
final class Workspace {
    let capacity: Int
    let inputDim: Int, hiddenDim: Int, latentDim: Int

    let input: AlignedBuffer                 // x, capacity x inputDim
    let hiddenEncoder: AlignedBuffer         // h = relu(x W_enc + b_enc)
    let mu: AlignedBuffer
    let logVariance: AlignedBuffer
    let noise: AlignedBuffer                 // eps ~ N(0, I)
    let standardDeviation: AlignedBuffer     // exp(logVar / 2), kept for the backward pass
    let z: AlignedBuffer
    let hiddenDecoder: AlignedBuffer         // g = relu(z W_dec + b_dec)
    let output: AlignedBuffer                // g W_out + b_out: logits (Bernoulli) or mean

    let outputGradient: AlignedBuffer
    let hiddenDecoderGradient: AlignedBuffer
    let zGradient: AlignedBuffer
    let muGradient: AlignedBuffer
    let logVarianceGradient: AlignedBuffer
    let hiddenEncoderGradient: AlignedBuffer

    /// The two heads as one product: `[W_mu | W_logVar]` (hiddenDim x 2 latentDim), their output
    /// and gradient rows `[mu | logVar]` (capacity x 2 latentDim), and `[dW_mu | dW_logVar]`.
    let headsWeight: AlignedBuffer
    let heads: AlignedBuffer
    let headsGradient: AlignedBuffer
    let headsWeightGradient: AlignedBuffer

    /// dL/dparameter, same shapes and order as `ParameterStore.buffers`.
    let parameterGradients: [AlignedBuffer]
    /// The GEMMs of the step, split over `threadCount` threads.
    let parallel: ParallelGEMM

    init(capacity: Int, inputDim: Int, hiddenDim: Int, latentDim: Int, threads: Int = 1,
         microKernel: GEMMMicroKernel = .native) {
        self.capacity = capacity
        self.inputDim = inputDim
        self.hiddenDim = hiddenDim
        self.latentDim = latentDim
        func buffer(_ width: Int) -> AlignedBuffer { AlignedBuffer(count: capacity * width) }
        input = buffer(inputDim)
        hiddenEncoder = buffer(hiddenDim)
        mu = buffer(latentDim)
        logVariance = buffer(latentDim)
        noise = buffer(latentDim)
        standardDeviation = buffer(latentDim)
        z = buffer(latentDim)
        hiddenDecoder = buffer(hiddenDim)
        output = buffer(inputDim)
        outputGradient = buffer(inputDim)
        hiddenDecoderGradient = buffer(hiddenDim)
        zGradient = buffer(latentDim)
        muGradient = buffer(latentDim)
        logVarianceGradient = buffer(latentDim)
        hiddenEncoderGradient = buffer(hiddenDim)
        headsWeight = AlignedBuffer(count: hiddenDim * 2 * latentDim)
        heads = buffer(2 * latentDim)
        headsGradient = buffer(2 * latentDim)
        headsWeightGradient = AlignedBuffer(count: hiddenDim * 2 * latentDim)
        parameterGradients = ParameterStore.shapes(
            inputDim: inputDim, hiddenDim: hiddenDim, latentDim: latentDim
        ).map { AlignedBuffer(count: $0.rows * $0.columns) }
        parallel = ParallelGEMM(threadCount: threads, microKernel: microKernel)
    }

    func fits(_ parameters: ParameterStore, rows: Int) -> Bool {
        rows <= capacity && parameters.inputDim == inputDim && parameters.hiddenDim == hiddenDim
            && parameters.latentDim == latentDim
    }
}
