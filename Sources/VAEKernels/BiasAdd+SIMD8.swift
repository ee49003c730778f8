// Adds a bias row to every row of a matrix, optionally followed by ReLU in the same pass (the
// layer epilogue: one read and one write of the activations instead of two).

/// `matrix[r, j] += bias[j]`, and with `applyReLU` then `matrix[r, j] = max(matrix[r, j], 0)`.
///
/// - `matrix`: `rows x columns`, row-major, row stride `columns`; updated in place.
/// - `bias`: `columns` floats.
/// - ReLU keeps NaN (a NaN pre-activation stays NaN, so a diverging model is visible).
/// Cost: one read and one write of the matrix.
public func addBias(
    _ bias: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, applyReLU: Bool = false
) {
    precondition(rows >= 0 && columns >= 0, "addBias: negative shape \(rows)x\(columns)")
    let fullColumns = columns & ~7
    let remaining = columns &- fullColumns
    // The lower bound: -inf is a no-op "max", so one loop serves both variants branch-free.
    let floor: Float = applyReLU ? 0 : -.infinity
    for row in 0..<rows {
        let rowStart = matrix + row &* columns
        var column = 0
        while column < fullColumns {
            let value = loadVector(rowStart + column) + loadVector(bias + column)
            storeVector(value.replacing(with: floor, where: value .< floor), to: rowStart + column)
            column &+= 8
        }
        if remaining > 0 {
            let value = loadPartial(rowStart + column, count: remaining)
                + loadPartial(bias + column, count: remaining)
            storePartial(value.replacing(with: floor, where: value .< floor),
                         to: rowStart + column, count: remaining)
        }
    }
}
