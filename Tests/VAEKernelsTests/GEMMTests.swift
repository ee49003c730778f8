import VAEKernels
import XCTest

/// GEMM against a plain triple loop in Double, over the size matrix XNNPACK uses for its GEMM
/// tests: one tile, below and between tiles, several tiles, past the cache blocks, 1x1, k = 1.
///
/// Tolerance: the classic worst-case bound for a length-k dot product in Float,
/// |error| <= 2 k u sum_k |a_ik b_kj| (u = 2^-24), plus the rounding of the alpha/beta terms.
/// It is far above the observed error yet far below any mistake a wrong index would make.
final class GEMMTests: XCTestCase {
    struct Case {
        var m: Int, n: Int, k: Int
        var transposeA = false, transposeB = false
        var alpha: Float = 1, beta: Float = 0
        var extraLeading = 0   // lda/ldb/ldc larger than the minimum, to catch stride mix-ups
    }

    func check(_ c: Case, kernel: GEMMMicroKernel, scratch: GEMMScratch, seed: UInt64,
               file: StaticString = #filePath, line: UInt = #line) {
        var random = TestRandom(seed: seed)
        let aRows = c.transposeA ? c.k : c.m, aColumns = c.transposeA ? c.m : c.k
        let bRows = c.transposeB ? c.n : c.k, bColumns = c.transposeB ? c.k : c.n
        let lda = aColumns + c.extraLeading, ldb = bColumns + c.extraLeading
        let ldc = c.n + c.extraLeading
        let a = random.array(max(aRows * lda, 1)), b = random.array(max(bRows * ldb, 1))
        var output = random.array(max(c.m * ldc, 1))
        if c.beta == 0 { for i in output.indices where i % 3 == 0 { output[i] = .nan } }
        let original = output
        output.withUnsafeMutableBufferPointer { cBuffer in
            a.withUnsafeBufferPointer { aBuffer in
                b.withUnsafeBufferPointer { bBuffer in
                    gemm(transposeA: c.transposeA, transposeB: c.transposeB,
                         m: c.m, n: c.n, k: c.k, alpha: c.alpha,
                         a: aBuffer.baseAddress!, lda: lda, b: bBuffer.baseAddress!, ldb: ldb,
                         beta: c.beta, c: cBuffer.baseAddress!, ldc: ldc, scratch: scratch)
                }
            }
        }
        func opA(_ i: Int, _ p: Int) -> Double {
            Double(c.transposeA ? a[p * lda + i] : a[i * lda + p])
        }
        func opB(_ p: Int, _ j: Int) -> Double {
            Double(c.transposeB ? b[j * ldb + p] : b[p * ldb + j])
        }
        var worst = 0.0
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<c.k {
                    let product = opA(i, p) * opB(p, j)
                    sum += product
                    magnitude += abs(product)
                }
                let previous = c.beta == 0 ? 0 : Double(original[i * ldc + j])
                let expected = Double(c.alpha) * sum + Double(c.beta) * previous
                let bound = 2 * Double(c.k + 2) * floatUnitRoundoff
                    * (abs(Double(c.alpha)) * magnitude + abs(Double(c.beta) * previous)) + 1e-30
                let error = abs(Double(output[i * ldc + j]) - expected)
                if !(error <= bound) {
                    XCTFail("\(kernel) \(c): C[\(i),\(j)] = \(output[i * ldc + j]), expected "
                            + "\(expected) (bound \(bound))", file: file, line: line)
                    return
                }
                worst = max(worst, error)
            }
            // Padding columns between rows must be untouched.
            for j in c.n..<ldc where c.m > 0 {
                let index = i * ldc + j
                if !(output[index] == original[index] || (output[index].isNaN && original[index].isNaN)) {
                    XCTFail("\(kernel) \(c): wrote outside the matrix at [\(i),\(j)]", file: file, line: line)
                    return
                }
            }
        }
    }

    func testSizeMatrixBothKernelsAllTransposes() {
        for kernel in GEMMMicroKernel.allCases {
            let scratch = GEMMScratch(microKernel: kernel, narrowFallback: false)
            let mr = kernel.tileRows, nr = kernel.tileColumns
            let ms = [1, mr - 1, mr, mr + 1, 2 * mr + 3, kernel.rowBlock + 5]
            let ns = [1, nr - 1, nr, nr + 1, 2 * nr + 5]
            let ks = [1, 7, kernel.depthBlock, kernel.depthBlock + 45]
            var seed: UInt64 = 1
            for m in ms { for n in ns { for k in ks {
                for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                    seed += 1
                    check(Case(m: m, n: n, k: k, transposeA: ta, transposeB: tb),
                          kernel: kernel, scratch: scratch, seed: seed)
                }
            } } }
        }
    }

    func testAlphaBetaAndStrides() {
        for kernel in GEMMMicroKernel.allCases {
            let scratch = GEMMScratch(microKernel: kernel, narrowFallback: false)
            var seed: UInt64 = 900
            for (alpha, beta) in [(Float(1), Float(1)), (0.5, -2), (-1, 0), (2, 0.25)] {
                for (ta, tb) in [(false, false), (false, true), (true, false)] {
                    seed += 1
                    check(Case(m: 37, n: 41, k: 300, transposeA: ta, transposeB: tb,
                               alpha: alpha, beta: beta, extraLeading: 3),
                          kernel: kernel, scratch: scratch, seed: seed)
                }
            }
        }
    }

    func testVAEShapes() {
        for kernel in GEMMMicroKernel.allCases {
            let scratch = GEMMScratch(microKernel: kernel, narrowFallback: false)
            check(Case(m: 128, n: 400, k: 784), kernel: kernel, scratch: scratch, seed: 11)
            check(Case(m: 128, n: 784, k: 400), kernel: kernel, scratch: scratch, seed: 12)
            check(Case(m: 128, n: 784, k: 400, transposeB: true), kernel: kernel,
                  scratch: scratch, seed: 13)
            check(Case(m: 784, n: 400, k: 128, transposeA: true), kernel: kernel,
                  scratch: scratch, seed: 14)
            check(Case(m: 128, n: 20, k: 400), kernel: kernel, scratch: scratch, seed: 15)
        }
    }

    func testColumnBlockBoundary() {
        // n past the NC block (2048) exercises the outermost loop.
        for kernel in GEMMMicroKernel.allCases {
            check(Case(m: 3, n: kernel.columnBlock + 37, k: 5, transposeB: true), kernel: kernel,
                  scratch: GEMMScratch(microKernel: kernel, narrowFallback: false), seed: 21)
        }
    }

    func testDegenerateSizes() {
        let scratch = GEMMScratch()
        var c: [Float] = [3, 4, 5, 6]
        let a: [Float] = [1], b: [Float] = [1]
        // k == 0: C = beta * C.
        gemm(m: 2, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 0.5, c: &c, ldc: 2,
             scratch: scratch)
        XCTAssertEqual(c, [1.5, 2, 2.5, 3])
        gemm(m: 2, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 0, c: &c, ldc: 2,
             scratch: scratch)
        XCTAssertEqual(c, [0, 0, 0, 0])
        // m == 0 or n == 0: nothing written.
        c = [7, 7, 7, 7]
        gemm(m: 0, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2, scratch: scratch)
        gemm(m: 2, n: 0, k: 3, a: a, lda: 3, b: b, ldb: 0, c: &c, ldc: 0, scratch: scratch)
        XCTAssertEqual(c, [7, 7, 7, 7])
        // 1x1x1.
        var single: [Float] = [.nan]
        gemm(m: 1, n: 1, k: 1, alpha: 3, a: [2], lda: 1, b: [5], ldb: 1, c: &single, ldc: 1,
             scratch: scratch)
        XCTAssertEqual(single, [30])
    }
}
