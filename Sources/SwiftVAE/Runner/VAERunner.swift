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

/// Runs one configured training job: data, model, training, held-out evaluation, metrics.
///
/// The configuration is read and fully validated in `init`, and the data is loaded, split,
/// scaled and checked there too, before any training starts.
public final class VAERunner {
    /// The resolved configuration (defaults filled in).
    public let configuration: RunConfiguration
    /// The prepared training rows.
    public let trainData: Matrix
    /// The prepared test rows, when there is a test split.
    public let testData: Matrix?
    /// The scaling fitted on the training data (stored in checkpoints for inference).
    public let scaler: FeatureScaler
    /// The checkpoint to resume from, read and checked in `init`.
    let resumeFrom: Checkpoint?
    /// Per-epoch losses of the last `run()`.
    public private(set) var history = TrainingHistory()
    /// Per-epoch test negative ELBO of the last `run()` (one noise draw each), if any.
    public private(set) var testHistory: [EvaluationLosses] = []
    /// Final held-out figures of the last `run()`.
    public private(set) var testMetrics: (losses: EvaluationLosses, iwae: Double?)?
    /// The trained model of the last `run()`.
    public private(set) var model: VariationalAutoencoder?
    /// Wall time of the last `run()`'s training, in seconds.
    public private(set) var elapsedSeconds = 0.0
    /// Called after each epoch with (epoch, epochs, losses, samples per second, test losses).
    public var progress: ((Int, Int, EpochLosses, Double, EvaluationLosses?) -> Void)?

    /// Reads the configuration at `configPath`, or uses `RunConfiguration.defaults` for nil.
    ///
    /// Throws `ConfigurationError` for a missing, unreadable, empty, non-UTF-8 or invalid file,
    /// and for data that cannot be used (the message names the data file and position).
    public convenience init(configPath: URL? = nil) throws {
        guard let configPath else {
            try self.init(configuration: .defaults)
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
                                     message: "the file is empty (write at least one key, e.g. 'seed: 42')")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: file, location: nil, keyPath: nil,
                                     message: "the file is not UTF-8 text")
        }
        var configuration = try ConfigurationSchema.configuration(fromYAML: text, file: file)
        // Data paths are relative to the configuration file.
        let folder = configPath.deletingLastPathComponent()
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            return folder.appendingPathComponent(path).standardizedFileURL.path
        }
        configuration.path = resolve(configuration.path)
        configuration.testPath = resolve(configuration.testPath)
        configuration.checkpoint = resolve(configuration.checkpoint)
        configuration.plotsFolder = resolve(configuration.plotsFolder)
        configuration.resume = resolve(configuration.resume)
        try self.init(configuration: configuration, file: file)
    }

    /// Creates a runner for an already resolved configuration, loading and preparing its data.
    public convenience init(configuration: RunConfiguration) throws {
        try self.init(configuration: configuration, file: "configuration")
    }

    init(configuration c: RunConfiguration, file: String) throws {
        configuration = c
        func dataError(_ error: DataError) -> ConfigurationError {
            ConfigurationError(file: file, location: nil, keyPath: "data", message: "\(error)")
        }
        func load(_ path: String) throws -> Matrix {
            switch Self.loadData(c, path: path) {
            case let .success(matrix): return matrix
            case let .failure(error): throw dataError(error)
            }
        }
        var train = try load(c.path ?? "")
        var test: Matrix?
        if let testPath = c.testPath {
            test = try load(testPath)
            if test!.columns != train.columns {
                throw ConfigurationError(file: file, location: nil, keyPath: "data.test_path",
                                         message: "the test data has \(test!.columns) columns, the training data \(train.columns)")
            }
        } else if c.testLastRows > 0 {
            guard c.testLastRows < train.rows else {
                throw ConfigurationError(file: file, location: nil, keyPath: "data.test_last_rows",
                                         message: "\(c.testLastRows) leaves no training rows (the data has \(train.rows))")
            }
            let trainRows = train.rows - c.testLastRows
            test = Matrix(rows: c.testLastRows, columns: train.columns,
                          scalars: Array(train.scalars[(trainRows * train.columns)...]))
            train = Matrix(rows: trainRows, columns: train.columns,
                           scalars: Array(train.scalars[..<(trainRows * train.columns)]))
        } else if c.testFraction > 0 {
            let split = splitRows(train, testFraction: c.testFraction, seed: c.seed &+ 2)
            train = split.train
            test = split.test.rows > 0 ? split.test : nil
        }
        let scaling: Scaling
        switch c.scaling {
        case .none: scaling = .none
        case .divide: scaling = .divide(Float(c.scale))
        case .minMax: scaling = .minMax
        case .standardize: scaling = .standardize
        }
        let scaler = FeatureScaler(scaling, fittedOn: train)
        train = scaler.apply(to: train)
        test = test.map(scaler.apply)
        switch c.binarize {
        case .none: break
        case .threshold:
            train = binarize(train, .threshold(Float(c.binarizeThreshold)))
            test = test.map { binarize($0, .threshold(Float(c.binarizeThreshold))) }
        case .sampled:
            train = binarize(train, .sampled(seed: c.seed &+ 3))
            test = test.map { binarize($0, .sampled(seed: c.seed &+ 4)) }
        }
        if c.likelihood == .bernoulli {
            for (name, matrix) in [("training", train), ("test", test)] {
                guard let matrix else { continue }
                if let bad = matrix.scalars.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                    throw ConfigurationError(
                        file: file, location: nil, keyPath: "data.scaling",
                        message: "the \(name) data has \(matrix.scalars[bad]) at row \(bad / matrix.columns), column \(bad % matrix.columns), outside the [0, 1] the bernoulli likelihood needs: set data.scaling to divide (with data.scale, e.g. 255) or min_max")
                }
            }
        }
        if let shape = c.imageShape, shape[0] * shape[1] != train.columns {
            throw ConfigurationError(file: file, location: nil, keyPath: "data.image_shape",
                                     message: "\(shape[0])x\(shape[1]) is \(shape[0] * shape[1]) pixels, the rows have \(train.columns) values")
        }
        if let folder = c.plotsFolder {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(file: file, location: nil, keyPath: "plots.folder",
                                         message: "\(folder) is not an existing folder")
            }
        }
        if let checkpoint = c.checkpoint {
            do { try AtomicFile.checkWritableDestination(URL(fileURLWithPath: checkpoint)) } catch {
                throw ConfigurationError(file: file, location: nil, keyPath: "training.checkpoint",
                                         message: "\(error)")
            }
        }
        guard c.batchSize <= train.rows else {
            throw ConfigurationError(file: file, location: nil, keyPath: "training.batch_size",
                                     message: "\(c.batchSize) is larger than the \(train.rows) training rows")
        }
        trainData = train
        testData = test
        self.scaler = scaler
        if let resume = c.resume {
            let checkpoint: Checkpoint
            switch Result(catching: { () throws(DataError) in try Checkpoint.read(resume) }) {
            case let .success(value): checkpoint = value
            case let .failure(error): throw dataError(error)
            }
            let saved = checkpoint.configuration
            func mismatch(_ what: String) -> ConfigurationError {
                ConfigurationError(file: file, location: nil, keyPath: "training.resume",
                                   message: "\(resume) was trained with a different \(what)")
            }
            if checkpoint.parameters["W_enc"]!.rows != train.columns { throw mismatch("input width") }
            if saved.hiddenDim != c.hiddenDim || saved.latentDim != c.latentDim { throw mismatch("model size") }
            if saved.likelihood != c.likelihood { throw mismatch("likelihood") }
            if saved.optimizer != c.optimizer { throw mismatch("optimizer") }
            guard let state = checkpoint.trainerState else {
                throw ConfigurationError(file: file, location: nil, keyPath: "training.resume",
                                         message: "\(resume) holds parameters only, no training state to resume")
            }
            if state.order.count != train.rows { throw mismatch("number of training rows") }
            if state.epochsCompleted >= c.epochs {
                throw ConfigurationError(file: file, location: nil, keyPath: "training.epochs",
                                         message: "\(c.epochs) epochs are already done in \(resume) (epoch \(state.epochsCompleted))")
            }
            resumeFrom = checkpoint
        } else {
            resumeFrom = nil
        }
    }

    /// A checkpoint of `model` and `trainer` after the current epoch.
    func makeCheckpoint(model: VariationalAutoencoder, trainer: VAETrainer,
                        history: TrainingHistory, testHistory: [EvaluationLosses]) -> Checkpoint {
        Checkpoint(parameters: model.parameters, trainerState: trainer.state,
                   configuration: configuration, history: history, testHistory: testHistory,
                   scaler: scaler)
    }

    /// Trains as configured, evaluates on the test split, and returns the final losses.
    ///
    /// Throws `RunnerError.failure` when training fails (for example a non-finite loss, with
    /// the epoch and step).
    public func run() throws -> RunMetrics {
        let c = configuration
        let model = try VariationalAutoencoder(
            inputDim: trainData.columns, hiddenDim: c.hiddenDim, latentDim: c.latentDim,
            likelihood: c.likelihood, seed: c.seed)
        let options = c.trainingOptions
        let trainer = try VAETrainer(model: model, x: trainData, options: options)
        let evaluator = try testData.map {
            try VAEEvaluator(model: model, x: $0, logVarianceBounds: options.logVarianceBounds,
                             threads: options.threads)
        }
        var history = TrainingHistory(reservingCapacity: c.epochs)
        var testHistory: [EvaluationLosses] = []
        var firstEpoch = 1
        if let resume = resumeFrom, let state = resume.trainerState {
            for (name, value) in resume.parameters { try model.setParameter(name, to: value) }
            try trainer.restore(state)
            history.totalLoss += resume.history.totalLoss
            history.reconLoss += resume.history.reconLoss
            history.klLoss += resume.history.klLoss
            testHistory = resume.testHistory
            firstEpoch = state.epochsCompleted + 1
        }
        let checkpointURL = c.checkpoint.map { URL(fileURLWithPath: $0) }
        let start = monotonicSeconds()
        for epoch in firstEpoch...c.epochs {
            let epochStart = monotonicSeconds()
            let losses: EpochLosses
            do {
                losses = try trainer.runEpoch()
            } catch {
                throw RunnerError.failure("training failed: \(error)")
            }
            let seconds = max(monotonicSeconds() - epochStart, 1e-9)
            history.totalLoss.append(losses.total)
            history.reconLoss.append(losses.reconstruction)
            history.klLoss.append(losses.kl)
            let test = evaluator?.negativeELBO(noiseDraws: 1, seed: c.seed &+ 5)
            if let test { testHistory.append(test) }
            progress?(epoch, c.epochs, losses, Double(trainData.rows) / seconds, test)
            if c.plotsEveryEpoch {
                try writePictures(model: model, history: history, testHistory: testHistory,
                                  suffix: String(format: "-epoch-%03d", epoch))
            }
            let periodic = c.checkpointEvery > 0 && epoch % c.checkpointEvery == 0
            if let checkpointURL, periodic || epoch == c.epochs {
                try makeCheckpoint(model: model, trainer: trainer, history: history,
                                   testHistory: testHistory).write(to: checkpointURL)
            }
        }
        elapsedSeconds = monotonicSeconds() - start
        if let evaluator {
            let losses = evaluator.negativeELBO(noiseDraws: c.testNoiseDraws, seed: c.seed &+ 6)
            let iwae = c.iwaeSamples > 0
                ? evaluator.iwaeNegativeLogLikelihood(samples: c.iwaeSamples, seed: c.seed &+ 7) : nil
            testMetrics = (losses, iwae)
        }
        self.history = history
        self.testHistory = testHistory
        self.model = model
        try writePictures(model: model, history: history, testHistory: testHistory, suffix: "")
        return RunMetrics(finalTotalLoss: Double(history.totalLoss.last!),
                          finalReconLoss: Double(history.reconLoss.last!),
                          finalKLLoss: Double(history.klLoss.last!))
    }

    /// The metrics report as pretty-printed JSON with sorted keys.
    func reportJSON(_ metrics: RunMetrics) throws -> Data {
        let samples = Double(trainData.rows * configuration.epochs)
        let report = MetricsReport(metrics: metrics, configuration: configuration, history: history,
                                   testHistory: testHistory, test: testMetrics,
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
