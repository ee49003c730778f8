/// A fully resolved, validated `vae-run` configuration: every key with its value or default.
///
/// The YAML keys are documented in README.md ("Configuration"); `RunConfiguration.defaults` is
/// the built-in default run. Relative paths are resolved against the configuration file's folder.
public struct RunConfiguration: Equatable, Sendable, Codable {
    /// Where the data comes from.
    public enum Source: String, Sendable, Codable, CaseIterable {
        case synthetic, idx, csv, npy
    }
    /// How features are scaled (statistics from the training split).
    public enum ScalingName: String, Sendable, Codable, CaseIterable {
        case none, divide
        case minMax = "min_max"
        case standardize
    }
    public enum BinarizeName: String, Sendable, Codable, CaseIterable {
        case none, threshold, sampled
    }
    public enum OptimizerName: String, Sendable, Codable, CaseIterable {
        case sgd, adam
    }

    public var seed: UInt64 = 42
    // data
    public var source: Source = .synthetic
    public var path: String? = nil
    public var testPath: String? = nil
    public var testFraction: Double = 0
    /// The last this many rows of the data file (in file order) are the test split.
    public var testLastRows: Int = 0
    public var labelColumn: String? = nil
    public var header: CSVReader.Header.RawValue = "auto"
    public var delimiter: String = ","
    public var nSamples: Int = 2000
    public var nFeatures: Int = 20
    public var scaling: ScalingName = .none
    public var scale: Double = 255
    public var binarize: BinarizeName = .none
    public var binarizeThreshold: Double = 0.5
    /// `[height, width]` when the rows are images (enables the picture outputs).
    public var imageShape: [Int]? = nil
    /// A folder for pictures: reconstructions.png, samples.png, manifold.png (2-D latent),
    /// loss_curve.svg, written after training (and every epoch with `plotsEveryEpoch`).
    public var plotsFolder: String? = nil
    public var plotsEveryEpoch: Bool = false
    // model
    public var hiddenDim: Int = 64
    public var latentDim: Int = 4
    public var likelihood: Likelihood = .gaussian
    // training
    public var epochs: Int = 50
    public var learningRate: Double = 1e-3
    public var batchSize: Int = 32
    /// Training threads; nil means every core. Results are bit-identical for any count.
    public var threads: Int? = nil
    public var optimizer: OptimizerName = .sgd
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    public var beta: Double = 1
    public var klWarmupEpochs: Int = 0
    public var logVarMin: Double = -30
    public var logVarMax: Double = 20
    public var gradientClipNorm: Double? = nil
    /// Where to write a checkpoint (at the end, and every `checkpointEvery` epochs if > 0).
    public var checkpoint: String? = nil
    public var checkpointEvery: Int = 0
    /// A checkpoint to resume from: training continues after its epoch, up to `epochs`.
    public var resume: String? = nil
    // evaluation
    public var testNoiseDraws: Int = 10
    public var iwaeSamples: Int = 0

    /// The built-in default configuration.
    public static let defaults = RunConfiguration()

    enum CodingKeys: String, CodingKey {
        case seed, source, path, testPath = "test_path", testFraction = "test_fraction"
        case testLastRows = "test_last_rows"
        case labelColumn = "label_column", header, delimiter
        case nSamples = "n_samples", nFeatures = "n_features", scaling, scale, binarize
        case binarizeThreshold = "binarize_threshold", imageShape = "image_shape"
        case plotsFolder = "plots_folder", plotsEveryEpoch = "plots_every_epoch"
        case hiddenDim = "hidden_dim", latentDim = "latent_dim", likelihood
        case epochs, learningRate = "learning_rate", batchSize = "batch_size", threads
        case optimizer, beta1, beta2, epsilon, beta, klWarmupEpochs = "kl_warmup_epochs"
        case logVarMin = "log_var_min", logVarMax = "log_var_max"
        case gradientClipNorm = "gradient_clip_norm"
        case checkpoint, checkpointEvery = "checkpoint_every", resume
        case testNoiseDraws = "test_noise_draws", iwaeSamples = "iwae_samples"
    }

    /// The training options this configuration describes.
    public var trainingOptions: TrainingOptions {
        TrainingOptions(
            learningRate: Float(learningRate), batchSize: batchSize,
            optimizer: optimizer == .adam
                ? .adam(beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon)) : .sgd,
            klWeight: Float(beta), klWarmupEpochs: klWarmupEpochs,
            logVarianceBounds: Float(logVarMin)...Float(logVarMax),
            gradientClipNorm: gradientClipNorm.map { Float($0) }, seed: seed &+ 1,
            threads: threads ?? availableCores)
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
