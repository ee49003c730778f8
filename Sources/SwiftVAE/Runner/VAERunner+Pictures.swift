import Foundation

extension VAERunner {
    /// Writes the pictures into `plots.folder` (nothing without one): `reconstructions.png`
    /// (ten test images above their reconstructions), `samples.png` (64 prior samples),
    /// `manifold.png` (for a 2-D latent space, the decoder over a 15x15 grid of z in [-2.5, 2.5]^2)
    /// and, at the end, `loss_curve.svg`.
    func writePictures(model: VariationalAutoencoder, history: TrainingHistory,
                       testHistory: [EvaluationLosses], suffix: String) throws {
        guard let folder = configuration.plotsFolder.map({ URL(fileURLWithPath: $0) }),
              let shape = configuration.imageShape else { return }
        let (height, width) = (shape[0], shape[1])
        let source = testData ?? trainData
        let count = min(10, source.rows)
        let originals = Matrix(rows: count, columns: source.columns,
                               scalars: Array(source.scalars.prefix(count * source.columns)))
        let reconstructions = model.decode(model.encode(originals).mu)
        let pair = Matrix(rows: 2 * count, columns: source.columns,
                          scalars: originals.scalars + reconstructions.scalars)
        try AtomicFile.write(ImageGrid.png(pair, height: height, width: width, columns: count),
                             to: folder.appendingPathComponent("reconstructions\(suffix).png"))
        var generator = Xoshiro256StarStar(seed: configuration.seed &+ 8)
        var z = Matrix(rows: 64, columns: model.latentDim)
        z.scalars.withUnsafeMutableBufferPointer {
            fillStandardNormal($0.baseAddress!, count: $0.count, generator: &generator)
        }
        try AtomicFile.write(ImageGrid.png(model.decode(z), height: height, width: width, columns: 8),
                             to: folder.appendingPathComponent("samples\(suffix).png"))
        if model.latentDim == 2 {
            var grid = Matrix(rows: 225, columns: 2)
            for i in 0..<15 {
                for j in 0..<15 {
                    grid[i * 15 + j, 0] = -2.5 + 5 * Float(j) / 14
                    grid[i * 15 + j, 1] = 2.5 - 5 * Float(i) / 14
                }
            }
            try AtomicFile.write(ImageGrid.png(model.decode(grid), height: height, width: width, columns: 15),
                                 to: folder.appendingPathComponent("manifold\(suffix).png"))
        }
        if suffix.isEmpty {
            let svg = LossCurveSVG.svg(LossCurveSVG.series(history: history, test: testHistory),
                                       title: "SwiftVAE training: loss per epoch")
            try AtomicFile.write(Data(svg.utf8), to: folder.appendingPathComponent("loss_curve.svg"))
        }
    }
}
