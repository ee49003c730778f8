import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads numeric CSV into a Matrix, straight from the file's bytes: cells are parsed in place with
/// `strtod`, so no String is made per cell and memory stays close to the resulting matrix.
public enum CSVReader {
    /// Whether the first row holds column names.
    public enum Header: String, Sendable, CaseIterable {
        /// A header exactly when some cell of the first row is not a number.
        case auto
        case present
        case absent
    }

    /// A column to drop from the data (typically the label).
    public enum LabelColumn: Equatable, Sendable {
        case none
        /// 0-based column index.
        case index(Int)
        /// Column name, looked up in the header.
        case name(String)
    }

    /// The data columns (label column removed) and, if there was a label column, its values.
    public struct Table: Sendable {
        public var data: Matrix
        public var labels: [Float]?
        public var columnNames: [String]?
    }

    /// Reads `path`. Errors name the file, the 1-based line and column, and what was expected:
    /// ragged rows, non-numeric cells, NaN or infinite values, an unknown label column.
    ///
    /// The file is read in chunks of `chunkSize` bytes (lines are never split), so memory stays
    /// close to the size of the resulting matrix plus two chunks.
    public static func read(_ path: String, delimiter: UInt8 = UInt8(ascii: ","),
                            header: Header = .auto, labelColumn: LabelColumn = .none,
                            chunkSize: Int = 4 << 20) throws(DataError) -> Table
    {
        guard let handle = fopen(path, "rb") else {
            throw DataError(file: path, message: errno == ENOENT ? "no such file" : "cannot open the file")
        }
        defer { fclose(handle) }
        var parser = Parser(path: path, delimiter: delimiter, header: header, labelColumn: labelColumn)
        var chunk = [UInt8](repeating: 0, count: max(chunkSize, 1))
        var carry: [UInt8] = []
        while true {
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if read < chunk.count && ferror(handle) != 0 {
                throw DataError(file: path, message: "read error")
            }
            let atEnd = read < chunk.count
            var work = carry
            work.append(contentsOf: chunk[0..<read])
            // Complete lines only; the partial last line waits for the next chunk.
            let cut: Int
            if atEnd {
                cut = work.count
            } else if let lastNewline = work.lastIndex(of: 10) {
                cut = lastNewline + 1
            } else {
                carry = work
                continue
            }
            carry = Array(work[cut...])
            work.removeSubrange(cut...)
            work.append(0)   // strtod stops at the NUL after the last cell
            try work.withUnsafeBufferPointer { (buffer) throws(DataError) in try parser.consume(buffer) }
            if atEnd { break }
        }
        return try parser.finish()
    }

    /// The parsing state carried from one chunk of lines to the next.
    struct Parser {
        let path: String
        let delimiter: UInt8
        let header: Header
        let labelColumn: LabelColumn
        var line = 0
        var width: Int?
        var columnNames: [String]?
        var labelIndex: Int?
        var scalars: [Float] = []
        var labels: [Float] = []
        var rows = 0
        /// The cells of the current line, as (start, end) byte offsets.
        var cells: [(Int, Int)] = []

        init(path: String, delimiter: UInt8, header: Header, labelColumn: LabelColumn) {
            self.path = path
            self.delimiter = delimiter
            self.header = header
            self.labelColumn = labelColumn
        }

        /// Parses the complete lines in `bytes` (NUL-terminated: the last byte is 0).
        mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) throws(DataError) {
            let base = bytes.baseAddress!
            let end = bytes.count - 1
            var position = 0
            func text(_ cell: (Int, Int)) -> String {
                String(decoding: UnsafeBufferPointer(start: base + cell.0, count: cell.1 - cell.0), as: UTF8.self)
                    .trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
            }
            func number(_ cell: (Int, Int)) -> Double? {
                var start = cell.0, stop = cell.1
                while start < stop && (base[start] == 32 || base[start] == 9) { start += 1 }
                while stop > start && (base[stop - 1] == 32 || base[stop - 1] == 9) { stop -= 1 }
                guard start < stop else { return nil }
                var parsedEnd: UnsafeMutablePointer<CChar>?
                let value = UnsafeRawPointer(base + start).withMemoryRebound(to: CChar.self, capacity: 1) {
                    strtod($0, &parsedEnd)
                }
                let consumed = parsedEnd.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? start
                return consumed == stop ? value : nil
            }
            while position < end {
                line += 1
                var lineEnd = position
                while lineEnd < end && base[lineEnd] != 10 { lineEnd += 1 }
                var contentEnd = lineEnd
                if contentEnd > position && base[contentEnd - 1] == 13 { contentEnd -= 1 }
                let start = position
                position = lineEnd + 1
                if contentEnd == start { continue }   // blank line
                cells.removeAll(keepingCapacity: true)
                var cellStart = start
                for i in start..<contentEnd where base[i] == delimiter {
                    cells.append((cellStart, i))
                    cellStart = i + 1
                }
                cells.append((cellStart, contentEnd))
                if width == nil {
                    // The first line: header or data, and where the label column is.
                    width = cells.count
                    let isHeader: Bool
                    switch header {
                    case .present: isHeader = true
                    case .absent: isHeader = false
                    case .auto: isHeader = cells.contains { number($0) == nil }
                    }
                    if isHeader { columnNames = cells.map(text) }
                    try resolveLabelColumn()
                    if isHeader { continue }
                }
                guard cells.count == width! else {
                    throw DataError(file: path, position: "line \(line)",
                                    message: "ragged row: \(cells.count) cells, expected \(width!)")
                }
                for (column, cell) in cells.enumerated() {
                    guard let value = number(cell) else {
                        throw DataError(file: path, position: "line \(line), column \(column + 1)",
                                        message: "'\(text(cell).prefix(30))' is not a number")
                    }
                    guard value.isFinite && abs(value) <= Double(Float.greatestFiniteMagnitude) else {
                        throw DataError(file: path, position: "line \(line), column \(column + 1)",
                                        message: "\(text(cell)) is not a finite Float")
                    }
                    if column == labelIndex { labels.append(Float(value)) } else { scalars.append(Float(value)) }
                }
                rows += 1
            }
        }

        mutating func resolveLabelColumn() throws(DataError) {
            let width = self.width!
            switch labelColumn {
            case .none: labelIndex = nil
            case let .index(index):
                guard index >= 0 && index < width else {
                    throw DataError(file: path, message: "label column \(index) does not exist (the rows have \(width) columns, 0...\(width - 1))")
                }
                labelIndex = index
            case let .name(name):
                guard let names = columnNames else {
                    throw DataError(file: path, message: "label column '\(name)' given by name, but the file has no header row")
                }
                guard let index = names.firstIndex(of: name) else {
                    throw DataError(file: path, position: "line 1",
                                    message: "no column named '\(name)' in the header (\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", ..." : ""))")
                }
                labelIndex = index
            }
            if width - (labelIndex == nil ? 0 : 1) < 1 {
                throw DataError(file: path, message: "no data columns besides the label")
            }
        }

        func finish() throws(DataError) -> Table {
            guard let width else { throw DataError(file: path, message: "the file has no rows") }
            guard rows > 0 else { throw DataError(file: path, message: "the file has a header but no data rows") }
            let dataWidth = width - (labelIndex == nil ? 0 : 1)
            return Table(data: Matrix(rows: rows, columns: dataWidth, scalars: scalars),
                         labels: labelIndex == nil ? nil : labels, columnNames: columnNames)
        }
    }
}
