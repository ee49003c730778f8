import VAEKernels
import XCTest

/// Splitting a product over threads, or running it with the other micro-kernel, must not change
/// a single bit: each element is the same FMA chain over k in every case.
final class ParallelGEMMTests: XCTestCase {
    struct Problem {
        var m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float
    }

    func compute(_ p: Problem, _ a: [Float], _ b: [Float], _ c: [Float],
                 run: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [UInt32] {
        var output = c
        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                output.withUnsafeMutableBufferPointer { cBuffer in
                    run(aBuffer.baseAddress!, bBuffer.baseAddress!, cBuffer.baseAddress!)
                }
            }
        }
        return output.map(\.bitPattern)
    }

    func testBitIdenticalForAnyThreadCountAndKernel() {
        var random = TestRandom(seed: 41)
        let problems = [
            Problem(m: 128, n: 400, k: 300, transposeA: false, transposeB: false, beta: 0),
            Problem(m: 77, n: 45, k: 260, transposeA: false, transposeB: true, beta: 1),
            Problem(m: 300, n: 37, k: 33, transposeA: true, transposeB: false, beta: 0.5),
            Problem(m: 13, n: 1000, k: 9, transposeA: false, transposeB: false, beta: 0),
            Problem(m: 1, n: 70, k: 513, transposeA: true, transposeB: true, beta: 0),
        ]
        let pools = [1, 2, 3, 4].map { ParallelGEMM(threadCount: $0) }
        for pool in pools { pool.parallelThreshold = 0 }   // split even small products
        for p in problems {
            let a = random.array(p.m * p.k), b = random.array(p.k * p.n), c = random.array(p.m * p.n)
            let lda = p.transposeA ? p.m : p.k, ldb = p.transposeB ? p.k : p.n
            var reference: [UInt32]?
            for kernel in GEMMMicroKernel.allCases {
                let scratch = GEMMScratch(microKernel: kernel, narrowFallback: false)
                let bits = compute(p, a, b, c) { aPointer, bPointer, cPointer in
                    gemm(transposeA: p.transposeA, transposeB: p.transposeB, m: p.m, n: p.n, k: p.k,
                         alpha: 0.75, a: aPointer, lda: lda, b: bPointer, ldb: ldb, beta: p.beta,
                         c: cPointer, ldc: p.n, scratch: scratch)
                }
                if let reference { XCTAssertEqual(bits, reference, "\(kernel) differs: \(p)") }
                reference = bits
            }
            for pool in pools {
                let bits = compute(p, a, b, c) { aPointer, bPointer, cPointer in
                    pool.gemm(transposeA: p.transposeA, transposeB: p.transposeB, m: p.m, n: p.n,
                              k: p.k, alpha: 0.75, a: aPointer, lda: lda, b: bPointer, ldb: ldb,
                              beta: p.beta, c: cPointer, ldc: p.n)
                }
                XCTAssertEqual(bits, reference, "\(pool.threadCount) threads differ: \(p)")
            }
        }
    }

    func testPoolRunsEveryPartOnce() {
        for threads in [1, 2, 5] {
            let pool = WorkerPool(threadCount: threads)
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: threads)
            counts.initialize(repeating: 0, count: threads)
            defer { counts.deallocate() }
            for _ in 0..<1000 {
                pool.run((perform: { part, context in
                    context.assumingMemoryBound(to: Int.self)[part] += 1
                }, context: UnsafeMutableRawPointer(counts)))
            }
            XCTAssertEqual(Array(UnsafeBufferPointer(start: counts, count: threads)),
                           Array(repeating: 1000, count: threads))
        }
    }
}
