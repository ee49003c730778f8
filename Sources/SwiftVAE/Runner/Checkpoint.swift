import Foundation

/// A training checkpoint in safetensors: the parameters under their names (biases 1-D), Adam's
/// moments (`adam.m.W_enc`, `adam.v.W_enc`, ...), the trainer's row order (`trainer.order`, I64)
/// and the data scaler (`scaler.shift`, `scaler.scale`); the metadata holds the resolved
/// configuration as JSON, the epoch, the optimizer step, the generator state, the loss history
/// and the SwiftVAE version.
public struct Checkpoint: Sendable {
    public var parameters: [String: Matrix]
    public var trainerState: VAETrainer.State?
    public var configuration: RunConfiguration
    public var history: TrainingHistory
    public var testHistory: [EvaluationLosses]
    public var scaler: FeatureScaler?

    public var epoch: Int { trainerState?.epochsCompleted ?? 0 }

    // MARK: - Writing

    /// The safetensors bytes.
    public func encoded() throws -> Data {
        var tensors: [String: SafetensorsTensor] = [:]
        for (name, value) in parameters {
            let shape = name.hasPrefix("b_") ? [value.columns] : [value.rows, value.columns]
            tensors[name] = SafetensorsTensor(shape: shape, float32: value.scalars)
        }
        var metadata: [String: String] = [
            "format": "swiftvae-checkpoint-1",
            "swiftvae_version": SwiftVAEVersion.current,
            "config": String(decoding: try JSONEncoder.sorted.encode(configuration), as: UTF8.self),
            "history": String(decoding: try JSONEncoder.sorted.encode(HistoryRecord(history, testHistory)), as: UTF8.self),
        ]
        if let state = trainerState {
            metadata["epoch"] = String(state.epochsCompleted)
            metadata["step"] = String(state.optimizerStep)
            metadata["rng_state"] = state.generatorState.map { String($0, radix: 16) }.joined(separator: ",")
            tensors["trainer.order"] = SafetensorsTensor(shape: [state.order.count],
                                                         int64: state.order.map(Int64.init))
            for (index, name) in ParameterStore.names.enumerated() where !state.firstMoments.isEmpty {
                let shape = tensors[name]!.shape
                tensors["adam.m." + name] = SafetensorsTensor(shape: shape, float32: state.firstMoments[index])
                tensors["adam.v." + name] = SafetensorsTensor(shape: shape, float32: state.secondMoments[index])
            }
        }
        if let scaler {
            tensors["scaler.shift"] = SafetensorsTensor(shape: [scaler.shift.count], float32: scaler.shift)
            tensors["scaler.scale"] = SafetensorsTensor(shape: [scaler.scale.count], float32: scaler.scale)
            metadata["scaler_clips"] = scaler.clipsToUnitInterval ? "true" : "false"
        }
        return try Safetensors.encode(tensors: tensors, metadata: metadata)
    }

    /// Writes atomically: temporary file, flush, rename, so a crash leaves the previous file.
    public func write(to url: URL) throws {
        try AtomicFile.write(try encoded(), to: url)
    }

    // MARK: - Reading

    /// Reads and validates a checkpoint (or any safetensors file with the ten parameter names and
    /// consistent shapes; training state and metadata are then absent).
    public static func read(_ path: String) throws(DataError) -> Checkpoint {
        let (tensors, metadata) = try Safetensors.decode(try readFileBytes(path), file: path)
        func matrix(_ name: String) throws(DataError) -> Matrix {
            guard let tensor = tensors[name] else {
                throw DataError(file: path, message: "missing tensor '\(name)'")
            }
            guard case let .float32(values) = tensor.values else {
                throw DataError(file: path, message: "tensor '\(name)' must be F32")
            }
            switch tensor.shape.count {
            case 1: return Matrix(rows: 1, columns: tensor.shape[0], scalars: values)
            case 2: return Matrix(rows: tensor.shape[0], columns: tensor.shape[1], scalars: values)
            default: throw DataError(file: path, message: "tensor '\(name)' has shape \(tensor.shape); expected 1 or 2 dimensions")
            }
        }
        var parameters: [String: Matrix] = [:]
        for name in ParameterStore.names { parameters[name] = try matrix(name) }
        // The biases fix the sizes unambiguously; every weight is then checked against them.
        let inputDim = parameters["b_out"]!.scalars.count, hiddenDim = parameters["b_enc"]!.scalars.count
        let latentDim = parameters["b_mu"]!.scalars.count
        let expected = ParameterStore.shapes(inputDim: inputDim, hiddenDim: hiddenDim, latentDim: latentDim)
        for (index, name) in ParameterStore.names.enumerated() {
            let shape = expected[index], actual = parameters[name]!
            guard actual.rows == shape.rows && actual.columns == shape.columns else {
                throw DataError(file: path, message: "tensor '\(name)' is \(actual.rows)x\(actual.columns), expected \(shape.rows)x\(shape.columns) for a \(inputDim)-\(hiddenDim)-\(latentDim) model")
            }
            if let bad = actual.scalars.firstIndex(where: { !$0.isFinite }) {
                throw DataError(file: path, message: "tensor '\(name)' holds a non-finite value at element \(bad)")
            }
        }
        var known = Set(ParameterStore.names)
        var configuration = RunConfiguration.defaults
        configuration.nFeatures = inputDim
        configuration.hiddenDim = hiddenDim
        configuration.latentDim = latentDim
        if let text = metadata["config"] {
            guard let decoded = try? JSONDecoder().decode(RunConfiguration.self, from: Data(text.utf8)) else {
                throw DataError(file: path, message: "the metadata's config is not a valid SwiftVAE configuration")
            }
            configuration = decoded
            guard configuration.hiddenDim == hiddenDim && configuration.latentDim == latentDim else {
                throw DataError(file: path, message: "the metadata's config (\(configuration.hiddenDim) hidden, \(configuration.latentDim) latent) does not match the tensors")
            }
        }
        var history = TrainingHistory(), testHistory: [EvaluationLosses] = []
        if let text = metadata["history"] {
            guard let record = try? JSONDecoder().decode(HistoryRecord.self, from: Data(text.utf8)) else {
                throw DataError(file: path, message: "the metadata's history is malformed")
            }
            (history, testHistory) = record.values
        }
        var scaler: FeatureScaler?
        if tensors["scaler.shift"] != nil || tensors["scaler.scale"] != nil {
            let shift = try matrix("scaler.shift").scalars, scale = try matrix("scaler.scale").scalars
            guard shift.count == inputDim && scale.count == inputDim else {
                throw DataError(file: path, message: "the scaler has \(shift.count) features, the model \(inputDim)")
            }
            scaler = FeatureScaler(shift: shift, scale: scale, clipsToUnitInterval: metadata["scaler_clips"] == "true")
            known.formUnion(["scaler.shift", "scaler.scale"])
        }
        var state: VAETrainer.State?
        if let epochText = metadata["epoch"] {
            guard let epoch = Int(epochText), epoch >= 0, let step = Int(metadata["step"] ?? ""),
                  let words = metadata["rng_state"]?.split(separator: ",").compactMap({ UInt64($0, radix: 16) }),
                  words.count == 4,
                  let orderTensor = tensors["trainer.order"], case let .int64(order) = orderTensor.values else {
                throw DataError(file: path, message: "the training state (epoch, step, rng_state, trainer.order) is incomplete")
            }
            known.insert("trainer.order")
            var first: [[Float]] = [], second: [[Float]] = []
            if tensors["adam.m.W_enc"] != nil {
                for name in ParameterStore.names {
                    let m = try matrix("adam.m." + name), v = try matrix("adam.v." + name)
                    guard m.scalars.count == parameters[name]!.scalars.count,
                          v.scalars.count == m.scalars.count else {
                        throw DataError(file: path, message: "Adam state for '\(name)' has the wrong size")
                    }
                    first.append(m.scalars)
                    second.append(v.scalars)
                    known.formUnion(["adam.m." + name, "adam.v." + name])
                }
            }
            state = VAETrainer.State(epochsCompleted: epoch, generatorState: words,
                                     order: order.map { Int($0) }, optimizerStep: step,
                                     firstMoments: first, secondMoments: second)
        }
        if let extra = Set(tensors.keys).subtracting(known).sorted().first {
            throw DataError(file: path, message: "unexpected tensor '\(extra)'")
        }
        return Checkpoint(parameters: parameters, trainerState: state, configuration: configuration,
                          history: history, testHistory: testHistory, scaler: scaler)
    }

    /// A model holding the checkpoint's parameters.
    public func makeModel() throws -> VariationalAutoencoder {
        let w = parameters["W_enc"]!, mu = parameters["W_mu"]!
        let model = try VariationalAutoencoder(inputDim: w.rows, hiddenDim: w.columns,
                                               latentDim: mu.columns,
                                               likelihood: configuration.likelihood)
        for (name, value) in parameters { try model.setParameter(name, to: value) }
        return model
    }
}

/// The loss history as stored in the metadata.
struct HistoryRecord: Codable {
    var total: [Float], reconstruction: [Float], kl: [Float]
    var testTotal: [Double], testReconstruction: [Double], testKL: [Double]

    init(_ history: TrainingHistory, _ test: [EvaluationLosses]) {
        total = history.totalLoss
        reconstruction = history.reconLoss
        kl = history.klLoss
        testTotal = test.map(\.total)
        testReconstruction = test.map(\.reconstruction)
        testKL = test.map(\.kl)
    }

    var values: (TrainingHistory, [EvaluationLosses]) {
        var history = TrainingHistory()
        history.totalLoss = total
        history.reconLoss = reconstruction
        history.klLoss = kl
        let test = (0..<min(testTotal.count, testReconstruction.count, testKL.count)).map {
            EvaluationLosses(total: testTotal[$0], reconstruction: testReconstruction[$0], kl: testKL[$0])
        }
        return (history, test)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
