// Packing copies a block of op(A) or op(B) into the contiguous, zero-padded micro-panel layout the
// micro-kernels stream through. The transposes live here, so one micro-kernel serves NN, NT and TN.

/// Packs rows `[row0, row0 + rows)` and depth `[k0, k0 + kc)` of `op(A)` into micro-panels of
/// `panelRows` rows: panel `p` holds `kc` groups of `panelRows` floats; rows past the end are 0.
///
/// `op(A)[i, k]` is `a[i * lda + k]`, or `a[k * lda + i]` when `transposed`.
@inline(__always)
func packPanelsOfA(
    _ a: UnsafePointer<Float>, lda: Int, transposed: Bool,
    row0: Int, rows: Int, k0: Int, kc: Int, panelRows: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    var destination = packed
    var panelStart = 0
    while panelStart < rows {
        let valid = min(panelRows, rows &- panelStart)
        if transposed && valid == 6 && panelRows == 6 {
            // The 6-row kernel's full TN panels: one 4-wide and one 2-wide copy per depth step
            // (the generic loop below spent more time on loop overhead than on copying).
            var source = a + ((k0 &* lda) &+ row0 &+ panelStart)
            var out = destination
            for _ in 0..<kc {
                UnsafeMutableRawPointer(out).storeBytes(
                    of: UnsafeRawPointer(source).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                out[4] = source[4]
                out[5] = source[5]
                source += lda
                out += 6
            }
        } else if transposed {
            // op(A) column k is row k of the stored matrix: contiguous reads.
            for k in 0..<kc {
                let source = a + ((k0 &+ k) &* lda &+ row0 &+ panelStart)
                let out = destination + k &* panelRows
                for r in 0..<valid { out[r] = source[r] }
                for r in valid..<panelRows { out[r] = 0 }
            }
        } else if valid == 12 && panelRows == 12 {
            // A full 12-row panel of row-major A: 8x8 and 4x8 register transposes (an element
            // copy becomes vscatterdps, slow on x86).
            let panel = a + ((row0 &+ panelStart) &* lda &+ k0)
            let kc8 = kc & ~7
            var k = 0
            while k < kc8 {
                transpose8x8(from: panel + k, sourceStride: lda,
                             to: destination + k &* 12, destinationStride: 12)
                transpose4x8(from: panel + (8 &* lda &+ k), sourceStride: lda,
                             to: destination + (k &* 12 &+ 8), destinationStride: 12)
                k &+= 8
            }
            while k < kc {
                for r in 0..<12 { destination[k &* 12 &+ r] = panel[r &* lda &+ k] }
                k &+= 1
            }
        } else {
            for k in 0..<kc {
                let out = destination + k &* panelRows
                for r in 0..<valid { out[r] = a[(row0 &+ panelStart &+ r) &* lda &+ k0 &+ k] }
                for r in valid..<panelRows { out[r] = 0 }
            }
        }
        destination += kc &* panelRows
        panelStart &+= panelRows
    }
}

/// Packs depth `[k0, k0 + kc)` and columns `[column0, column0 + columns)` of `op(B)` into
/// micro-panels of `panelColumns` columns: panel `p` holds `kc` groups of `panelColumns` floats;
/// columns past the end are 0.
///
/// `op(B)[k, j]` is `b[k * ldb + j]`, or `b[j * ldb + k]` when `transposed`.
@inline(__always)
func packPanelsOfB(
    _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool,
    k0: Int, kc: Int, column0: Int, columns: Int, panelColumns: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    var destination = packed
    var panelStart = 0
    while panelStart < columns {
        let valid = min(panelColumns, columns &- panelStart)
        if transposed {
            // op(B) rows are stored B columns: transpose 8x8 blocks in registers (contiguous
            // 32-byte reads and writes). An element-by-element copy vectorizes into vscatterdps
            // or vgatherdps, both slow on x86 (measured: 10 % of an NT GEMM's time).
            let columnStart = b + ((column0 &+ panelStart) &* ldb &+ k0)
            let fullBlocks = valid == panelColumns ? panelColumns / 8 : 0
            let kc8 = kc & ~7
            for block in 0..<fullBlocks {
                let rows = columnStart + block &* 8 &* ldb
                var k = 0
                while k < kc8 {
                    transpose8x8(from: rows + k, sourceStride: ldb,
                                 to: destination + (k &* panelColumns &+ block &* 8),
                                 destinationStride: panelColumns)
                    k &+= 8
                }
            }
            // The rest (a partial panel, or the last kc mod 8 depths) element by element.
            for k in 0..<kc where fullBlocks == 0 || k >= kc8 {
                let out = destination + k &* panelColumns
                for j in 0..<valid { out[j] = columnStart[j &* ldb &+ k] }
                for j in valid..<panelColumns { out[j] = 0 }
            }
        } else {
            for k in 0..<kc {
                let source = b + ((k0 &+ k) &* ldb &+ column0 &+ panelStart)
                let out = destination + k &* panelColumns
                if valid == panelColumns {
                    out.update(from: source, count: panelColumns)
                } else {
                    for j in 0..<valid { out[j] = source[j] }
                    for j in valid..<panelColumns { out[j] = 0 }
                }
            }
        }
        destination += kc &* panelColumns
        panelStart &+= panelColumns
    }
}

/// `destination[t * destinationStride + q] = source[q * sourceStride + t]` for q, t in 0..<8.
@inline(__always)
private func transpose8x8(
    from source: UnsafePointer<Float>, sourceStride: Int,
    to destination: UnsafeMutablePointer<Float>, destinationStride: Int
) {
    let r0 = loadVector(source), r1 = loadVector(source + sourceStride)
    let r2 = loadVector(source + 2 &* sourceStride), r3 = loadVector(source + 3 &* sourceStride)
    let r4 = loadVector(source + 4 &* sourceStride), r5 = loadVector(source + 5 &* sourceStride)
    let r6 = loadVector(source + 6 &* sourceStride), r7 = loadVector(source + 7 &* sourceStride)
    // Constant lane indices: LLVM turns these into a shuffle network (unpack + permute).
    storeVector(SIMD8(r0[0], r1[0], r2[0], r3[0], r4[0], r5[0], r6[0], r7[0]), to: destination)
    storeVector(SIMD8(r0[1], r1[1], r2[1], r3[1], r4[1], r5[1], r6[1], r7[1]),
                to: destination + destinationStride)
    storeVector(SIMD8(r0[2], r1[2], r2[2], r3[2], r4[2], r5[2], r6[2], r7[2]),
                to: destination + 2 &* destinationStride)
    storeVector(SIMD8(r0[3], r1[3], r2[3], r3[3], r4[3], r5[3], r6[3], r7[3]),
                to: destination + 3 &* destinationStride)
    storeVector(SIMD8(r0[4], r1[4], r2[4], r3[4], r4[4], r5[4], r6[4], r7[4]),
                to: destination + 4 &* destinationStride)
    storeVector(SIMD8(r0[5], r1[5], r2[5], r3[5], r4[5], r5[5], r6[5], r7[5]),
                to: destination + 5 &* destinationStride)
    storeVector(SIMD8(r0[6], r1[6], r2[6], r3[6], r4[6], r5[6], r6[6], r7[6]),
                to: destination + 6 &* destinationStride)
    storeVector(SIMD8(r0[7], r1[7], r2[7], r3[7], r4[7], r5[7], r6[7], r7[7]),
                to: destination + 7 &* destinationStride)
}

/// `destination[t * destinationStride + q] = source[q * sourceStride + t]` for q < 4, t < 8.
@inline(__always)
private func transpose4x8(
    from source: UnsafePointer<Float>, sourceStride: Int,
    to destination: UnsafeMutablePointer<Float>, destinationStride: Int
) {
    let r0 = loadVector(source), r1 = loadVector(source + sourceStride)
    let r2 = loadVector(source + 2 &* sourceStride), r3 = loadVector(source + 3 &* sourceStride)
    for t in 0..<8 {
        UnsafeMutableRawPointer(destination + t &* destinationStride).storeBytes(
            of: SIMD4(r0[t], r1[t], r2[t], r3[t]), as: SIMD4<Float>.self)
    }
}
