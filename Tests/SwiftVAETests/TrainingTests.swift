import SwiftVAE
import XCTest

final class TrainingTests: XCTestCase {
    func testTrainingReducesLossForBothLikelihoods() throws {
        let gaussianData = generateSyntheticData(nSamples: 600, nFeatures: 20, randomSeed: 1)
        // Bernoulli targets in [0, 1]: squash the same structured data.
        let bernoulliData = Matrix(rows: 600, columns: 20,
                                   scalars: gaussianData.scalars.map { 1 / (1 + Foundation.exp(-$0)) })
        for (likelihood, data) in [(Likelihood.gaussian, gaussianData), (.bernoulli, bernoulliData)] {
            let model = try VariationalAutoencoder(inputDim: 20, hiddenDim: 32, latentDim: 4,
                                                   likelihood: likelihood, seed: 3)
            let history = try trainVAE(model, x: data, epochs: 15, learningRate: 0.01,
                                       batchSize: 32, seed: 4)
            XCTAssertEqual(history.totalLoss.count, 15)
            let first = history.totalLoss.first!, last = history.totalLoss.last!
            XCTAssertLessThan(last, 0.9 * first, "\(likelihood): \(history.totalLoss)")
            for epoch in 0..<15 {
                XCTAssertEqual(history.totalLoss[epoch],
                               history.reconLoss[epoch] + history.klLoss[epoch],
                               accuracy: 1e-4 * history.totalLoss[epoch])
            }
        }
    }

    func testSameSeedGivesBitIdenticalHistoryAndParameters() throws {
        let data = generateSyntheticData(nSamples: 203, nFeatures: 9, randomSeed: 7)
        func run(seed: UInt64) throws -> (TrainingHistory, [String: Matrix]) {
            let model = try VariationalAutoencoder(inputDim: 9, hiddenDim: 17, latentDim: 3, seed: 11)
            // 203 rows in batches of 16: the last partial batch (11 rows) is used.
            let history = try trainVAE(model, x: data, epochs: 4, learningRate: 0.005,
                                       batchSize: 16, seed: seed)
            return (history, model.parameters)
        }
        let (historyA, parametersA) = try run(seed: 5)
        let (historyB, parametersB) = try run(seed: 5)
        let (historyC, _) = try run(seed: 6)
        XCTAssertEqual(historyA.totalLoss.map(\.bitPattern), historyB.totalLoss.map(\.bitPattern))
        XCTAssertEqual(parametersA, parametersB)
        XCTAssertNotEqual(historyA.totalLoss, historyC.totalLoss)
    }

    func testHistoryIsBitIdenticalForAnyThreadCount() throws {
        // Large enough that the big GEMMs are split (2 m n k above the parallel threshold).
        let data = generateSyntheticData(nSamples: 300, nFeatures: 200, randomSeed: 8)
        func run(threads: Int) throws -> (TrainingHistory, [String: Matrix]) {
            let model = try VariationalAutoencoder(inputDim: 200, hiddenDim: 256, latentDim: 8, seed: 2)
            let history = try trainVAE(model, x: data, epochs: 3, learningRate: 1e-4,
                                       batchSize: 64, seed: 3, threads: threads)
            return (history, model.parameters)
        }
        let (oneHistory, oneParameters) = try run(threads: 1)
        for threads in [2, 3] {
            let (history, parameters) = try run(threads: threads)
            XCTAssertEqual(history.totalLoss.map(\.bitPattern), oneHistory.totalLoss.map(\.bitPattern),
                           "\(threads) threads")
            XCTAssertEqual(parameters, oneParameters, "\(threads) threads")
        }
    }

    func testSyntheticDataIsSeededAndStructured() {
        let a = generateSyntheticData(nSamples: 2000, nFeatures: 10, randomSeed: 3)
        XCTAssertEqual(a, generateSyntheticData(nSamples: 2000, nFeatures: 10, randomSeed: 3))
        XCTAssertNotEqual(a, generateSyntheticData(nSamples: 2000, nFeatures: 10, randomSeed: 4))
        XCTAssertEqual(a.rows, 2000)
        XCTAssertEqual(a.columns, 10)
        // Per-feature variance is |column of A|^2 / k + 0.01, with A ~ N(0, 1): averaged over
        // features it is close to 1.01.
        var total = 0.0
        for j in 0..<10 {
            let column = (0..<2000).map { Double(a[$0, j]) }
            let mean = column.reduce(0, +) / 2000
            total += column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2000
        }
        XCTAssertEqual(total / 10, 1.01, accuracy: 0.45)
    }

    func testInvalidTrainingArgumentsThrow() throws {
        let model = try VariationalAutoencoder(inputDim: 5, hiddenDim: 4, latentDim: 2)
        let x = generateSyntheticData(nSamples: 10, nFeatures: 5, randomSeed: 1)
        XCTAssertThrowsError(try trainVAE(model, x: x, epochs: -1, learningRate: 0.1, batchSize: 2))
        XCTAssertThrowsError(try trainVAE(model, x: x, epochs: 1, learningRate: 0.1, batchSize: 0))
        XCTAssertThrowsError(try trainVAE(model, x: x, epochs: 1, learningRate: -1, batchSize: 2))
        XCTAssertThrowsError(try trainVAE(model, x: x, epochs: 1, learningRate: .nan, batchSize: 2))
        XCTAssertThrowsError(try trainVAE(model, x: Matrix(rows: 0, columns: 5), epochs: 1,
                                          learningRate: 0.1, batchSize: 2))
        XCTAssertThrowsError(try trainVAE(model, x: Matrix(rows: 3, columns: 4), epochs: 1,
                                          learningRate: 0.1, batchSize: 2)) {
            XCTAssertEqual("\($0)", "training data has shape 3x4, expected Nx5")
        }
        var withNaN = x
        withNaN[2, 3] = .nan
        XCTAssertThrowsError(try trainVAE(model, x: withNaN, epochs: 1, learningRate: 0.1, batchSize: 2)) {
            XCTAssertEqual("\($0)", "training data contains a non-finite value at row 2, column 3")
        }
        // Zero epochs is legal and trains nothing.
        XCTAssertEqual(try trainVAE(model, x: x, epochs: 0, learningRate: 0.1, batchSize: 2).totalLoss, [])
    }

    func testDivergingLossThrowsWithEpochAndStep() throws {
        let model = try VariationalAutoencoder(inputDim: 5, hiddenDim: 8, latentDim: 2, seed: 1)
        let x = Matrix(rows: 40, columns: 5, scalars: (0..<200).map { Float($0 % 7) * 1e18 })
        XCTAssertThrowsError(try trainVAE(model, x: x, epochs: 3, learningRate: 1e6, batchSize: 8)) {
            guard case let .nonFiniteLoss(epoch, step, _) = $0 as? VAEError else {
                return XCTFail("expected nonFiniteLoss, got \($0)")
            }
            XCTAssertGreaterThanOrEqual(epoch, 1)
            XCTAssertGreaterThanOrEqual(step, 1)
        }
    }
}
