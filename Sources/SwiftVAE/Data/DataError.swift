#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file SwiftVAE cannot use, with the file and where in it.
public struct DataError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    /// "row 12, column 3", "byte 16", or nil when the problem is the whole file.
    public var position: String?
    public var message: String

    public init(file: String, position: String? = nil, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String {
        [file, position, message].compactMap { $0 }.joined(separator: ": ")
    }
}

/// Reads a whole file's bytes, with a `DataError` for a missing or unreadable file.
func readFileBytes(_ path: String) throws(DataError) -> [UInt8] {
    guard let handle = fopen(path, "rb") else {
        throw DataError(file: path, message: errno == ENOENT ? "no such file" : "cannot open the file")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        if read > 0 { bytes.append(contentsOf: chunk[0..<read]) }
        if read < chunk.count {
            if ferror(handle) != 0 { throw DataError(file: path, message: "read error") }
            break
        }
    }
    return bytes
}

/// The product of `factors`, or nil if it overflows `Int` (sizes read from a file header can be
/// anything).
func checkedProduct(_ factors: [Int]) -> Int? {
    var product = 1
    for factor in factors {
        let (result, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        product = result
    }
    return product
}
