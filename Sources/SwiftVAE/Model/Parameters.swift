import VAEKernels

/// The model's parameters: ten aligned buffers, in a fixed order with fixed names.
///
/// Weights are `fanIn x fanOut` (so a layer is `Y = X W + b`), biases `1 x fanOut`.
final class ParameterStore {
    /// Parameter names in storage (and initialisation, and checkpoint) order.
    static let names = ["W_enc", "b_enc", "W_mu", "b_mu", "W_logVar", "b_logVar",
                        "W_dec", "b_dec", "W_out", "b_out"]

    let inputDim: Int, hiddenDim: Int, latentDim: Int
    /// `(rows, columns)` of each parameter, in `names` order.
    let shapes: [(rows: Int, columns: Int)]
    /// One buffer per parameter, in `names` order.
    let buffers: [AlignedBuffer]

    init(inputDim: Int, hiddenDim: Int, latentDim: Int) {
        self.inputDim = inputDim
        self.hiddenDim = hiddenDim
        self.latentDim = latentDim
        shapes = ParameterStore.shapes(inputDim: inputDim, hiddenDim: hiddenDim,
                                       latentDim: latentDim)
        buffers = shapes.map { AlignedBuffer(count: $0.rows * $0.columns) }
    }

    static func shapes(inputDim: Int, hiddenDim: Int, latentDim: Int) -> [(rows: Int, columns: Int)] {
        [(inputDim, hiddenDim), (1, hiddenDim),
         (hiddenDim, latentDim), (1, latentDim),
         (hiddenDim, latentDim), (1, latentDim),
         (latentDim, hiddenDim), (1, hiddenDim),
         (hiddenDim, inputDim), (1, inputDim)]
    }

    /// Index of `name` in `names`, or nil.
    static func index(of name: String) -> Int? { names.firstIndex(of: name) }

    // Named accessors for the hot path (indices match `names`).
    var encoderWeight: UnsafeMutablePointer<Float> { buffers[0].baseAddress }
    var encoderBias: UnsafeMutablePointer<Float> { buffers[1].baseAddress }
    var muWeight: UnsafeMutablePointer<Float> { buffers[2].baseAddress }
    var muBias: UnsafeMutablePointer<Float> { buffers[3].baseAddress }
    var logVarianceWeight: UnsafeMutablePointer<Float> { buffers[4].baseAddress }
    var logVarianceBias: UnsafeMutablePointer<Float> { buffers[5].baseAddress }
    var decoderWeight: UnsafeMutablePointer<Float> { buffers[6].baseAddress }
    var decoderBias: UnsafeMutablePointer<Float> { buffers[7].baseAddress }
    var outputWeight: UnsafeMutablePointer<Float> { buffers[8].baseAddress }
    var outputBias: UnsafeMutablePointer<Float> { buffers[9].baseAddress }

    /// He-normal weights for the layers followed by ReLU (`W_enc`, `W_dec`: std sqrt(2 / fanIn)),
    /// Glorot-normal for the linear heads and the output (std sqrt(2 / (fanIn + fanOut))), zero
    /// biases. Draws from one xoshiro256** stream seeded with `seed`, in `names` order.
    func initialize(seed: UInt64) {
        var generator = Xoshiro256StarStar(seed: seed)
        for (index, name) in Self.names.enumerated() {
            let buffer = buffers[index]
            guard name.hasPrefix("W_") else { buffer.fill(with: 0); continue }
            let (fanIn, fanOut) = shapes[index]
            let followedByReLU = name == "W_enc" || name == "W_dec"
            let variance = followedByReLU ? 2 / Double(fanIn) : 2 / Double(fanIn + fanOut)
            let standardDeviation = Float(variance.squareRoot())
            fillStandardNormal(buffer.baseAddress, count: buffer.count, generator: &generator)
            for i in 0..<buffer.count { buffer.baseAddress[i] *= standardDeviation }
        }
    }
}
