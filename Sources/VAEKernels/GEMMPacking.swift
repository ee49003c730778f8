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
        if transposed {
            // op(A) column k is row k of the stored matrix: contiguous reads.
            for k in 0..<kc {
                let source = a + ((k0 &+ k) &* lda &+ row0 &+ panelStart)
                let out = destination + k &* panelRows
                for r in 0..<valid { out[r] = source[r] }
                for r in valid..<panelRows { out[r] = 0 }
            }
        } else {
            for r in 0..<valid {
                let source = a + ((row0 &+ panelStart &+ r) &* lda &+ k0)
                var out = destination + r
                for k in 0..<kc { out.pointee = source[k]; out += panelRows }
            }
            for r in valid..<panelRows {
                var out = destination + r
                for _ in 0..<kc { out.pointee = 0; out += panelRows }
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
            for j in 0..<valid {
                let source = b + ((column0 &+ panelStart &+ j) &* ldb &+ k0)
                var out = destination + j
                for k in 0..<kc { out.pointee = source[k]; out += panelColumns }
            }
            for j in valid..<panelColumns {
                var out = destination + j
                for _ in 0..<kc { out.pointee = 0; out += panelColumns }
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
