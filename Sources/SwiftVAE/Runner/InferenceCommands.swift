import Foundation

/// `vae-run encode | reconstruct | sample | score`: inference from a checkpoint.
///
/// DATA is read by extension (`.csv`, `.npy`, anything else IDX images), scaled with the
/// checkpoint's stored scaler, and processed in batches; OUT is `.npy` or CSV by extension.
enum InferenceCommands {
    static let usage = """
        usage: vae-run encode      --checkpoint CK --input DATA --output OUT [--with-log-var]
               vae-run reconstruct --checkpoint CK --input DATA --output OUT
               vae-run sample      --checkpoint CK --count N --output OUT|grid.png [--seed S]
               vae-run score       --checkpoint CK --input DATA --output OUT [--samples L] [--iwae K] [--seed S]
        """

    struct Options {
        var checkpoint: String?
        var input: String?
        var output: String?
        var withLogVar = false
        var count: Int?
        var seed: UInt64 = 0
        var samples = 1
        var iwae: Int?
    }

    static func parse(_ command: String, _ arguments: [String]) throws(RunnerError) -> Options {
        var options = Options()
        var cursor = ArgumentCursor(arguments, command: "vae-run \(command)")
        func positive(_ flag: String) throws(RunnerError) -> Int {
            let text = try cursor.value(for: flag)
            guard let number = Int(text), number >= 1 else {
                throw RunnerError.usage("vae-run \(command): \(flag) needs a positive integer, got '\(text)'")
            }
            return number
        }
        while let argument = cursor.next() {
            switch argument {
            case "--checkpoint": options.checkpoint = try cursor.value(for: argument)
            case "--input": options.input = try cursor.value(for: argument)
            case "--output": options.output = try cursor.value(for: argument)
            case "--with-log-var" where command == "encode": options.withLogVar = true
            case "--count" where command == "sample": options.count = try positive(argument)
            case "--samples" where command == "score": options.samples = try positive(argument)
            case "--iwae" where command == "score": options.iwae = try positive(argument)
            case "--seed" where command == "sample" || command == "score":
                let text = try cursor.value(for: argument)
                guard let seed = UInt64(text) else {
                    throw RunnerError.usage("vae-run \(command): --seed needs a non-negative integer, got '\(text)'")
                }
                options.seed = seed
            default:
                throw RunnerError.usage("vae-run \(command): unknown argument '\(argument)' (see vae-run --help)")
            }
        }
        guard options.checkpoint != nil else { throw RunnerError.usage("vae-run \(command): --checkpoint is required") }
        guard options.output != nil else { throw RunnerError.usage("vae-run \(command): --output is required") }
        if command == "sample" {
            guard options.count != nil else { throw RunnerError.usage("vae-run sample: --count is required") }
        } else if options.input == nil {
            throw RunnerError.usage("vae-run \(command): --input is required")
        }
        return options
    }

    static func run(_ command: String, _ arguments: [String]) throws(RunnerError) {
        let options = try parse(command, arguments)
        let outputURL = URL(fileURLWithPath: options.output!)
        do { try AtomicFile.checkWritableDestination(outputURL) } catch {
            throw RunnerError.usage("vae-run \(command): \(error)")
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(options.checkpoint!) } catch {
            throw RunnerError.usage("vae-run \(command): \(error)")
        }
        let model: VariationalAutoencoder
        do { model = try checkpoint.makeModel() } catch {
            throw RunnerError.usage("vae-run \(command): \(error)")
        }
        let latent = model.latentDim
        func names(_ prefix: String, _ count: Int) -> [String] { (0..<count).map { "\(prefix)\($0)" } }
        do {
            switch command {
            case "sample":
                var generator = Xoshiro256StarStar(seed: options.seed)
                var z = Matrix(rows: options.count!, columns: latent)
                z.scalars.withUnsafeMutableBufferPointer {
                    fillStandardNormal($0.baseAddress!, count: $0.count, generator: &generator)
                }
                let decoded = model.decode(z)
                if outputURL.pathExtension.lowercased() == "png" {
                    let shape = checkpoint.configuration.imageShape
                        ?? squareShape(model.inputDim)
                    guard let shape else {
                        throw RunnerError.usage("vae-run sample: a .png needs image rows: the checkpoint has no data.image_shape and \(model.inputDim) is not a square")
                    }
                    let columns = Int(Double(decoded.rows).squareRoot().rounded(.up))
                    try AtomicFile.write(ImageGrid.png(decoded, height: shape[0], width: shape[1], columns: columns),
                                         to: outputURL)
                } else {
                    try MatrixWriter.write(decoded, columnNames: names("x", model.inputDim), to: outputURL)
                }
            default:
                let x = try loadInput(options.input!, checkpoint: checkpoint, model: model, command: command)
                switch command {
                case "encode":
                    let (mu, logVar) = batched(x, model: model) { model.encode($0) }
                    if options.withLogVar {
                        var both = Matrix(rows: x.rows, columns: 2 * latent)
                        for r in 0..<x.rows {
                            for j in 0..<latent {
                                both[r, j] = mu[r, j]
                                both[r, latent + j] = logVar[r, j]
                            }
                        }
                        try MatrixWriter.write(both, columnNames: names("mu", latent) + names("log_var", latent), to: outputURL)
                    } else {
                        try MatrixWriter.write(mu, columnNames: names("mu", latent), to: outputURL)
                    }
                case "reconstruct":
                    // The posterior mean decoded: deterministic, the usual "reconstruction".
                    let (mu, _) = batched(x, model: model) { model.encode($0) }
                    try MatrixWriter.write(model.decode(mu), columnNames: names("x", model.inputDim), to: outputURL)
                default: // score
                    let evaluator = try VAEEvaluator(model: model, x: x,
                                                     logVarianceBounds: checkpoint.configuration.trainingOptions.logVarianceBounds)
                    let elbo = evaluator.negativeELBOPerRow(noiseDraws: options.samples, seed: options.seed)
                    var columns = ["negative_elbo"]
                    var score = Matrix(rows: x.rows, columns: options.iwae == nil ? 1 : 2)
                    for r in 0..<x.rows { score[r, 0] = Float(elbo[r].total) }
                    if let k = options.iwae {
                        let iwae = evaluator.iwaeNegativeLogLikelihoodPerRow(samples: k, seed: options.seed &+ 1)
                        for r in 0..<x.rows { score[r, 1] = Float(iwae[r]) }
                        columns.append("nll_iwae")
                    }
                    try MatrixWriter.write(score, columnNames: columns, to: outputURL)
                }
            }
        } catch let error as RunnerError {
            throw error
        } catch {
            throw RunnerError.failure("vae-run \(command): \(error)")
        }
    }

    /// `[n, n]` when `count` is a perfect square.
    static func squareShape(_ count: Int) -> [Int]? {
        let side = Int(Double(count).squareRoot().rounded())
        return side * side == count ? [side, side] : nil
    }

    /// Reads DATA by extension and applies the checkpoint's scaler; checks width and values.
    static func loadInput(_ path: String, checkpoint: Checkpoint, model: VariationalAutoencoder,
                          command: String) throws -> Matrix {
        let raw: Matrix
        do {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "csv": raw = try CSVReader.read(path).data
            case "npy": raw = try NPYReader.read(path)
            default: raw = try IDXReader.readImages(path)
            }
        } catch {
            throw RunnerError.usage("vae-run \(command): \(error)")
        }
        guard raw.columns == model.inputDim else {
            throw RunnerError.usage("vae-run \(command): \(path) has \(raw.columns) columns, the model takes \(model.inputDim)")
        }
        let x = checkpoint.scaler.map { $0.apply(to: raw) } ?? raw
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw RunnerError.usage("vae-run \(command): \(path): row \(bad / x.columns), column \(bad % x.columns) is not finite")
        }
        return x
    }

    /// Runs `body` over batches of 1024 rows and stacks the two results.
    static func batched(_ x: Matrix, model: VariationalAutoencoder,
                        _ body: (Matrix) -> (Matrix, Matrix)) -> (Matrix, Matrix) {
        var first: [Float] = [], second: [Float] = []
        var columns = (0, 0)
        var start = 0
        while start < x.rows {
            let rows = min(1024, x.rows - start)
            let batch = Matrix(rows: rows, columns: x.columns,
                               scalars: Array(x.scalars[(start * x.columns)..<((start + rows) * x.columns)]))
            let (a, b) = body(batch)
            first += a.scalars
            second += b.scalars
            columns = (a.columns, b.columns)
            start += rows
        }
        return (Matrix(rows: x.rows, columns: columns.0, scalars: first),
                Matrix(rows: x.rows, columns: columns.1, scalars: second))
    }
}
