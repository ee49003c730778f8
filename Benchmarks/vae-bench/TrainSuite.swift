import CMallocCounter
import SwiftVAE

/// Training-step throughput of the standard configurations: forward, backward and SGD update on
/// one batch (plus the batch gather, the noise and the shuffle, as in real training).
struct TrainSuite {
    struct Config {
        var name: String
        var inputDim: Int, hiddenDim: Int, latentDim: Int, batchSize: Int

        /// 2 m n k summed over every matmul of one step (forward and backward).
        var flopsPerStep: Double {
            let b = Double(batchSize), i = Double(inputDim), h = Double(hiddenDim), l = Double(latentDim)
            let forward = 2 * b * (i * h + 2 * h * l + l * h + h * i)
            // dW_out, dg, dW_dec, dz, dW_mu, dW_logVar, dh (two), dW_enc.
            let backward = 2 * b * (h * i + h * i + l * h + l * h + 2 * h * l + 2 * h * l + i * h)
            return forward + backward
        }
    }

    static let all = [
        Config(name: "tiny", inputDim: 20, hiddenDim: 64, latentDim: 4, batchSize: 32),
        Config(name: "digits", inputDim: 64, hiddenDim: 128, latentDim: 16, batchSize: 64),
        Config(name: "mnist", inputDim: 784, hiddenDim: 400, latentDim: 20, batchSize: 128),
        Config(name: "large", inputDim: 784, hiddenDim: 1024, latentDim: 64, batchSize: 256),
    ]

    var quick: Bool

    /// Measures `config` at each thread count. Every thread count trains the same model on the
    /// same data for the same number of epochs, so the final losses must agree bit for bit.
    func measure(_ config: Config, threadCounts: [Int], peak: Double) throws -> [Measurement] {
        // Enough batches per epoch that shuffling and epoch bookkeeping are amortised.
        let steps = quick ? 8 : 32
        let data = generateSyntheticData(nSamples: config.batchSize * steps,
                                         nFeatures: config.inputDim, randomSeed: 1)
        func makeTrainer(threads: Int) throws -> VAETrainer {
            let model = try VariationalAutoencoder(
                inputDim: config.inputDim, hiddenDim: config.hiddenDim,
                latentDim: config.latentDim, seed: 2)
            return try VAETrainer(model: model, x: data, learningRate: 1e-4,
                                  batchSize: config.batchSize, seed: 3, threads: threads)
        }
        let repetitions = quick ? 3 : 7
        let targetSeconds = quick ? 0.02 : 0.25
        // Epochs per timing sample, from one probe epoch, then fixed for every thread count.
        let probe = try makeTrainer(threads: threadCounts[0])
        try probe.runEpoch()
        let probeStart = monotonicSeconds()
        try probe.runEpoch()
        let epochsPerSample = max(1, Int(targetSeconds / max(monotonicSeconds() - probeStart, 1e-6)))

        var results: [Measurement] = []
        for threads in threadCounts {
            let trainer = try makeTrainer(threads: threads)
            try trainer.runEpoch()   // warm-up: caches, page faults, the pool's threads
            var stepSeconds: [Double] = []
            var allocations: UInt64 = 0
            var lastLoss: Float = 0
            for _ in 0..<repetitions {
                let before = swiftvae_allocation_count()
                let start = monotonicSeconds()
                for _ in 0..<epochsPerSample { lastLoss = try trainer.runEpoch().total }
                let elapsed = monotonicSeconds() - start
                allocations += swiftvae_allocation_count() - before
                stepSeconds.append(elapsed / Double(epochsPerSample * steps))
            }
            stepSeconds.sort()
            let median = stepSeconds[stepSeconds.count / 2]
            let gflops = config.flopsPerStep / median / 1e9
            results.append(Measurement(
                suite: "train",
                name: "\(config.name) \(config.inputDim)-\(config.hiddenDim)-\(config.latentDim) b\(config.batchSize)",
                threads: threads, median: Double(config.batchSize) / median,
                min: Double(config.batchSize) / stepSeconds.last!,
                max: Double(config.batchSize) / stepSeconds.first!, unit: "samples/s",
                samplesPerSecond: Double(config.batchSize) / median,
                microsecondsPerStep: median * 1e6, gflops: gflops,
                percentOfPeak: 100 * gflops / (peak * Double(threads)),
                allocationsPerStep: Double(allocations) / Double(repetitions * epochsPerSample * steps),
                finalLoss: Double(lastLoss)))
        }
        return results
    }
}
