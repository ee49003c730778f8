import Foundation

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): float32, float64 and uint8, little-
/// or big-endian, C or Fortran order. A 1-D array becomes one column; more than two dimensions
/// are flattened after the first (`(n, 28, 28)` becomes `n x 784`, C order only).
public enum NPYReader {
    public static func read(_ path: String) throws(DataError) -> Matrix {
        let bytes = try readFileBytes(path)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataError(file: path, position: "byte 0", message: "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLengthSize: Int
        switch major {
        case 1: headerLengthSize = 2
        case 2, 3: headerLengthSize = 4
        default:
            throw DataError(file: path, position: "byte 6", message: "unsupported .npy version \(major).\(bytes[7]) (1.0, 2.0, 3.0 are)")
        }
        guard bytes.count >= 8 + headerLengthSize else {
            throw DataError(file: path, position: "byte 8", message: "truncated header length")
        }
        var headerLength = 0
        for i in (0..<headerLengthSize).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        let dataStart = 8 + headerLengthSize + headerLength
        guard bytes.count >= dataStart else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: the header is \(headerLength) bytes, the file ends first")
        }
        let header = String(decoding: bytes[(8 + headerLengthSize)..<dataStart], as: UTF8.self)
        let descr = try field(header, "descr", path: path)
        let fortran = try field(header, "fortran_order", path: path)
        let shapeText = try field(header, "shape", path: path)
        guard descr.count >= 3, descr.hasPrefix("'") || descr.hasPrefix("\"") else {
            throw DataError(file: path, message: "bad descr \(descr)")
        }
        let dtype = String(descr.dropFirst().dropLast())
        let order = dtype.first!
        let kind = String(dtype.dropFirst())
        let itemSize: Int
        switch kind {
        case "f4": itemSize = 4
        case "f8": itemSize = 8
        case "u1": itemSize = 1
        default:
            throw DataError(file: path, message: "the file holds dtype '\(dtype)'; SwiftVAE reads float32 ('<f4', '>f4'), float64 ('<f8', '>f8') and uint8 ('|u1')")
        }
        guard "<>|=".contains(order) else {
            throw DataError(file: path, message: "bad byte order in dtype '\(dtype)'")
        }
        let bigEndian = order == ">"
        let isFortran: Bool
        switch fortran {
        case "True": isFortran = true
        case "False": isFortran = false
        default: throw DataError(file: path, message: "bad fortran_order \(fortran)")
        }
        let inner = shapeText.trimmingPrefix("(").prefix { $0 != ")" }
        let dimensions = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var shape: [Int] = []
        for dimension in dimensions {
            guard let value = Int(dimension), value >= 0 else {
                throw DataError(file: path, message: "bad shape \(shapeText)")
            }
            shape.append(value)
        }
        guard !shape.isEmpty else {
            throw DataError(file: path, message: "the array is a scalar (shape ()); expected 1 or more dimensions")
        }
        let rows = shape[0]
        guard let columns = checkedProduct(Array(shape.dropFirst())),
              let total = checkedProduct([rows, columns, itemSize]), total <= bytes.count else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: shape \(shape) of \(dtype) needs more data than the \(bytes.count)-byte file holds")
        }
        if isFortran && shape.count > 2 {
            throw DataError(file: path, message: "Fortran-order arrays of \(shape.count) dimensions are not supported (1 or 2 are)")
        }
        let count = rows * columns
        guard bytes.count - dataStart >= count * itemSize else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: shape \(shape) of \(dtype) needs \(count * itemSize) data bytes, the file has \(bytes.count - dataStart)")
        }
        var matrix = Matrix(rows: rows, columns: columns)
        bytes.withUnsafeBufferPointer { raw in
            let data = UnsafeRawPointer(raw.baseAddress! + dataStart)
            matrix.scalars.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    // Fortran order stores column after column.
                    let source = isFortran ? (i % columns) * rows + i / columns : i
                    let value: Float
                    switch itemSize {
                    case 1: value = Float(data.load(fromByteOffset: source, as: UInt8.self))
                    case 4:
                        var bits = data.loadUnaligned(fromByteOffset: source * 4, as: UInt32.self)
                        bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                        value = Float(bitPattern: bits)
                    default:
                        var bits = data.loadUnaligned(fromByteOffset: source * 8, as: UInt64.self)
                        bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                        value = Float(Double(bitPattern: bits))
                    }
                    out[i] = value
                }
            }
        }
        return matrix
    }

    /// The text of `'key': value` in the header dictionary (up to the next top-level comma).
    static func field(_ header: String, _ key: String, path: String) throws(DataError) -> String {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else {
            throw DataError(file: path, message: "the header has no '\(key)'")
        }
        var rest = header[keyRange.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { throw DataError(file: path, message: "bad header near '\(key)'") }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0
        var value = ""
        for character in rest {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if (character == "," || character == "}") && depth == 0 { break }
            value.append(character)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }
}
