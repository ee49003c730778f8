/// A fully resolved, validated `vae-run` configuration: every key with its value or default.
///
/// The YAML keys are documented in README.md ("Configuration"); `RunConfiguration.defaults` is
/// the built-in default run.
public struct RunConfiguration: Equatable, Sendable, Codable {
    /// How the synthetic data is scaled before training.
    public enum Scaling: String, Sendable, Codable, CaseIterable {
        /// As generated (Gaussian, unbounded).
        case none
        /// Per feature to [0, 1] by the data's minimum and maximum (needed for Bernoulli).
        case minMax = "min_max"
    }

    public var seed: UInt64 = 42
    public var nSamples: Int = 2000
    public var nFeatures: Int = 20
    public var scaling: Scaling = .none
    public var hiddenDim: Int = 64
    public var latentDim: Int = 4
    public var likelihood: Likelihood = .gaussian
    public var epochs: Int = 50
    public var learningRate: Double = 1e-3
    public var batchSize: Int = 32
    /// Training threads; nil means every core. Results are bit-identical for any count.
    public var threads: Int? = nil

    /// The built-in default configuration.
    public static let defaults = RunConfiguration()

    enum CodingKeys: String, CodingKey {
        case seed, nSamples = "n_samples", nFeatures = "n_features", scaling
        case hiddenDim = "hidden_dim", latentDim = "latent_dim", likelihood
        case epochs, learningRate = "learning_rate", batchSize = "batch_size", threads
    }
}

extension Likelihood: Codable {}

/// A configuration that cannot be used, with the file, position and key path.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var location: SourceLocation?
    public var keyPath: String?
    public var message: String

    public var description: String {
        var parts = [file + (location.map { ":\($0.line):\($0.column)" } ?? "")]
        if let keyPath { parts.append(keyPath) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
