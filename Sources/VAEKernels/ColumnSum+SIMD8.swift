// Column sums: the bias gradient db = 1^T dY, summed over the batch.

/// `sums[j] = sum over r of matrix[r, j]` for a `rows x columns` row-major matrix (row stride
/// `columns`), overwriting `sums` (`columns` floats, must not overlap `matrix`).
///
/// Rows are added in order 0, 1, 2, ..., so the result depends only on the data. The running
/// sums (one row, at most a few KiB) stay in L1. Cost: one read of the matrix.
public func columnSums(
    _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, sums: UnsafeMutablePointer<Float>
) {
    precondition(rows >= 0 && columns >= 0, "columnSums: negative shape \(rows)x\(columns)")
    sums.update(repeating: 0, count: columns)
    let fullColumns = columns & ~7
    let remaining = columns &- fullColumns
    for row in 0..<rows {
        let rowStart = matrix + row &* columns
        var column = 0
        while column < fullColumns {
            storeVector(loadVector(sums + column) + loadVector(rowStart + column), to: sums + column)
            column &+= 8
        }
        if remaining > 0 {
            storePartial(loadPartial(sums + column, count: remaining)
                            + loadPartial(rowStart + column, count: remaining),
                         to: sums + column, count: remaining)
        }
    }
}
