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
    public static func read(_ path: String, delimiter: UInt8 = UInt8(ascii: ","),
                            header: Header = .auto, labelColumn: LabelColumn = .none)
        throws(DataError) -> Table
    {
        var bytes = try readFileBytes(path)
        bytes.append(0)   // strtod stops at the NUL after the last cell
        return try bytes.withUnsafeBufferPointer { (buffer) throws(DataError) -> Table in
            try parse(buffer, path: path, delimiter: delimiter, header: header,
                      labelColumn: labelColumn)
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String, delimiter: UInt8,
                      header: Header, labelColumn: LabelColumn) throws(DataError) -> Table
    {
        let base = bytes.baseAddress!
        let end = bytes.count - 1   // the NUL
        var position = 0
        var line = 0
        // The cells of one line, as (start, end) byte offsets.
        var cells: [(Int, Int)] = []
        func nextLine() -> Bool {
            cells.removeAll(keepingCapacity: true)
            while position < end {
                line += 1
                var lineEnd = position
                while lineEnd < end && base[lineEnd] != 10 { lineEnd += 1 }
                var contentEnd = lineEnd
                if contentEnd > position && base[contentEnd - 1] == 13 { contentEnd -= 1 }
                let start = position
                position = lineEnd + 1
                if contentEnd == start { continue }   // blank line
                var cellStart = start
                for i in start..<contentEnd where base[i] == delimiter {
                    cells.append((cellStart, i))
                    cellStart = i + 1
                }
                cells.append((cellStart, contentEnd))
                return true
            }
            return false
        }
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

        guard nextLine() else { throw DataError(file: path, message: "the file has no rows") }
        var columnNames: [String]?
        let firstIsHeader: Bool
        switch header {
        case .present: firstIsHeader = true
        case .absent: firstIsHeader = false
        case .auto: firstIsHeader = cells.contains { number($0) == nil }
        }
        let width = cells.count
        if firstIsHeader {
            columnNames = cells.map(text)
            guard nextLine() else { throw DataError(file: path, message: "the file has a header but no data rows") }
        }
        var labelIndex: Int?
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
        let dataWidth = width - (labelIndex == nil ? 0 : 1)
        guard dataWidth >= 1 else { throw DataError(file: path, message: "no data columns besides the label") }
        var scalars: [Float] = []
        scalars.reserveCapacity(bytes.count / 2)
        var labels: [Float] = []
        var rows = 0
        repeat {
            guard cells.count == width else {
                throw DataError(file: path, position: "line \(line)",
                                message: "ragged row: \(cells.count) cells, expected \(width)")
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
        } while nextLine()
        return Table(data: Matrix(rows: rows, columns: dataWidth, scalars: scalars),
                     labels: labelIndex == nil ? nil : labels, columnNames: columnNames)
    }
}
