/// The optimizer that applies each step's gradients.
public enum Optimizer: Equatable, Sendable {
    /// Plain SGD: `p -= learningRate * g`.
    case sgd
    /// Adam with PyTorch's update rule and defaults (0.9, 0.999, 1e-8); state preallocated.
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
}

/// Everything about how `VAETrainer` trains, beyond the model and the data.
public struct TrainingOptions: Equatable, Sendable {
    public var learningRate: Float
    public var batchSize: Int
    public var optimizer: Optimizer = .sgd
    /// Weight on the KL term of the training objective (a beta-VAE for beta != 1).
    public var klWeight: Float = 1
    /// Epochs over which the KL weight ramps linearly from 0 (epoch 1) to `klWeight`; 0 = none.
    public var klWarmupEpochs: Int = 0
    /// The encoder's log-variance is clamped to this range before `exp`, so it cannot overflow;
    /// outside it the gradient is 0 (as with `torch.clamp`).
    public var logVarianceBounds: ClosedRange<Float>? = -30...20
    /// When set, gradients are scaled down so their global L2 norm is at most this.
    public var gradientClipNorm: Float? = nil
    /// Seed of the shuffling and noise stream.
    public var seed: UInt64 = 0
    /// Threads for the GEMMs and the update; bit-identical results for any count.
    public var threads: Int = availableCores

    public init(learningRate: Float, batchSize: Int, optimizer: Optimizer = .sgd,
                klWeight: Float = 1, klWarmupEpochs: Int = 0,
                logVarianceBounds: ClosedRange<Float>? = -30...20,
                gradientClipNorm: Float? = nil, seed: UInt64 = 0, threads: Int = availableCores) {
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.klWeight = klWeight
        self.klWarmupEpochs = klWarmupEpochs
        self.logVarianceBounds = logVarianceBounds
        self.gradientClipNorm = gradientClipNorm
        self.seed = seed
        self.threads = threads
    }

    /// The KL weight used during 1-based `epoch`.
    public func klWeight(epoch: Int) -> Float {
        guard klWarmupEpochs > 0 else { return klWeight }
        return klWeight * min(1, Float(epoch - 1) / Float(klWarmupEpochs))
    }

    func validate() throws(VAEError) {
        guard batchSize >= 1 else {
            throw VAEError.invalidSize(name: "batchSize", value: batchSize, reason: "must be at least 1")
        }
        guard learningRate.isFinite && learningRate >= 0 else {
            throw VAEError.invalidArgument(name: "learningRate", reason: "\(learningRate) must be finite and >= 0")
        }
        guard threads >= 1 && threads <= 256 else {
            throw VAEError.invalidSize(name: "threads", value: threads, reason: "must be 1...256")
        }
        guard klWeight.isFinite && klWeight >= 0 else {
            throw VAEError.invalidArgument(name: "klWeight", reason: "\(klWeight) must be finite and >= 0")
        }
        guard klWarmupEpochs >= 0 else {
            throw VAEError.invalidSize(name: "klWarmupEpochs", value: klWarmupEpochs, reason: "must be >= 0")
        }
        if let bounds = logVarianceBounds, !(bounds.lowerBound.isFinite && bounds.upperBound.isFinite && bounds.upperBound <= 80) {
            throw VAEError.invalidArgument(name: "logVarianceBounds", reason: "must be finite, upper <= 80")
        }
        if let norm = gradientClipNorm, !(norm.isFinite && norm > 0) {
            throw VAEError.invalidArgument(name: "gradientClipNorm", reason: "\(norm) must be finite and > 0")
        }
        if case let .adam(beta1, beta2, epsilon) = optimizer {
            guard (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon.isFinite, epsilon > 0 else {
                throw VAEError.invalidArgument(name: "adam", reason: "needs 0 <= beta1, beta2 < 1 and epsilon > 0")
            }
        }
    }
}
