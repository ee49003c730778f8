/// A dense row-major matrix of `Float`s: the value type of the public API.
///
/// Element `(r, c)` is `scalars[r * columns + c]`. Copy-on-write like any Array.
public struct Matrix: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements, row after row; `count == rows * columns`.
    public var scalars: [Float]

    /// A `rows x columns` matrix filled with `value`. Sizes must be non-negative.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)x\(columns)")
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        precondition(!overflow, "Matrix: \(rows)x\(columns) overflows Int")
        self.rows = rows
        self.columns = columns
        scalars = [Float](repeating: value, count: count)
    }

    /// A `rows x columns` matrix over `scalars` (row-major, `scalars.count == rows * columns`).
    public init(rows: Int, columns: Int, scalars: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)x\(columns)")
        precondition(scalars.count == rows * columns,
                     "Matrix: \(scalars.count) scalars for a \(rows)x\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// Element access; traps on an index outside the matrix.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) outside \(rows)x\(columns)")
            return scalars[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix: index (\(row), \(column)) outside \(rows)x\(columns)")
            scalars[row * columns + column] = newValue
        }
    }

    /// The shape as text, for error messages: "128x784".
    var shapeDescription: String { "\(rows)x\(columns)" }
}
