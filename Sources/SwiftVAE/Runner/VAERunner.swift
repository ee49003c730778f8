import Foundation

/// A failure of `vae-run`: `usage` for bad arguments or configuration (exit status 2),
/// `failure` for a failure while running (exit status 1).
public enum RunnerError: Error, Equatable, CustomStringConvertible, Sendable {
    case usage(String)
    case failure(String)

    public var description: String {
        switch self {
        case let .usage(message), let .failure(message): return message
        }
    }

    /// The process exit status for this error.
    public var exitStatus: Int32 {
        switch self {
        case .usage: return 2
        case .failure: return 1
        }
    }
}

/// Runs one configured training job: synthetic data, model, training, metrics.
///
/// The configuration is read and fully validated in `init`, before any work starts.
public final class VAERunner {
    /// The resolved configuration (defaults filled in).
    public let configuration: RunConfiguration
    /// Per-epoch losses of the last `run()`.
    public private(set) var history = TrainingHistory()
    /// Wall time of the last `run()`'s training, in seconds.
    public private(set) var elapsedSeconds = 0.0
    /// Called after each epoch with (epoch, epochs, losses, samples per second).
    public var progress: ((Int, Int, EpochLosses, Double) -> Void)?

    /// Reads the configuration at `configPath`, or uses `RunConfiguration.defaults` for nil.
    ///
    /// Throws `ConfigurationError` for a missing, unreadable, empty, non-UTF-8 or invalid file.
    public init(configPath: URL? = nil) throws {
        guard let configPath else {
            configuration = .defaults
            return
        }
        let file = configPath.path
        let data: Data
        do {
            data = try Data(contentsOf: configPath)
        } catch {
            let exists = FileManager.default.fileExists(atPath: file)
            throw ConfigurationError(file: file, location: nil, keyPath: nil,
                                     message: exists ? "cannot read the file" : "no such file")
        }
        guard !data.isEmpty else {
            throw ConfigurationError(file: file, location: nil, keyPath: nil,
                                     message: "the file is empty (an empty mapping is '{}' in YAML; write at least one key, e.g. 'seed: 42')")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: file, location: nil, keyPath: nil,
                                     message: "the file is not UTF-8 text")
        }
        configuration = try ConfigurationSchema.configuration(fromYAML: text, file: file)
    }

    /// Creates a runner for an already resolved configuration.
    public init(configuration: RunConfiguration) {
        self.configuration = configuration
    }

    /// The training data the configuration describes.
    public func makeData() -> Matrix {
        var data = generateSyntheticData(nSamples: configuration.nSamples,
                                         nFeatures: configuration.nFeatures,
                                         randomSeed: configuration.seed)
        if configuration.scaling == .minMax {
            for column in 0..<data.columns {
                var low = Float.infinity, high = -Float.infinity
                for row in 0..<data.rows {
                    low = min(low, data[row, column])
                    high = max(high, data[row, column])
                }
                let scale = high > low ? 1 / (high - low) : 0
                for row in 0..<data.rows {
                    data[row, column] = (data[row, column] - low) * scale
                }
            }
        }
        return data
    }

    /// Trains as configured and returns the final losses.
    ///
    /// Throws `RunnerError.failure` when training fails (for example a non-finite loss, with
    /// the epoch and step).
    public func run() throws -> RunMetrics {
        let c = configuration
        let data = makeData()
        let model = try VariationalAutoencoder(
            inputDim: c.nFeatures, hiddenDim: c.hiddenDim, latentDim: c.latentDim,
            likelihood: c.likelihood, seed: c.seed)
        let trainer = try VAETrainer(model: model, x: data, learningRate: Float(c.learningRate),
                                     batchSize: c.batchSize, seed: c.seed &+ 1,
                                     threads: c.threads ?? availableCores)
        var history = TrainingHistory(reservingCapacity: c.epochs)
        let start = monotonicSeconds()
        for epoch in 1...c.epochs {
            let epochStart = monotonicSeconds()
            let losses: EpochLosses
            do {
                losses = try trainer.runEpoch()
            } catch {
                throw RunnerError.failure("training failed: \(error)")
            }
            history.totalLoss.append(losses.total)
            history.reconLoss.append(losses.reconstruction)
            history.klLoss.append(losses.kl)
            let seconds = max(monotonicSeconds() - epochStart, 1e-9)
            progress?(epoch, c.epochs, losses, Double(c.nSamples) / seconds)
        }
        elapsedSeconds = monotonicSeconds() - start
        self.history = history
        return RunMetrics(finalTotalLoss: Double(history.totalLoss.last!),
                          finalReconLoss: Double(history.reconLoss.last!),
                          finalKLLoss: Double(history.klLoss.last!))
    }

    /// The metrics report as pretty-printed JSON with sorted keys inside each object.
    func reportJSON(_ metrics: RunMetrics) throws -> Data {
        let samples = Double(configuration.nSamples * configuration.epochs)
        let report = MetricsReport(metrics: metrics, configuration: configuration, history: history,
                                   elapsedSeconds: elapsedSeconds,
                                   samplesPerSecond: samples / max(elapsedSeconds, 1e-9))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
