import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SwiftVAE
import XCTest

/// Decodes our PNGs with a small reader of their own structure (signature, chunks, CRCs, the
/// zlib stream of stored blocks, Adler-32) and parses the SVG as XML.
final class PictureTests: XCTestCase {
    struct DecodedPNG { var width: Int, height: Int, pixels: [UInt8] }

    func decode(_ data: Data, file: StaticString = #filePath, line: UInt = #line) throws -> DecodedPNG {
        let bytes = [UInt8](data)
        XCTAssertEqual(Array(bytes[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], file: file, line: line)
        func word(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8, width = 0, height = 0
        var idat: [UInt8] = [], types: [String] = []
        while offset < bytes.count {
            let length = word(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let crc = UInt32(word(offset + 8 + length))
            XCTAssertEqual(PNGWriter.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)])), crc, "CRC of \(type)", file: file, line: line)
            types.append(type)
            if type == "IHDR" {
                width = body[0..<4].reduce(0) { $0 << 8 | Int($1) }
                height = body[4..<8].reduce(0) { $0 << 8 | Int($1) }
                XCTAssertEqual(Array(body[8..<13]), [8, 0, 0, 0, 0], file: file, line: line)
            }
            if type == "IDAT" { idat += body }
            offset += 12 + length
        }
        XCTAssertEqual(types.first, "IHDR", file: file, line: line)
        XCTAssertEqual(types.last, "IEND", file: file, line: line)
        // zlib header, then stored blocks: BFINAL/BTYPE byte, LEN, NLEN, data.
        XCTAssertEqual((Int(idat[0]) << 8 | Int(idat[1])) % 31, 0, "zlib header check", file: file, line: line)
        var position = 2, inflated: [UInt8] = [], final = false
        while !final {
            final = idat[position] & 1 == 1
            XCTAssertEqual(idat[position] >> 1 & 3, 0, "stored block", file: file, line: line)
            let length = Int(idat[position + 1]) | Int(idat[position + 2]) << 8
            let complement = Int(idat[position + 3]) | Int(idat[position + 4]) << 8
            XCTAssertEqual(length ^ 0xFFFF, complement, file: file, line: line)
            inflated += idat[(position + 5)..<(position + 5 + length)]
            position += 5 + length
        }
        let adler = UInt32(idat[position..<(position + 4)].reduce(0) { $0 << 8 | UInt32($1) })
        XCTAssertEqual(PNGWriter.adler32(inflated), adler, file: file, line: line)
        XCTAssertEqual(inflated.count, height * (width + 1), "inflated size", file: file, line: line)
        var pixels: [UInt8] = []
        for row in 0..<height {
            XCTAssertEqual(inflated[row * (width + 1)], 0, "filter type", file: file, line: line)
            pixels += inflated[(row * (width + 1) + 1)..<((row + 1) * (width + 1))]
        }
        return DecodedPNG(width: width, height: height, pixels: pixels)
    }

    func testPNGRoundTripIncludingSeveralStoredBlocks() throws {
        XCTAssertEqual(PNGWriter.crc32(Array("IEND".utf8)), 0xAE42_6082)   // the well-known IEND CRC
        XCTAssertEqual(PNGWriter.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        let width = 300, height = 250   // 75,250 bytes of scanlines: two stored blocks
        let pixels = (0..<(width * height)).map { UInt8(($0 * 7) % 256) }
        let decoded = try decode(PNGWriter.encodeGreyscale(width: width, height: height, pixels: pixels))
        XCTAssertEqual(decoded.width, width)
        XCTAssertEqual(decoded.height, height)
        XCTAssertEqual(decoded.pixels, pixels)
    }

    func testImageGridLayout() throws {
        // Three 2x3 images, two per row: a 2x2 grid with 1-pixel borders.
        let images = Matrix(rows: 3, columns: 6, scalars: [Float](repeating: 1, count: 6) + [Float](repeating: 0, count: 6)
                            + [0.5, 0.5, 0.5, 0.5, 0.5, -3])
        let decoded = try decode(ImageGrid.png(images, height: 2, width: 3, columns: 2))
        XCTAssertEqual(decoded.width, 2 * 4 + 1)
        XCTAssertEqual(decoded.height, 2 * 3 + 1)
        XCTAssertEqual(decoded.pixels[1 * 9 + 1], 255)        // image 0, top-left
        XCTAssertEqual(decoded.pixels[1 * 9 + 5], 0)          // image 1
        XCTAssertEqual(decoded.pixels[4 * 9 + 1], 128)        // image 2
        XCTAssertEqual(decoded.pixels[5 * 9 + 3], 0)          // clipped from -3
        XCTAssertEqual(decoded.pixels[0], 40)                 // border
    }

    func testRunnerWritesPicturesAndAParseableLossCurve() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swiftvae-pics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var c = try VAERunner(configPath: packageRoot().appendingPathComponent("examples/digits.yaml")).configuration
        c.epochs = 3
        c.latentDim = 2
        c.iwaeSamples = 0
        c.imageShape = [8, 8]
        c.plotsFolder = folder.path
        c.plotsEveryEpoch = true
        _ = try VAERunner(configuration: c).run()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertTrue(names.contains("reconstructions.png") && names.contains("samples.png")
                      && names.contains("manifold.png") && names.contains("loss_curve.svg")
                      && names.contains("samples-epoch-002.png"), "\(names)")
        let samples = try decode(Data(contentsOf: folder.appendingPathComponent("samples.png")))
        XCTAssertEqual(samples.width, 8 * 9 + 1)
        let manifold = try decode(Data(contentsOf: folder.appendingPathComponent("manifold.png")))
        XCTAssertEqual(manifold.width, 15 * 9 + 1)
        final class Counter: NSObject, XMLParserDelegate {
            var elements: [String: Int] = [:]
            var texts: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                elements[name, default: 0] += 1
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
        }
        let parser = XMLParser(data: try Data(contentsOf: folder.appendingPathComponent("loss_curve.svg")))
        let counter = Counter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "the SVG is well-formed XML")
        XCTAssertEqual(counter.elements["svg"], 1)
        XCTAssertEqual(counter.elements["polyline"], 6)   // train and test: total, reconstruction, KL
        XCTAssertTrue(counter.texts.contains("epoch"))
        XCTAssertTrue(counter.texts.contains("loss (nats per sample)"))
    }
}
