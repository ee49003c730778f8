import VAEKernels

/// The SGD step over every parameter, split over the training pool's threads.
///
/// Each buffer is cut into one contiguous slice per thread; the update is elementwise, so the
/// result is the same whatever the split. Small models update on the calling thread alone.
final class ParallelUpdate {
    let pool: WorkerPool
    let parameters: [AlignedBuffer]
    let gradients: [AlignedBuffer]
    var learningRate: Float = 0
    /// Below this many parameters the handoff costs more than the second thread saves.
    static let parallelThreshold = 1 << 16

    init(pool: WorkerPool, parameters: [AlignedBuffer], gradients: [AlignedBuffer]) {
        self.pool = pool
        self.parameters = parameters
        self.gradients = gradients
    }

    /// `p -= learningRate * g` for every parameter.
    func apply(learningRate: Float) {
        self.learningRate = learningRate
        let total = parameters.reduce(0) { $0 + $1.count }
        if pool.threadCount == 1 || total < Self.parallelThreshold {
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
            sgdUpdate(parameters[index].baseAddress + start,
                      gradients: gradients[index].baseAddress + start, count: length,
                      learningRate: learningRate)
        }
    }
}
