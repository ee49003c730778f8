import VAEKernels

/// The optimizer step (SGD or Adam) over every parameter, split over the training pool's threads.
///
/// Each buffer is cut into one contiguous slice per thread; the update is elementwise, so the
/// result is the same whatever the split. Small models update on the calling thread alone.
final class ParallelUpdate {
    let pool: WorkerPool
    let parameters: [AlignedBuffer]
    let gradients: [AlignedBuffer]
    let optimizer: Optimizer
    /// Adam's first and second moments, one pair per parameter (empty for SGD).
    let firstMoments: [AlignedBuffer]
    let secondMoments: [AlignedBuffer]
    /// Adam's 1-based step count.
    var step = 0
    var learningRate: Float = 0
    var gradientScale: Float = 1
    /// Total parameter count, for the serial-or-parallel decision.
    let totalCount: Int
    /// Below this many parameters the handoff costs more than the second thread saves.
    static let parallelThreshold = 1 << 16

    init(pool: WorkerPool, parameters: [AlignedBuffer], gradients: [AlignedBuffer],
         optimizer: Optimizer = .sgd) {
        self.pool = pool
        self.parameters = parameters
        self.gradients = gradients
        self.optimizer = optimizer
        totalCount = parameters.reduce(0) { $0 + $1.count }
        if case .adam = optimizer {
            firstMoments = parameters.map { AlignedBuffer(count: $0.count) }
            secondMoments = parameters.map { AlignedBuffer(count: $0.count) }
        } else {
            firstMoments = []
            secondMoments = []
        }
    }

    /// One optimizer step on every parameter, gradients scaled by `gradientScale` first.
    func apply(learningRate: Float, gradientScale: Float = 1) {
        self.learningRate = learningRate
        self.gradientScale = gradientScale
        step += 1
        if pool.threadCount == 1 || totalCount < Self.parallelThreshold {
            updatePart(0, of: 1)
            return
        }
        pool.run((perform: { part, context in
            let update = Unmanaged<ParallelUpdate>.fromOpaque(context).takeUnretainedValue()
            update.updatePart(part, of: update.pool.threadCount)
        }, context: Unmanaged.passUnretained(self).toOpaque()))
    }

    private func updatePart(_ part: Int, of parts: Int) {
        for index in 0..<parameters.count {
            let count = parameters[index].count
            // Slices in whole vectors of 16 floats, so each starts on a 64-byte boundary.
            let slice = ((count + parts - 1) / parts + 15) & ~15
            let start = part * slice
            guard start < count else { continue }
            let length = min(slice, count - start)
            switch optimizer {
            case .sgd:
                sgdUpdate(parameters[index].baseAddress + start,
                          gradients: gradients[index].baseAddress + start, count: length,
                          learningRate: learningRate * gradientScale)
            case let .adam(beta1, beta2, epsilon):
                adamUpdate(parameters[index].baseAddress + start,
                           gradients: gradients[index].baseAddress + start,
                           firstMoment: firstMoments[index].baseAddress + start,
                           secondMoment: secondMoments[index].baseAddress + start, count: length,
                           learningRate: learningRate, beta1: beta1, beta2: beta2,
                           epsilon: epsilon, step: step, gradientScale: gradientScale)
            }
        }
    }
}
