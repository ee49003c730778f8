/// GEMM over a worker pool: the output is split into contiguous column blocks (or row blocks when
/// it is too narrow), one per thread, each with its own packing scratch.
///
/// Determinism: every element of C is computed by exactly the same operations in the same order
/// whatever the split (the depth blocking is fixed and edge tiles round like full tiles), so the
/// result is bit-identical for any thread count. Allocates nothing per call.
public final class ParallelGEMM: @unchecked Sendable {
    /// The pool the work is split over.
    public let pool: WorkerPool
    /// Products below this many flops (2 m n k) run on the calling thread alone: splitting costs
    /// a few microseconds of handoff, more than it saves on small problems (see Kernels.md).
    public var parallelThreshold: Double = 4e6
    let scratches: [GEMMScratch]
    private var arguments = Arguments()

    struct Arguments {
        var transposeA = false, transposeB = false
        var m = 0, n = 0, k = 0
        var alpha: Float = 1, beta: Float = 0
        var a: UnsafePointer<Float>?, lda = 0
        var b: UnsafePointer<Float>?, ldb = 0
        var c: UnsafeMutablePointer<Float>?, ldc = 0
        var splitColumns = true
        var chunk = 0
    }

    /// A pool of `threadCount` threads and one scratch per thread.
    public init(threadCount: Int, microKernel: GEMMMicroKernel = .native) {
        pool = WorkerPool(threadCount: threadCount)
        scratches = (0..<threadCount).map { _ in GEMMScratch(microKernel: microKernel) }
    }

    /// Threads taking part (the caller's included).
    public var threadCount: Int { pool.threadCount }

    /// The micro-kernel every part uses.
    public var microKernel: GEMMMicroKernel { scratches[0].microKernel }

    /// `C = alpha * op(A) * op(B) + beta * C`, exactly as `gemm(...)`, split over the pool.
    public func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let threads = pool.threadCount
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let kernel = scratches[0].microKernel
        let canSplitColumns = n >= 2 * kernel.tileColumns
        let canSplitRows = m >= 2 * kernel.tileRows
        if threads == 1 || flops < parallelThreshold || !(canSplitColumns || canSplitRows) {
            VAEKernels.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                            alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c,
                            ldc: ldc, scratch: scratches[0])
            return
        }
        // Prefer columns (B panels are then packed once per thread, not once per thread per
        // row block), in whole tiles so no thread gets a sliver.
        let splitColumns = canSplitColumns && n >= m / 2 || !canSplitRows
        let extent = splitColumns ? n : m
        let tile = splitColumns ? kernel.tileColumns : kernel.tileRows
        let tilesPerPart = (extent + tile * threads - 1) / (tile * threads)
        arguments = Arguments(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
            beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
            splitColumns: splitColumns, chunk: tilesPerPart * tile)
        pool.run((perform: { part, context in
            Unmanaged<ParallelGEMM>.fromOpaque(context).takeUnretainedValue().runPart(part)
        }, context: Unmanaged.passUnretained(self).toOpaque()))
    }

    private func runPart(_ part: Int) {
        let g = arguments
        let start = part * g.chunk
        let scratch = scratches[part]
        if g.splitColumns {
            guard start < g.n else { return }
            let columns = min(g.chunk, g.n - start)
            let b = g.transposeB ? g.b! + start * g.ldb : g.b! + start
            VAEKernels.gemm(transposeA: g.transposeA, transposeB: g.transposeB, m: g.m,
                            n: columns, k: g.k, alpha: g.alpha, a: g.a!, lda: g.lda, b: b,
                            ldb: g.ldb, beta: g.beta, c: g.c! + start, ldc: g.ldc,
                            scratch: scratch)
        } else {
            guard start < g.m else { return }
            let rows = min(g.chunk, g.m - start)
            let a = g.transposeA ? g.a! + start : g.a! + start * g.lda
            VAEKernels.gemm(transposeA: g.transposeA, transposeB: g.transposeB, m: rows,
                            n: g.n, k: g.k, alpha: g.alpha, a: a, lda: g.lda, b: g.b!,
                            ldb: g.ldb, beta: g.beta, c: g.c! + start * g.ldc, ldc: g.ldc,
                            scratch: scratch)
        }
    }
}
