import Foundation

/// One tensor of a safetensors file: F32 values, or I64 (used for the trainer's row order).
public struct SafetensorsTensor: Equatable, Sendable {
    public enum Values: Equatable, Sendable {
        case float32([Float])
        case int64([Int64])
    }
    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], float32 values: [Float]) {
        self.shape = shape
        self.values = .float32(values)
    }

    public init(shape: [Int], int64 values: [Int64]) {
        self.shape = shape
        self.values = .int64(values)
    }

    var dtype: String {
        if case .float32 = values { return "F32" }
        return "I64"
    }

    var byteCount: Int {
        switch values {
        case let .float32(v): return v.count * 4
        case let .int64(v): return v.count * 8
        }
    }
}

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping each tensor name to `dtype`, `shape` and `data_offsets` (plus an optional
/// `__metadata__` map of strings), padded with spaces to a multiple of 8, then the raw
/// little-endian data, tensors back to back.
public enum Safetensors {
    /// The file's bytes for `tensors` (written in name order) and `metadata`.
    public static func encode(tensors: [String: SafetensorsTensor], metadata: [String: String])
        throws -> Data
    {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let tensor = tensors[name]!
            header[name] = ["dtype": tensor.dtype, "shape": tensor.shape,
                            "data_offsets": [offset, offset + tensor.byteCount]] as [String: Any]
            offset += tensor.byteCount
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var data = Data()
        data.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            switch tensors[name]!.values {
            case let .float32(values):
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            case let .int64(values):
                for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Parses and validates a whole file: header length within the file, well-formed JSON,
    /// F32/I64 dtypes, shapes matching the byte ranges, offsets in bounds and contiguous from 0
    /// to the end of the data. Errors name the file and the problem.
    public static func decode(_ bytes: [UInt8], file: String) throws(DataError)
        -> (tensors: [String: SafetensorsTensor], metadata: [String: String])
    {
        guard bytes.count >= 8 else {
            throw DataError(file: file, position: "byte 0", message: "truncated: \(bytes.count) bytes, no header length")
        }
        var headerLength = 0
        for i in (0..<8).reversed() { headerLength = headerLength << 8 | Int(bytes[i]) }
        guard headerLength > 0 && headerLength <= bytes.count - 8 && headerLength < 100_000_000 else {
            throw DataError(file: file, position: "byte 0",
                            message: "header length \(headerLength) does not fit the \(bytes.count)-byte file (truncated or not safetensors)")
        }
        let headerData = Data(bytes[8..<(8 + headerLength)])
        guard let object = try? JSONSerialization.jsonObject(with: headerData),
              let header = object as? [String: Any] else {
            throw DataError(file: file, position: "byte 8", message: "the header is not a well-formed JSON object")
        }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [String: SafetensorsTensor] = [:]
        var ranges: [(name: String, begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw DataError(file: file, message: "__metadata__ is not a map")
                }
                for (key, item) in map {
                    guard let text = item as? String else {
                        throw DataError(file: file, message: "__metadata__.\(key) is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (entry["shape"] as? [Any])?.count else {
                throw DataError(file: file, message: "tensor '\(name)' needs dtype, shape and data_offsets [begin, end]")
            }
            let itemSize: Int
            switch dtype {
            case "F32": itemSize = 4
            case "I64": itemSize = 8
            default:
                throw DataError(file: file, message: "tensor '\(name)' has dtype \(dtype); SwiftVAE reads F32 (and I64 for its own trainer state)")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] <= dataSize else {
                throw DataError(file: file, message: "tensor '\(name)': offsets \(offsets) outside the \(dataSize)-byte data")
            }
            guard let count = checkedProduct(shape), let bytesNeeded = checkedProduct([count, itemSize]),
                  bytesNeeded == offsets[1] - offsets[0] else {
                throw DataError(file: file, message: "tensor '\(name)': shape \(shape) of \(dtype) does not match data_offsets \(offsets)")
            }
            guard count * itemSize == offsets[1] - offsets[0] else {
                throw DataError(file: file, message: "tensor '\(name)': shape \(shape) of \(dtype) needs \(count * itemSize) bytes, data_offsets give \(offsets[1] - offsets[0])")
            }
            ranges.append((name, offsets[0], offsets[1]))
            let base = dataStart + offsets[0]
            let tensor: SafetensorsTensor = bytes.withUnsafeBytes { raw in
                if itemSize == 4 {
                    return SafetensorsTensor(shape: shape, float32: (0..<count).map {
                        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * $0, as: UInt32.self)))
                    })
                }
                return SafetensorsTensor(shape: shape, int64: (0..<count).map {
                    Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * $0, as: Int64.self))
                })
            }
            tensors[name] = tensor
        }
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expected = 0
        for range in ranges {
            guard range.begin == expected else {
                throw DataError(file: file, message: "tensor '\(range.name)' starts at byte \(range.begin) of the data, expected \(expected): the data is not contiguous")
            }
            expected = range.end
        }
        guard expected == dataSize else {
            throw DataError(file: file, message: "the tensors cover \(expected) of \(dataSize) data bytes (truncated or trailing bytes)")
        }
        return (tensors, metadata)
    }
}
