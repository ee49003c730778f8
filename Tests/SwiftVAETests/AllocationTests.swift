import CMallocCounter
import SwiftVAE
import XCTest

/// Real heap allocations, counted by interposing malloc & co. (CMallocCounter).
final class AllocationTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(swiftvae_allocation_counting_available() == 1,
                          "allocation counting needs glibc")
    }

    @inline(never)
    func makeArray(_ count: Int) -> [Int] { [Int](repeating: 7, count: count) }

    func testCounterSeesAnArrayAllocation() {
        let before = swiftvae_allocation_count()
        let array = makeArray(1000)
        let after = swiftvae_allocation_count()
        XCTAssertEqual(array.count, 1000)
        XCTAssertGreaterThanOrEqual(after - before, 1)
    }

    func testTrainingEpochsAfterTheFirstAllocateNothing() throws {
        for likelihood in Likelihood.allCases {
            var data = generateSyntheticData(nSamples: 333, nFeatures: 20, randomSeed: 2)
            if likelihood == .bernoulli { data.scalars = data.scalars.map { 1 / (1 + Foundation.exp(-$0)) } }
            let model = try VariationalAutoencoder(inputDim: 20, hiddenDim: 64, latentDim: 4,
                                                   likelihood: likelihood, seed: 1)
            let trainer = try VAETrainer(model: model, x: data, learningRate: 1e-3, batchSize: 32,
                                         threads: 1)
            try trainer.runEpoch()   // warm-up: the runtime fills its caches on first use
            let before = swiftvae_allocation_count()
            for _ in 0..<5 { try trainer.runEpoch() }
            let after = swiftvae_allocation_count()
            // Read both counts before any String is built for the message.
            XCTAssertEqual(after - before, 0, "\(likelihood): allocations in epochs 2...6")
            XCTAssertEqual(trainer.epochsCompleted, 6)
        }
    }

    func testTwoThreadTrainingAllocatesNothingAfterTheFirstEpoch() throws {
        // Big enough that the GEMMs run on the worker pool.
        let data = generateSyntheticData(nSamples: 256, nFeatures: 200, randomSeed: 4)
        let model = try VariationalAutoencoder(inputDim: 200, hiddenDim: 256, latentDim: 8, seed: 1)
        let trainer = try VAETrainer(model: model, x: data, learningRate: 1e-4, batchSize: 64,
                                     threads: 2)
        try trainer.runEpoch()
        let before = swiftvae_allocation_count()
        for _ in 0..<3 { try trainer.runEpoch() }
        let after = swiftvae_allocation_count()
        XCTAssertEqual(after - before, 0, "allocations in two-thread epochs 2...4")
    }
}

/// The process's heap allocation count so far (0 where counting is unavailable).
func allocationCount() -> UInt64 { swiftvae_allocation_count() }
