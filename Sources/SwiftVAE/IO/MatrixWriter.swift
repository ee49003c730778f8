import Foundation

/// Writes a matrix as `.npy` (format 1.0, little-endian float32, C order) or CSV (a header row
/// of column names, values with 9 significant digits, so Float round-trips), chosen by the
/// file extension, atomically.
public enum MatrixWriter {
    public static func write(_ matrix: Matrix, columnNames: [String], to url: URL) throws {
        let data = url.pathExtension.lowercased() == "npy"
            ? npy(matrix) : Data(csv(matrix, columnNames: columnNames).utf8)
        try AtomicFile.write(data, to: url)
    }

    /// The `.npy` bytes of `matrix`.
    public static func npy(_ matrix: Matrix) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(matrix.rows), \(matrix.columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for value in matrix.scalars {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// CSV text of `matrix` with a header row.
    public static func csv(_ matrix: Matrix, columnNames: [String]) -> String {
        var lines = [columnNames.joined(separator: ",")]
        lines.reserveCapacity(matrix.rows + 1)
        for r in 0..<matrix.rows {
            lines.append((0..<matrix.columns).map {
                String(format: "%.9g", Double(matrix.scalars[r * matrix.columns + $0]))
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
