import SwiftVAE
import XCTest

/// The usage example of README.md, verbatim between the markers, so the README cannot drift
/// from code that compiles and runs.
final class ReadmeExampleTests: XCTestCase {
    func testReadmeUsageExampleRuns() throws {
        // README example begin
        let x = generateSyntheticData(nSamples: 1000, nFeatures: 20, randomSeed: 42)
        let model = try VariationalAutoencoder(inputDim: 20, hiddenDim: 64, latentDim: 4, seed: 42)
        let history = try trainVAE(model, x: x, epochs: 20, learningRate: 1e-3, batchSize: 32)
        print("loss per epoch:", history.totalLoss.first!, "->", history.totalLoss.last!)

        let batch = Matrix(rows: 8, columns: 20, scalars: Array(x.scalars.prefix(160)))
        let (mu, logVar) = model.encode(batch)               // 8 x 4 each
        let reconstruction = model.decode(mu)                 // 8 x 20, the posterior mean decoded
        let step = model.computeLossAndGradients(batch)       // losses and gradients, one batch
        model.applyGradients(step.gradients, learningRate: 1e-3)
        // README example end
        XCTAssertLessThan(history.totalLoss.last!, history.totalLoss.first!)
        XCTAssertEqual(mu.rows, 8)
        XCTAssertEqual(logVar.columns, 4)
        XCTAssertEqual(reconstruction.columns, 20)
        XCTAssertTrue(step.totalLoss.isFinite)
    }
}
