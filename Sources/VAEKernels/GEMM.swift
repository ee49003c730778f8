import CVAEFeatures

/// The register-blocked micro-kernel a GEMM runs, with the cache blocking chosen for it.
///
/// `native` is picked at build time: `.simd16` where the target has 512-bit vectors (AVX-512),
/// `.simd8` otherwise. Both are always available and always tested.
public enum GEMMMicroKernel: String, CaseIterable, Sendable {
    /// 6x16 tile of `SIMD8<Float>` accumulators (AVX2/NEON-sized).
    case simd8
    /// 12x32 tile of `SIMD16<Float>` accumulators (AVX-512-sized).
    case simd16

    /// The variant the build target runs fastest.
    public static var native: GEMMMicroKernel {
        SWIFTVAE_HAS_512BIT_VECTORS != 0 ? .simd16 : .simd8
    }

    /// Rows of `C` per micro-tile (MR).
    public var tileRows: Int { self == .simd8 ? 6 : 12 }
    /// Columns of `C` per micro-tile (NR).
    public var tileColumns: Int { self == .simd8 ? 16 : 32 }
    /// Depth of one packed block (KC): a B micro-panel of `depthBlock * tileColumns` floats
    /// (16 KiB for SIMD8, 32 KiB for SIMD16) stays in L1/L2 while A panels stream past it.
    public var depthBlock: Int { 256 }
    /// Most rows of op(A) packed at once (MC, a multiple of `tileRows`): a 192x256 A block is
    /// 192 KiB, well inside a 1-2 MiB L2, and a batch of 128 or 192 rows needs one block.
    public var rowBlock: Int { 192 }
    /// Most columns of op(B) packed at once (NC, a multiple of `tileColumns`): 256x2048 floats
    /// is 2 MiB, resident in L2/L3 across all row blocks.
    public var columnBlock: Int { 2048 }
}

/// Packing space for `gemm`, allocated once and reused by every call (GEMM itself allocates
/// nothing). One scratch serves one thread at a time.
public final class GEMMScratch: @unchecked Sendable {
    /// The micro-kernel `gemm` calls with this scratch use.
    public let microKernel: GEMMMicroKernel
    /// When true, a SIMD16 scratch runs products narrower than its tile (n < 32 or m < 12)
    /// with the 6x16 SIMD8 kernel, which wastes less of each tile on padding. Both kernels
    /// perform the same operations per element, so the result is bit-identical either way.
    public let narrowFallback: Bool
    let packedA: AlignedBuffer
    let packedB: AlignedBuffer
    let edgeTile: AlignedBuffer

    /// Allocates packing buffers (MC x KC for A, KC x NC for B, about 2.2 MiB) that fit either
    /// micro-kernel.
    public init(microKernel: GEMMMicroKernel = .native, narrowFallback: Bool = true) {
        self.microKernel = microKernel
        self.narrowFallback = narrowFallback
        let depth = microKernel.depthBlock
        packedA = AlignedBuffer(count: microKernel.rowBlock * depth)
        packedB = AlignedBuffer(count: depth * microKernel.columnBlock)
        edgeTile = AlignedBuffer(count: 12 * 32)
    }

    /// The kernel an `m x n` product runs with this scratch.
    @inline(__always)
    func kernel(m: Int, n: Int) -> GEMMMicroKernel {
        if microKernel == .simd16 && narrowFallback && (n < 32 || m < 12) { return .simd8 }
        return microKernel
    }
}

/// General matrix multiply, row-major: `C = alpha * op(A) * op(B) + beta * C`.
///
/// - `op(A)` is `m x k`: `A` is stored `m x k` (row stride `lda >= k`), or `k x m`
///   (`lda >= m`) when `transposeA`. Likewise `op(B)` is `k x n`: `B` stored `k x n`
///   (`ldb >= n`) or `n x k` (`ldb >= k`) when `transposeB`. `C` is `m x n`, `ldc >= n`.
/// - The three cases backprop needs: NN (forward `Y = X W`), NT (`dX = dY W^T`) and
///   TN (`dW = X^T dY`). TT works too.
/// - `beta == 0` overwrites `C` without reading it (NaN in `C` does not leak into the result).
///   `k == 0` gives `C = beta * C`. `m == 0` or `n == 0` does nothing.
/// - `C` must not overlap `A` or `B`.
/// - Blocking: loops over NC column blocks, KC depth blocks (packing op(B) once per block) and MC
///   row blocks (packing op(A)), then MR x NR micro-tiles; partial tiles at the right and bottom
///   edges are computed into a scratch tile and copied, so any `m`, `n`, `k` is exact.
/// - Cost: `2 * m * n * k` flops; allocates nothing.
public func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    scratch: GEMMScratch
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= (transposeA ? m : k) && ldb >= (transposeB ? k : n) && ldc >= n,
                 "gemm: leading dimension too small (lda=\(lda) ldb=\(ldb) ldc=\(ldc))")
    if m == 0 || n == 0 { return }
    if k == 0 {
        scaleRows(c, rows: m, columns: n, ldc: ldc, beta: beta)
        return
    }
    switch scratch.kernel(m: m, n: n) {
    case .simd8:
        blockedGEMM6x16(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                        scratch)
    case .simd16:
        blockedGEMM12x32(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                         scratch)
    }
}

// Two thin wrappers so each micro-kernel is inlined into its own copy of the blocking loops.
private func blockedGEMM6x16(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ scratch: GEMMScratch
) {
    blockedGEMM(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch,
                .simd8, gemmMicroKernel6x16SIMD8)
}

private func blockedGEMM12x32(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ scratch: GEMMScratch
) {
    blockedGEMM(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch,
                .simd16, gemmMicroKernel12x32SIMD16)
}

@inline(__always)
private func blockedGEMM(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ scratch: GEMMScratch,
    _ kernel: GEMMMicroKernel,
    _ microKernel: (Int, UnsafePointer<Float>, Int, Int, UnsafePointer<Float>, Int,
                    UnsafeMutablePointer<Float>, Int, Float, Float) -> Void
) {
    let tileRows = kernel.tileRows, tileColumns = kernel.tileColumns
    let depthBlock = kernel.depthBlock, rowBlock = kernel.rowBlock
    let columnBlock = kernel.columnBlock
    let packedA = scratch.packedA.baseAddress
    let packedB = scratch.packedB.baseAddress
    let edgeTile = scratch.edgeTile.baseAddress
    // op(A) is read in place, without packing, where the micro-kernel streams it well (measured
    // with vae-bench): row-major A (NN, NT) by the 6-row kernel, A^T (TN) by the 12-row kernel
    // (a panel column is 48 contiguous bytes per depth step; 85 -> 89 % of peak). The other two
    // pack: SIMD16's 12 row streams made LLVM spill accumulators (55 % vs 85 % of peak), and the
    // 6-row kernel's 24-byte TN rows used cache lines poorly (96 -> 80 GFLOP/s).
    let readADirectly = transposeA ? tileRows > 8 : tileRows <= 8
    // Row-major op(B) (NN, TN) is read in place when C has few rows: packing B costs about
    // 4 / m of the multiply (each packed element serves m / MR tiles), a large share for the
    // 32-64-row products of small models (tiny +18 %, digits +20 % per training step). The
    // 12x32 kernel (packed A) gains up to 256 rows (NN 128x784x400: 86 -> 95 % of peak); the 6x16
    // kernel, already streaming A in place, loses beyond 64 rows (88 -> 81 %). Partial
    // (right-edge) panels are always packed, zero-padded.
    let readBDirectly = !transposeB && m <= (tileRows > 8 ? 256 : 64)

    var column0 = 0
    while column0 < n {
        let columns = min(columnBlock, n &- column0)
        var k0 = 0
        while k0 < k {
            let kc = min(depthBlock, k &- k0)
            // The first depth block applies the caller's beta; later ones accumulate.
            let blockBeta: Float = k0 == 0 ? beta : 1
            let fullColumnPanels = columns / tileColumns
            if readBDirectly {
                if fullColumnPanels &* tileColumns < columns {
                    packPanelsOfB(b, ldb: ldb, transposed: false, k0: k0, kc: kc,
                                  column0: column0 &+ fullColumnPanels &* tileColumns,
                                  columns: columns &- fullColumnPanels &* tileColumns,
                                  panelColumns: tileColumns, into: packedB)
                }
            } else {
                packPanelsOfB(b, ldb: ldb, transposed: transposeB, k0: k0, kc: kc,
                              column0: column0, columns: columns, panelColumns: tileColumns,
                              into: packedB)
            }
            var row0 = 0
            while row0 < m {
                let rows = min(rowBlock, m &- row0)
                // Row-major op(A) (NN, NT) read in place: one broadcast stream per row, no
                // packing. Only a partial last panel is packed, zero-padded.
                let fullPanels = rows / tileRows
                if readADirectly {
                    if fullPanels &* tileRows < rows {
                        packPanelsOfA(a, lda: lda, transposed: transposeA,
                                      row0: row0 &+ fullPanels &* tileRows,
                                      rows: rows &- fullPanels &* tileRows, k0: k0, kc: kc,
                                      panelRows: tileRows, into: packedA)
                    }
                } else {
                    packPanelsOfA(a, lda: lda, transposed: transposeA, row0: row0, rows: rows,
                                  k0: k0, kc: kc, panelRows: tileRows, into: packedA)
                }
                var tileColumn = 0
                while tileColumn < columns {
                    let validColumns = min(tileColumns, columns &- tileColumn)
                    let directB = readBDirectly && validColumns == tileColumns
                    let panelB = directB
                        ? b + (k0 &* ldb &+ column0 &+ tileColumn)
                        : UnsafePointer(packedB + (readBDirectly ? 0 : (tileColumn / tileColumns) &* kc &* tileColumns))
                    let bStride = directB ? ldb : tileColumns
                    var tileRow = 0
                    while tileRow < rows {
                        let validRows = min(tileRows, rows &- tileRow)
                        let cTile = c + ((row0 &+ tileRow) &* ldc &+ column0 &+ tileColumn)
                        let fullTile = validRows == tileRows && validColumns == tileColumns
                        let target = fullTile ? cTile : edgeTile
                        let targetStride = fullTile ? ldc : tileColumns
                        let targetBeta = fullTile ? blockBeta : 0
                        if readADirectly && validRows == tileRows && transposeA {
                            let panelA = a + (k0 &* lda &+ row0 &+ tileRow)
                            microKernel(kc, panelA, 1, lda, panelB, bStride, target, targetStride, alpha,
                                        targetBeta)
                        } else if readADirectly && validRows == tileRows {
                            let panelA = a + ((row0 &+ tileRow) &* lda &+ k0)
                            microKernel(kc, panelA, lda, 1, panelB, bStride, target, targetStride, alpha,
                                        targetBeta)
                        } else {
                            let panelIndex = readADirectly ? 0 : tileRow / tileRows
                            let panelA = UnsafePointer(packedA + panelIndex &* kc &* tileRows)
                            microKernel(kc, panelA, 1, tileRows, panelB, bStride, target, targetStride,
                                        alpha, targetBeta)
                        }
                        if !fullTile {
                            mergeEdgeTile(edgeTile, tileColumns: tileColumns, into: cTile,
                                          ldc: ldc, rows: validRows, columns: validColumns,
                                          beta: blockBeta)
                        }
                        tileRow &+= tileRows
                    }
                    tileColumn &+= tileColumns
                }
                row0 &+= rows
            }
            k0 &+= kc
        }
        column0 &+= columns
    }
}

/// `C[r, j] = fma(C[r, j], beta, tile[r, j])` for the valid part of an edge tile.
@inline(__always)
private func mergeEdgeTile(
    _ tile: UnsafeMutablePointer<Float>, tileColumns: Int, into c: UnsafeMutablePointer<Float>,
    ldc: Int, rows: Int, columns: Int, beta: Float
) {
    for r in 0..<rows {
        let source = tile + r &* tileColumns
        let destination = c + r &* ldc
        if beta == 0 {
            for j in 0..<columns { destination[j] = source[j] }
        } else {
            // Fused like the full-tile store (alpha acc + beta C in one rounding), so an element's
            // value never depends on whether it fell in an edge tile: splitting C between
            // threads cannot change a result.
            for j in 0..<columns { destination[j] = source[j].addingProduct(destination[j], beta) }
        }
    }
}

/// `C = beta * C` (with `beta == 0` writing zeros), the whole result when `k == 0`.
private func scaleRows(
    _ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, beta: Float
) {
    for r in 0..<rows {
        let row = c + r &* ldc
        if beta == 0 {
            row.update(repeating: 0, count: columns)
        } else {
            for j in 0..<columns { row[j] *= beta }
        }
    }
}
