import VAEKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Online processor cores: the default thread count of training.
public var availableCores: Int { max(1, min(256, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// Mini-batch SGD training of a model on a fixed data set, one epoch per call, with every buffer
/// allocated in `init`: after the first epoch (which warms the runtime's caches), `runEpoch()`
/// performs no heap allocation.
///
/// Each epoch shuffles the row order with the trainer's xoshiro256** generator (Fisher-Yates),
/// gathers each batch into the workspace, draws the batch's noise from the same generator, and
/// updates the parameters in place. The last partial batch is used. Same model, data and seed:
/// bit-identical results.
public final class VAETrainer {
    /// The model being trained (updated in place).
    public let model: VariationalAutoencoder
    /// Rows per mini-batch.
    public let batchSize: Int
    /// SGD step size.
    public let learningRate: Float
    /// Epochs completed so far.
    public internal(set) var epochsCompleted = 0

    let data: AlignedBuffer
    let sampleCount: Int
    let workspace: Workspace
    var generator: Xoshiro256StarStar
    /// The shuffled row order, reused every epoch.
    let order: UnsafeMutableBufferPointer<Int>
    let update: ParallelUpdate

    /// The training options in force.
    public let options: TrainingOptions

    /// Plain SGD training; see `init(model:x:options:)`.
    public convenience init(model: VariationalAutoencoder, x: Matrix, learningRate: Float,
                            batchSize: Int, seed: UInt64 = 0, threads: Int = availableCores) throws {
        try self.init(model: model, x: x,
                      options: TrainingOptions(learningRate: learningRate, batchSize: batchSize,
                                               seed: seed, threads: threads))
    }

    /// Validates the arguments and allocates everything training needs (Adam's moments too).
    ///
    /// Throws `VAEError` for: empty data, a column count different from `model.inputDim`,
    /// non-finite data, Bernoulli targets outside [0, 1], and invalid options.
    public init(model: VariationalAutoencoder, x: Matrix, options: TrainingOptions) throws {
        guard x.rows >= 1 else {
            throw VAEError.invalidArgument(name: "x", reason: "the data has no rows")
        }
        guard x.columns == model.inputDim else {
            throw VAEError.shapeMismatch(what: "training data", expected: "Nx\(model.inputDim)",
                                         actual: x.shapeDescription)
        }
        try options.validate()
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw VAEError.nonFiniteData(what: "training data", row: bad / x.columns,
                                         column: bad % x.columns)
        }
        if model.likelihood == .bernoulli, let bad = x.scalars.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw VAEError.invalidArgument(
                name: "training data",
                reason: "value \(x.scalars[bad]) at row \(bad / x.columns), column \(bad % x.columns) is outside [0, 1], which the Bernoulli likelihood needs: scale the data (divide by 255, or min-max)")
        }
        self.options = options
        self.model = model
        batchSize = options.batchSize
        learningRate = options.learningRate
        sampleCount = x.rows
        let copy = AlignedBuffer(count: x.scalars.count)
        x.scalars.withUnsafeBufferPointer { copy.baseAddress.update(from: $0.baseAddress!, count: $0.count) }
        data = copy
        workspace = Workspace(capacity: min(options.batchSize, x.rows), inputDim: model.inputDim,
                              hiddenDim: model.hiddenDim, latentDim: model.latentDim,
                              threads: options.threads)
        generator = Xoshiro256StarStar(seed: options.seed)
        update = ParallelUpdate(pool: workspace.parallel.pool, parameters: model.store.buffers,
                                gradients: workspace.parameterGradients, optimizer: options.optimizer)
        order = .allocate(capacity: x.rows)
        for i in 0..<x.rows { order[i] = i }
    }

    deinit { order.deallocate() }

    /// One pass over the data; returns the epoch's mean per-sample losses.
    ///
    /// The losses reported are the unweighted ELBO terms (total = reconstruction + KL), whatever
    /// the KL weight of the objective. Throws `VAEError.nonFiniteLoss` (naming the 1-based epoch
    /// and step) if a batch loss is NaN or infinite; the parameters then hold the last finite
    /// step's values.
    @discardableResult
    public func runEpoch() throws(VAEError) -> EpochLosses {
        let epoch = epochsCompleted + 1
        let klWeight = options.klWeight(epoch: epoch)
        shuffleOrder()
        let inputDim = model.inputDim, latentDim = model.latentDim
        let store = model.store, w = workspace
        var reconstructionSum = 0.0, klSum = 0.0
        var start = 0, step = 0
        while start < sampleCount {
            let rows = min(batchSize, sampleCount - start)
            step += 1
            for r in 0..<rows {
                let source = data.baseAddress + order[start + r] &* inputDim
                (w.input.baseAddress + r &* inputDim).update(from: source, count: inputDim)
            }
            fillStandardNormal(w.noise.baseAddress, count: rows * latentDim, generator: &generator)
            let sums = ForwardBackward.lossAndGradients(
                store, w, rows: rows, likelihood: model.likelihood, klWeight: klWeight,
                logVarianceBounds: options.logVarianceBounds)
            let batchTotal = (sums.reconstruction + sums.kl) / Double(rows)
            guard batchTotal.isFinite else {
                throw VAEError.nonFiniteLoss(epoch: epoch, step: step, total: Float(batchTotal))
            }
            var gradientScale: Float = 1
            if let maximum = options.gradientClipNorm {
                var squared = 0.0
                for gradient in w.parameterGradients {
                    squared += sumOfSquares(gradient.baseAddress, count: gradient.count)
                }
                let norm = squared.squareRoot()
                if norm > Double(maximum) { gradientScale = Float(Double(maximum) / norm) }
            }
            update.apply(learningRate: learningRate, gradientScale: gradientScale)
            reconstructionSum += sums.reconstruction
            klSum += sums.kl
            start += rows
        }
        epochsCompleted = epoch
        let reconstruction = reconstructionSum / Double(sampleCount)
        let kl = klSum / Double(sampleCount)
        return EpochLosses(total: Float(reconstruction + kl), reconstruction: Float(reconstruction),
                           kl: Float(kl))
    }

    // MARK: - State for checkpoints

    /// Everything besides the model's parameters that decides the epochs to come.
    public struct State: Equatable, Sendable {
        public var epochsCompleted: Int
        /// The shuffle-and-noise generator's four state words.
        public var generatorState: [UInt64]
        /// The current row order (each epoch shuffles it further).
        public var order: [Int]
        /// Adam's step count and moments in parameter order (empty for SGD).
        public var optimizerStep: Int
        public var firstMoments: [[Float]]
        public var secondMoments: [[Float]]
    }

    /// The trainer's state now (allocates; not for the hot loop).
    public var state: State {
        let g = generator.state
        return State(epochsCompleted: epochsCompleted, generatorState: [g.0, g.1, g.2, g.3],
                     order: Array(order), optimizerStep: update.step,
                     firstMoments: update.firstMoments.map { Array($0.buffer) },
                     secondMoments: update.secondMoments.map { Array($0.buffer) })
    }

    /// Restores a state saved from a trainer of the same model shape, data size and optimizer.
    public func restore(_ saved: State) throws {
        guard saved.order.count == sampleCount, Set(saved.order) == Set(0..<sampleCount) else {
            throw VAEError.shapeMismatch(what: "saved row order", expected: "a permutation of \(sampleCount) rows",
                                         actual: "\(saved.order.count) entries")
        }
        guard saved.generatorState.count == 4, saved.generatorState != [0, 0, 0, 0] else {
            throw VAEError.invalidArgument(name: "saved generator state", reason: "needs four words, not all zero")
        }
        guard saved.firstMoments.count == update.firstMoments.count,
              saved.secondMoments.count == update.secondMoments.count,
              zip(saved.firstMoments + saved.secondMoments, update.firstMoments + update.secondMoments)
                .allSatisfy({ $0.count == $1.count }) else {
            throw VAEError.shapeMismatch(what: "saved optimizer state", expected: "moments for \(update.firstMoments.count) parameters",
                                         actual: "\(saved.firstMoments.count)")
        }
        epochsCompleted = saved.epochsCompleted
        let words = saved.generatorState
        generator = Xoshiro256StarStar(state: (words[0], words[1], words[2], words[3]))
        for (i, row) in saved.order.enumerated() { order[i] = row }
        update.step = saved.optimizerStep
        for (buffer, values) in zip(update.firstMoments + update.secondMoments,
                                    saved.firstMoments + saved.secondMoments) {
            values.withUnsafeBufferPointer { buffer.baseAddress.update(from: $0.baseAddress!, count: $0.count) }
        }
    }

    private func shuffleOrder() {
        var i = sampleCount - 1
        while i > 0 {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
            i -= 1
        }
    }
}

/// Trains `model` on the rows of `x` with mini-batch SGD for `epochs` epochs and returns the
/// per-epoch mean losses. See `VAETrainer` for the details; this is its loop.
///
/// Throws `VAEError` for invalid arguments (`epochs < 0`, `batchSize < 1`, a negative or
/// non-finite learning rate, empty data, a column count different from `model.inputDim`,
/// non-finite data) and when the loss becomes non-finite (naming the epoch and step).
public func trainVAE(_ model: VariationalAutoencoder, x: Matrix, epochs: Int,
                     learningRate: Float, batchSize: Int, seed: UInt64 = 0) throws -> TrainingHistory {
    try trainVAE(model, x: x, epochs: epochs, learningRate: learningRate, batchSize: batchSize,
                 seed: seed, threads: availableCores)
}

/// `trainVAE` on `threads` threads (1...256); the history is bit-identical for any count.
public func trainVAE(_ model: VariationalAutoencoder, x: Matrix, epochs: Int,
                     learningRate: Float, batchSize: Int, seed: UInt64 = 0,
                     threads: Int) throws -> TrainingHistory {
    guard epochs >= 0 else {
        throw VAEError.invalidSize(name: "epochs", value: epochs, reason: "must be >= 0")
    }
    let trainer = try VAETrainer(model: model, x: x, learningRate: learningRate,
                                 batchSize: batchSize, seed: seed, threads: threads)
    var history = TrainingHistory(reservingCapacity: epochs)
    for _ in 0..<epochs {
        let losses = try trainer.runEpoch()
        history.totalLoss.append(losses.total)
        history.reconLoss.append(losses.reconstruction)
        history.klLoss.append(losses.kl)
    }
    return history
}
