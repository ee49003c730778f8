import Foundation

/// Encodes 8-bit greyscale PNG images with our own zlib stream (stored deflate blocks, Adler-32)
/// and chunk CRC-32s: no compression library needed. Pixels are written uncompressed, which for
/// the small grids SwiftVAE draws (a few hundred KiB at most) is fine.
public enum PNGWriter {
    /// The PNG bytes of a `width x height` greyscale image, `pixels` row-major, one byte each.
    public static func encodeGreyscale(width: Int, height: Int, pixels: [UInt8]) -> Data {
        precondition(width >= 1 && height >= 1 && pixels.count == width * height,
                     "PNGWriter: \(pixels.count) pixels for \(width)x\(height)")
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 0, 0, 0, 0])   // 8-bit, greyscale, deflate, no filter/interlace
        appendChunk("IHDR", header, to: &png)
        // Each scanline starts with filter type 0 (none).
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width + 1))
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(row * width)..<((row + 1) * width)])
        }
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    /// An RFC 1950 zlib stream holding `bytes` in RFC 1951 stored blocks.
    static func zlibStored(_ bytes: [UInt8]) -> Data {
        var out = Data([0x78, 0x01])   // deflate, 32 KiB window, no dictionary, fastest
        var start = 0
        repeat {
            let length = min(65_535, bytes.count - start)
            let final: UInt8 = start + length == bytes.count ? 1 : 0
            out.append(final)           // BFINAL, BTYPE = 00 (stored)
            out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8),
                                    UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)])
            out.append(contentsOf: bytes[start..<(start + length)])
            start += length
        } while start < bytes.count
        out.appendBigEndian(adler32(bytes))
        return out
    }

    /// Adler-32 of `bytes` (RFC 1950).
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for chunkStart in stride(from: 0, to: bytes.count, by: 5552) {
            for byte in bytes[chunkStart..<min(chunkStart + 5552, bytes.count)] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
        }
        return b << 16 | a
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309, as PNG uses) of `bytes`.
    public static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        png.append(typed)
        png.appendBigEndian(crc32(typed))
    }
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
                            UInt8(value & 0xFF)])
    }
}

/// Tiles images (rows of a matrix, values in [0, 1]) into one greyscale picture.
public enum ImageGrid {
    /// A grid of `images.rows` images of `height x width` pixels, `columns` per row, with a
    /// 1-pixel dark border; values are clipped to [0, 1] and scaled to 0...255.
    public static func png(_ images: Matrix, height: Int, width: Int, columns: Int) -> Data {
        precondition(images.columns == height * width, "ImageGrid: rows of \(images.columns) values are not \(height)x\(width) images")
        let count = max(images.rows, 1)
        let gridColumns = max(1, min(columns, count))
        let gridRows = (count + gridColumns - 1) / gridColumns
        let totalWidth = gridColumns * (width + 1) + 1, totalHeight = gridRows * (height + 1) + 1
        var pixels = [UInt8](repeating: 40, count: totalWidth * totalHeight)
        for image in 0..<images.rows {
            let top = (image / gridColumns) * (height + 1) + 1, left = (image % gridColumns) * (width + 1) + 1
            for y in 0..<height {
                for x in 0..<width {
                    let value = images.scalars[image * images.columns + y * width + x]
                    let clipped = value.isNaN ? 0 : min(max(value, 0), 1)
                    pixels[(top + y) * totalWidth + left + x] = UInt8((clipped * 255).rounded())
                }
            }
        }
        return PNGWriter.encodeGreyscale(width: totalWidth, height: totalHeight, pixels: pixels)
    }
}
