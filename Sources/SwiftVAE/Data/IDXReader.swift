/// Reads the IDX format of the MNIST files: a big-endian header (magic `0x00000803` for images,
/// `0x00000801` for labels, then one 32-bit size per dimension) followed by unsigned bytes.
public enum IDXReader {
    /// Images: `count x (rows * columns)`, grey levels 0...255 as Float (unscaled).
    public static func readImages(_ path: String) throws(DataError) -> Matrix {
        let bytes = try readFileBytes(path)
        let dimensions = try header(bytes, path: path, magic: 0x0000_0803, dimensionCount: 3)
        let count = dimensions[0], width = dimensions[1] * dimensions[2]
        guard let total = checkedProduct([count, width]), total <= bytes.count else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: the header promises \(count) images of \(dimensions[1])x\(dimensions[2]), more than the \(bytes.count)-byte file holds")
        }
        let expected = 16 + total
        guard bytes.count >= expected else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: the header promises \(count) images of \(dimensions[1])x\(dimensions[2]) (\(expected) bytes), the file has \(bytes.count)")
        }
        var matrix = Matrix(rows: count, columns: width)
        matrix.scalars.withUnsafeMutableBufferPointer { out in
            for i in 0..<(count * width) { out[i] = Float(bytes[16 + i]) }
        }
        return matrix
    }

    /// Labels: one integer per item.
    public static func readLabels(_ path: String) throws(DataError) -> [Int] {
        let bytes = try readFileBytes(path)
        let count = try header(bytes, path: path, magic: 0x0000_0801, dimensionCount: 1)[0]
        guard bytes.count >= 8 + count else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated: the header promises \(count) labels, the file has \(bytes.count - 8)")
        }
        return bytes[8..<(8 + count)].map(Int.init)
    }

    static func header(_ bytes: [UInt8], path: String, magic: UInt32, dimensionCount: Int)
        throws(DataError) -> [Int]
    {
        let headerSize = 4 + 4 * dimensionCount
        guard bytes.count >= headerSize else {
            throw DataError(file: path, position: "byte \(bytes.count)",
                            message: "truncated IDX header (\(bytes.count) of \(headerSize) bytes)")
        }
        func word(_ offset: Int) -> UInt32 {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let found = word(0)
        guard found == magic else {
            let kind = magic == 0x0000_0803 ? "images" : "labels"
            throw DataError(file: path, position: "byte 0",
                            message: "not an IDX \(kind) file: magic 0x\(String(found, radix: 16, uppercase: true)), expected 0x\(String(magic, radix: 16, uppercase: true))")
        }
        let dimensions = (0..<dimensionCount).map { Int(word(4 + 4 * $0)) }
        if let bad = dimensions.firstIndex(where: { $0 == 0 || $0 > 1 << 28 }) {
            throw DataError(file: path, position: "byte \(4 + 4 * bad)",
                            message: "dimension \(bad) is \(dimensions[bad])")
        }
        return dimensions
    }
}
