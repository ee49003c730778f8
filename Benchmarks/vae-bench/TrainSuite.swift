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

    func measure(_ config: Config, threads: Int, peak: Double) throws -> Measurement {
        // Enough batches per epoch that shuffling and epoch bookkeeping are amortised.
        let steps = quick ? 8 : 32
        let data = generateSyntheticData(nSamples: config.batchSize * steps,
                                         nFeatures: config.inputDim, randomSeed: 1)
        let model = try VariationalAutoencoder(inputDim: config.inputDim, hiddenDim: config.hiddenDim,
                                               latentDim: config.latentDim, seed: 2)
        let trainer = try VAETrainer(model: model, x: data, learningRate: 1e-4,
                                     batchSize: config.batchSize, seed: 3, threads: threads)
        try trainer.runEpoch()   // warm-up: caches, page faults, the pool's threads
        var epochSeconds: [Double] = []
        var allocations: UInt64 = 0
        var lastLoss: Float = 0
        let repetitions = quick ? 3 : 7
        let targetSeconds = quick ? 0.02 : 0.25
        // Epochs per sample so each sample lasts about targetSeconds.
        let probeStart = monotonicSeconds()
        try trainer.runEpoch()
        let probe = monotonicSeconds() - probeStart
        let epochsPerSample = max(1, Int(targetSeconds / max(probe, 1e-6)))
        for _ in 0..<repetitions {
            let before = swiftvae_allocation_count()
            let start = monotonicSeconds()
            for _ in 0..<epochsPerSample { lastLoss = try trainer.runEpoch().total }
            let elapsed = monotonicSeconds() - start
            allocations += swiftvae_allocation_count() - before
            epochSeconds.append(elapsed / Double(epochsPerSample))
        }
        epochSeconds.sort()
        let stepSeconds = epochSeconds.map { $0 / Double(steps) }
        let median = stepSeconds[stepSeconds.count / 2]
        let samplesPerSecond = Double(config.batchSize) / median
        let gflops = config.flopsPerStep / median / 1e9
        let totalSteps = Double(repetitions * epochsPerSample * steps)
        return Measurement(
            suite: "train", name: "\(config.name) \(config.inputDim)-\(config.hiddenDim)-\(config.latentDim) b\(config.batchSize)",
            threads: threads, median: samplesPerSecond,
            min: Double(config.batchSize) / stepSeconds.last!,
            max: Double(config.batchSize) / stepSeconds.first!, unit: "samples/s",
            samplesPerSecond: samplesPerSecond, microsecondsPerStep: median * 1e6, gflops: gflops,
            percentOfPeak: 100 * gflops / (peak * Double(threads)),
            allocationsPerStep: Double(allocations) / totalSteps, finalLoss: Double(lastLoss))
    }
}
