import Foundation
import SwiftVAE
import XCTest

final class DataLoaderTests: TemporaryFolderTestCase {

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }

    func assertError<T>(_ body: @autoclosure () throws -> T, contains fragments: String...,
                        line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            for fragment in fragments {
                XCTAssertTrue("\(error)".contains(fragment), "\(error) lacks '\(fragment)'", line: line)
            }
        }
    }

    // MARK: - IDX

    func idxImages(count: Int, rows: Int, columns: Int, magic: UInt32 = 0x803) -> [UInt8] {
        func word(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        return word(magic) + word(UInt32(count)) + word(UInt32(rows)) + word(UInt32(columns))
            + (0..<(count * rows * columns)).map { UInt8($0 % 256) }
    }

    func testIDXReadsImagesAndRejectsBadFiles() throws {
        let good = try file("a.idx", idxImages(count: 3, rows: 2, columns: 5))
        let images = try IDXReader.readImages(good)
        XCTAssertEqual(images.rows, 3)
        XCTAssertEqual(images.columns, 10)
        XCTAssertEqual(images[2, 9], 29)
        var truncated = idxImages(count: 3, rows: 2, columns: 5)
        truncated.removeLast(4)
        assertError(try IDXReader.readImages(try file("t.idx", truncated)), contains: "t.idx", "truncated", "3 images")
        assertError(try IDXReader.readImages(try file("m.idx", idxImages(count: 1, rows: 1, columns: 1, magic: 0x801))),
                    contains: "byte 0", "magic 0x801")
        assertError(try IDXReader.readImages(try file("h.idx", [0, 0, 8])), contains: "truncated IDX header")
        assertError(try IDXReader.readImages(folder.appendingPathComponent("missing").path), contains: "no such file")
    }

    func testShippedMNISTAndDigitsLoad() throws {
        let root = packageRoot().appendingPathComponent("Benchmarks/Data")
        let train = try IDXReader.readImages(root.appendingPathComponent("mnist5k-train-images-idx3-ubyte").path)
        XCTAssertEqual(train.rows, 4500)
        XCTAssertEqual(train.columns, 784)
        XCTAssertEqual(train.scalars.max(), 255)
        let labels = try IDXReader.readLabels(root.appendingPathComponent("mnist5k-train-labels-idx1-ubyte").path)
        XCTAssertEqual(labels.count, 4500)
        XCTAssertEqual(Set(labels), Set(0...9))
        let digits = try CSVReader.read(root.appendingPathComponent("digits.csv").path, labelColumn: .name("label"))
        XCTAssertEqual(digits.data.rows, 1797)
        XCTAssertEqual(digits.data.columns, 64)
        XCTAssertEqual(digits.data.scalars.max(), 16)
        XCTAssertEqual(digits.labels?.count, 1797)
    }

    // MARK: - CSV

    func testCSVHeaderLabelsDelimitersAndErrors() throws {
        let withHeader = try file("h.csv", "a,b,label\n1,2.5,7\n-3e2, 4 ,8\r\n\n")
        let table = try CSVReader.read(withHeader, labelColumn: .name("label"))
        XCTAssertEqual(table.data, Matrix(rows: 2, columns: 2, scalars: [1, 2.5, -300, 4]))
        XCTAssertEqual(table.labels, [7, 8])
        XCTAssertEqual(table.columnNames ?? [], ["a", "b", "label"])
        let noHeader = try file("n.csv", "1;2;3\n4;5;6\n")
        let semicolons = try CSVReader.read(noHeader, delimiter: UInt8(ascii: ";"), labelColumn: .index(0))
        XCTAssertEqual(semicolons.data, Matrix(rows: 2, columns: 2, scalars: [2, 3, 5, 6]))
        XCTAssertNil(semicolons.columnNames)
        assertError(try CSVReader.read(try file("r.csv", "1,2\n3,4\n5\n")), contains: "r.csv", "line 3", "ragged row: 1 cells, expected 2")
        assertError(try CSVReader.read(try file("x.csv", "1,2\n3,abc\n")), contains: "line 2, column 2", "'abc' is not a number")
        assertError(try CSVReader.read(try file("nan.csv", "1,2\nnan,4\n")), contains: "line 2, column 1", "not a finite Float")
        assertError(try CSVReader.read(try file("big.csv", "1,2\n1e40,4\n")), contains: "not a finite Float")
        assertError(try CSVReader.read(try file("l.csv", "a,b\n1,2\n"), labelColumn: .name("c")), contains: "no column named 'c'")
        assertError(try CSVReader.read(try file("i.csv", "1,2\n"), labelColumn: .index(5)), contains: "label column 5 does not exist")
        assertError(try CSVReader.read(try file("e.csv", "")), contains: "no rows")
    }

    func testCSVChunkBoundariesChangeNothing() throws {
        // Lines split across read chunks of every small size parse the same, errors included.
        let text = "a,b,label\n1,2.5,7\n\n-3e2, 4 ,8\r\n10,11,12\n"
        let path = try file("c.csv", text)
        let whole = try CSVReader.read(path, labelColumn: .name("label"))
        for chunkSize in [1, 2, 3, 7, 16, 64] {
            let chunked = try CSVReader.read(path, labelColumn: .name("label"), chunkSize: chunkSize)
            XCTAssertEqual(chunked.data, whole.data, "chunk \(chunkSize)")
            XCTAssertEqual(chunked.labels, whole.labels)
            XCTAssertEqual(chunked.columnNames ?? [], ["a", "b", "label"])
        }
        XCTAssertEqual(whole.data.rows, 3)
        let bad = try file("bad.csv", "1,2\n3,4\n5,x\n6,7\n")
        for chunkSize in [1, 5, 4096] {
            XCTAssertThrowsError(try CSVReader.read(bad, chunkSize: chunkSize)) {
                XCTAssertTrue("\($0)".contains("line 3, column 2"), "\($0)")
            }
        }
    }

    // MARK: - NPY

    func npy(descr: String, fortran: Bool, shape: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        let prefix = major == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        let lengthBytes: [UInt8] = major == 1 ? [UInt8(length & 255), UInt8(length >> 8)]
            : [UInt8(length & 255), UInt8(length >> 8 & 255), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [major, 0] + lengthBytes + Array(header.utf8) + data
    }

    func testNPYDtypesOrdersVersionsAndErrors() throws {
        let values: [Float] = [1, 2, 3, 4, 5, 6]   // logical 2x3, row-major
        let littleF4 = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        XCTAssertEqual(try NPYReader.read(try file("a.npy", npy(descr: "<f4", fortran: false, shape: "(2, 3)", data: littleF4))),
                       Matrix(rows: 2, columns: 3, scalars: values))
        // Fortran order, big-endian float64, format 2.0: column after column.
        let columnMajor: [Double] = [1, 4, 2, 5, 3, 6]
        let bigF8 = columnMajor.flatMap { withUnsafeBytes(of: $0.bitPattern.bigEndian, Array.init) }
        XCTAssertEqual(try NPYReader.read(try file("b.npy", npy(descr: ">f8", fortran: true, shape: "(2, 3)", data: bigF8, major: 2))),
                       Matrix(rows: 2, columns: 3, scalars: values))
        // uint8, 3-D (flattened after the first axis), and 1-D.
        XCTAssertEqual(try NPYReader.read(try file("c.npy", npy(descr: "|u1", fortran: false, shape: "(2, 1, 3)", data: [1, 2, 3, 4, 5, 6]))),
                       Matrix(rows: 2, columns: 3, scalars: values))
        XCTAssertEqual(try NPYReader.read(try file("d.npy", npy(descr: "|u1", fortran: false, shape: "(3,)", data: [7, 8, 9]))),
                       Matrix(rows: 3, columns: 1, scalars: [7, 8, 9]))
        assertError(try NPYReader.read(try file("i.npy", npy(descr: "<i4", fortran: false, shape: "(1,)", data: [0, 0, 0, 0]))),
                    contains: "dtype '<i4'", "float32")
        assertError(try NPYReader.read(try file("t.npy", npy(descr: "<f4", fortran: false, shape: "(2, 3)", data: Array(littleF4.prefix(10))))),
                    contains: "truncated", "24 data bytes")
        assertError(try NPYReader.read(try file("m.npy", Array("not numpy".utf8))), contains: "bad magic")
        assertError(try NPYReader.read(try file("v.npy", npy(descr: "<f4", fortran: false, shape: "(1,)", data: [0, 0, 0, 0], major: 9))),
                    contains: "version 9")
    }

    // MARK: - Scaling and splits

    func testScalingUsesTrainingStatisticsAndSplitsAreSeeded() {
        let train = Matrix(rows: 3, columns: 2, scalars: [0, 10, 5, 20, 10, 30])
        let test = Matrix(rows: 1, columns: 2, scalars: [20, 10])
        let minMax = FeatureScaler(.minMax, fittedOn: train)
        XCTAssertEqual(minMax.apply(to: train).scalars, [0, 0, 0.5, 0.5, 1, 1])
        XCTAssertEqual(minMax.apply(to: test).scalars, [1, 0])   // training min/max, clipped to [0, 1]
        let standard = FeatureScaler(.standardize, fittedOn: train).apply(to: train)
        XCTAssertEqual(Double(standard[0, 0]), -1.2247, accuracy: 1e-4)
        XCTAssertEqual(FeatureScaler(.divide(10), fittedOn: train).apply(to: test).scalars, [2, 1])
        XCTAssertEqual(binarize(Matrix(rows: 1, columns: 3, scalars: [0.2, 0.5, 0.9]), .threshold(0.5)).scalars, [0, 0, 1])
        let data = Matrix(rows: 10, columns: 1, scalars: (0..<10).map(Float.init))
        let (a, b) = splitRows(data, testFraction: 0.3, seed: 5)
        XCTAssertEqual(a.rows, 7)
        XCTAssertEqual(b.rows, 3)
        XCTAssertEqual(Set(a.scalars + b.scalars), Set(data.scalars))
        XCTAssertEqual(splitRows(data, testFraction: 0.3, seed: 5).test, b)
    }
}
