/// Turns a YAML tree into a `RunConfiguration`: checks every key, type and range, fills defaults.
///
/// The schema (section.key: type, default, allowed range):
/// - `seed`: integer, 42, 0...2^63-1
/// - `data.n_samples`: integer, 2000, 1...10_000_000; `data.n_features`: integer, 20, 1...100_000
/// - `data.scaling`: `none` | `min_max`, none
/// - `model.hidden_dim`: integer, 64, 1...100_000; `model.latent_dim`: integer, 4, 1...100_000
/// - `model.likelihood`: `gaussian` | `bernoulli`, gaussian
/// - `training.epochs`: integer, 50, 1...1_000_000; `training.learning_rate`: number, 1e-3,
///   finite and >= 0; `training.batch_size`: integer, 32, 1...data.n_samples;
///   `training.threads`: integer or null, null (every core), 1...256
public enum ConfigurationSchema {
    static let sections: [String: [String]] = [
        "data": ["source", "path", "test_path", "test_fraction", "test_last_rows", "label_column", "header",
                 "delimiter", "n_samples", "n_features", "scaling", "scale", "binarize",
                 "binarize_threshold", "image_shape"],
        "model": ["hidden_dim", "latent_dim", "likelihood"],
        "training": ["epochs", "learning_rate", "batch_size", "threads", "optimizer", "beta1",
                     "beta2", "epsilon", "beta", "kl_warmup_epochs", "log_var_min",
                     "log_var_max", "gradient_clip_norm", "checkpoint", "checkpoint_every",
                     "resume"],
        "evaluation": ["test_noise_draws", "iwae_samples"],
        "plots": ["folder", "every_epoch"],
    ]
    static let topLevel = ["seed", "data", "model", "training", "evaluation", "plots"]

    /// Parses and validates YAML text; `file` names it in errors.
    public static func configuration(fromYAML text: String, file: String) throws(ConfigurationError)
        -> RunConfiguration
    {
        let root: YAMLValue
        do {
            root = try YAMLReader.parse(text)
        } catch {
            throw ConfigurationError(file: file, location: error.location, keyPath: nil,
                                     message: error.message)
        }
        return try configuration(from: root, file: file)
    }

    static func configuration(from root: YAMLValue, file: String) throws(ConfigurationError)
        -> RunConfiguration
    {
        var config = RunConfiguration.defaults
        guard case let .mapping(entries) = root else {
            throw ConfigurationError(file: file, location: nil, keyPath: nil,
                                     message: "the top level must be a mapping")
        }
        var batchSizeLocation: SourceLocation?
        for entry in entries {
            guard topLevel.contains(entry.key) else {
                throw unknownKey(entry.key, path: entry.key, known: topLevel, file: file,
                                 location: entry.location)
            }
            if entry.key == "seed" {
                config.seed = UInt64(try integer(entry.value, path: "seed", range: 0...Int.max, file: file))
                continue
            }
            if case .scalar(.null) = entry.value.value { continue }   // empty section: defaults
            guard case let .mapping(children) = entry.value.value else {
                throw ConfigurationError(file: file, location: entry.value.location, keyPath: entry.key,
                                         message: "expected a mapping, got a \(entry.value.value.typeName)")
            }
            let known = sections[entry.key]!
            for child in children {
                let path = "\(entry.key).\(child.key)"
                guard known.contains(child.key) else {
                    throw unknownKey(child.key, path: path, known: known, file: file,
                                     location: child.location)
                }
                let node = child.value
                switch path {
                case "data.n_samples": config.nSamples = try integer(node, path: path, range: 1...10_000_000, file: file)
                case "data.n_features": config.nFeatures = try integer(node, path: path, range: 1...100_000, file: file)
                case "data.scaling": config.scaling = try choice(node, path: path, file: file)
                case "data.source": config.source = try choice(node, path: path, file: file)
                case "data.path": config.path = try string(node, path: path, file: file)
                case "data.test_path": config.testPath = try string(node, path: path, file: file)
                case "data.test_fraction":
                    config.testFraction = try number(node, path: path, file: file)
                    if config.testFraction >= 1 {
                        throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                                 message: "\(config.testFraction) is not allowed (0 <= test_fraction < 1)")
                    }
                case "data.test_last_rows":
                    config.testLastRows = try integer(node, path: path, range: 0...100_000_000, file: file)
                case "data.image_shape":
                    guard case let .sequence(items) = node.value, items.count == 2,
                          case let .scalar(.int(height)) = items[0].value, case let .scalar(.int(width)) = items[1].value,
                          height >= 1, width >= 1, height <= 4096, width <= 4096 else {
                        throw typeError(node, path: path, expected: "[height, width] (two positive integers)", file: file)
                    }
                    config.imageShape = [height, width]
                case "plots.folder": config.plotsFolder = try string(node, path: path, file: file)
                case "plots.every_epoch":
                    guard case let .scalar(.bool(flag)) = node.value else {
                        throw typeError(node, path: path, expected: "true or false", file: file)
                    }
                    config.plotsEveryEpoch = flag
                case "data.label_column":
                    switch node.value {
                    case let .scalar(.int(index)) where index >= 0: config.labelColumn = String(index)
                    case let .scalar(.string(name)): config.labelColumn = "name:" + name
                    case .scalar(.null): config.labelColumn = nil
                    default: throw typeError(node, path: path, expected: "a column index or name", file: file)
                    }
                case "data.header":
                    switch node.value {
                    case .scalar(.bool(true)): config.header = "present"
                    case .scalar(.bool(false)): config.header = "absent"
                    case .scalar(.string("auto")): config.header = "auto"
                    default: throw typeError(node, path: path, expected: "true, false or auto", file: file)
                    }
                case "data.delimiter":
                    let text = try string(node, path: path, file: file)
                    guard text.utf8.count == 1 else {
                        throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                                 message: "must be one ASCII character, got '\(text)'")
                    }
                    config.delimiter = text
                case "data.scale": config.scale = try positiveNumber(node, path: path, file: file)
                case "data.binarize": config.binarize = try choice(node, path: path, file: file)
                case "data.binarize_threshold": config.binarizeThreshold = try number(node, path: path, file: file)
                case "training.optimizer": config.optimizer = try choice(node, path: path, file: file)
                case "training.beta1": config.beta1 = try fraction(node, path: path, file: file)
                case "training.beta2": config.beta2 = try fraction(node, path: path, file: file)
                case "training.epsilon": config.epsilon = try positiveNumber(node, path: path, file: file)
                case "training.beta": config.beta = try number(node, path: path, file: file)
                case "training.kl_warmup_epochs":
                    config.klWarmupEpochs = try integer(node, path: path, range: 0...1_000_000, file: file)
                case "training.log_var_min": config.logVarMin = try signedNumber(node, path: path, file: file)
                case "training.log_var_max": config.logVarMax = try signedNumber(node, path: path, file: file)
                case "training.gradient_clip_norm":
                    if case .scalar(.null) = node.value { config.gradientClipNorm = nil } else {
                        config.gradientClipNorm = try positiveNumber(node, path: path, file: file)
                    }
                case "training.checkpoint": config.checkpoint = try string(node, path: path, file: file)
                case "training.checkpoint_every":
                    config.checkpointEvery = try integer(node, path: path, range: 0...1_000_000, file: file)
                case "training.resume": config.resume = try string(node, path: path, file: file)
                case "evaluation.test_noise_draws":
                    config.testNoiseDraws = try integer(node, path: path, range: 1...10_000, file: file)
                case "evaluation.iwae_samples":
                    config.iwaeSamples = try integer(node, path: path, range: 0...100_000, file: file)
                case "model.hidden_dim": config.hiddenDim = try integer(node, path: path, range: 1...100_000, file: file)
                case "model.latent_dim": config.latentDim = try integer(node, path: path, range: 1...100_000, file: file)
                case "model.likelihood": config.likelihood = try choice(node, path: path, file: file)
                case "training.epochs": config.epochs = try integer(node, path: path, range: 1...1_000_000, file: file)
                case "training.learning_rate": config.learningRate = try number(node, path: path, file: file)
                case "training.threads":
                    if case .scalar(.null) = node.value { config.threads = nil } else {
                        config.threads = try integer(node, path: path, range: 1...256, file: file)
                    }
                case "training.batch_size":
                    config.batchSize = try integer(node, path: path, range: 1...10_000_000, file: file)
                    batchSizeLocation = node.location
                default: break
                }
            }
        }
        if config.logVarMin >= config.logVarMax || config.logVarMax > 80 {
            throw ConfigurationError(file: file, location: nil, keyPath: "training.log_var_max",
                                     message: "need log_var_min < log_var_max <= 80, got \(config.logVarMin) and \(config.logVarMax)")
        }
        if config.plotsFolder != nil && config.imageShape == nil {
            throw ConfigurationError(file: file, location: nil, keyPath: "plots.folder",
                                     message: "pictures need data.image_shape: [height, width]")
        }
        if config.checkpointEvery > 0 && config.checkpoint == nil {
            throw ConfigurationError(file: file, location: nil, keyPath: "training.checkpoint_every",
                                     message: "needs training.checkpoint (the file to write)")
        }
        if config.source != .synthetic && config.path == nil {
            throw ConfigurationError(file: file, location: nil, keyPath: "data.path",
                                     message: "data.source \(config.source.rawValue) needs data.path")
        }
        if config.source == .synthetic && config.batchSize > config.nSamples {
            throw ConfigurationError(
                file: file, location: batchSizeLocation, keyPath: "training.batch_size",
                message: "\(config.batchSize) is larger than data.n_samples (\(config.nSamples))")
        }
        if config.source == .synthetic && config.likelihood == .bernoulli && config.scaling == .none {
            throw ConfigurationError(
                file: file, location: nil, keyPath: "model.likelihood",
                message: "bernoulli needs data in [0, 1], but the synthetic data is unbounded: set data.scaling: min_max")
        }
        return config
    }

    // MARK: - Typed readers

    static func integer(_ node: YAMLNode, path: String, range: ClosedRange<Int>, file: String)
        throws(ConfigurationError) -> Int
    {
        guard case let .scalar(.int(value)) = node.value else {
            // An integer literal beyond Int resolves to a float: say it is out of range.
            if case let .scalar(.float(x)) = node.value, x.isFinite, x == x.rounded(), abs(x) >= 0x1p63 {
                throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                         message: "\(x) is out of range (allowed \(range.lowerBound)...\(range.upperBound))")
            }
            throw typeError(node, path: path, expected: "an integer", file: file)
        }
        guard range.contains(value) else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "\(value) is out of range (allowed \(range.lowerBound)...\(range.upperBound))")
        }
        return value
    }

    /// A finite number >= 0 (integers accepted).
    static func number(_ node: YAMLNode, path: String, file: String) throws(ConfigurationError) -> Double {
        let value = try signedNumber(node, path: path, file: file, requirement: "finite and >= 0")
        guard value >= 0 else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "\(value) is not allowed (must be finite and >= 0)")
        }
        return value
    }

    /// A finite number > 0.
    static func positiveNumber(_ node: YAMLNode, path: String, file: String) throws(ConfigurationError) -> Double {
        let value = try number(node, path: path, file: file)
        guard value > 0 else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "0 is not allowed (must be > 0)")
        }
        return value
    }

    static func string(_ node: YAMLNode, path: String, file: String) throws(ConfigurationError) -> String {
        guard case let .scalar(.string(text)) = node.value, !text.isEmpty else {
            throw typeError(node, path: path, expected: "a non-empty string", file: file)
        }
        return text
    }

    /// A number in [0, 1) (Adam's betas).
    static func fraction(_ node: YAMLNode, path: String, file: String) throws(ConfigurationError) -> Double {
        let value = try number(node, path: path, file: file)
        guard value < 1 else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "\(value) is not allowed (0 <= value < 1)")
        }
        return value
    }

    /// Any finite number, negative allowed (integers accepted). `requirement` is what the
    /// message says is allowed.
    static func signedNumber(_ node: YAMLNode, path: String, file: String,
                             requirement: String = "finite") throws(ConfigurationError) -> Double {
        let value: Double
        switch node.value {
        case let .scalar(.float(x)): value = x
        case let .scalar(.int(x)): value = Double(x)
        default: throw typeError(node, path: path, expected: "a number", file: file)
        }
        guard value.isFinite else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "\(value) is not allowed (must be \(requirement))")
        }
        return value
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, path: String, file: String)
        throws(ConfigurationError) -> T where T.RawValue == String
    {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard case let .scalar(.string(text)) = node.value else {
            throw typeError(node, path: path, expected: "one of \(allowed)", file: file)
        }
        guard let value = T(rawValue: text) else {
            throw ConfigurationError(file: file, location: node.location, keyPath: path,
                                     message: "'\(text)' is not allowed (one of \(allowed))")
        }
        return value
    }

    static func typeError(_ node: YAMLNode, path: String, expected: String, file: String) -> ConfigurationError {
        ConfigurationError(file: file, location: node.location, keyPath: path,
                           message: "expected \(expected), got a \(node.value.typeName)")
    }

    static func unknownKey(_ key: String, path: String, known: [String], file: String,
                           location: SourceLocation) -> ConfigurationError {
        var message = "unknown key '\(key)'"
        if let suggestion = known.min(by: { editDistance($0, key) < editDistance($1, key) }),
           editDistance(suggestion, key) <= max(2, key.count / 3) {
            message += " (did you mean '\(suggestion)'?)"
        }
        message += "; allowed: \(known.joined(separator: ", "))"
        return ConfigurationError(file: file, location: location, keyPath: path, message: message)
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
