import XCTest
@testable import NetrunPlot

final class PNGEncoderTests: XCTestCase {
    /// Gradients, flat areas and noise, so that rows prefer different filters and the data does not
    /// compress to almost nothing.
    static func sampleImage(width: Int = 97, height: Int = 61) -> RGBImage {
        var image = RGBImage(width: width, height: height, fill: RGBColour(r: 10, g: 20, b: 30))
        var seed: UInt32 = 12345
        for y in 0..<height {
            for x in 0..<width {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                switch y % 4 {
                case 0: image[x, y] = RGBColour(r: UInt8(x & 255), g: UInt8(y & 255), b: UInt8((x + y) & 255))
                case 1: image[x, y] = RGBColour(r: UInt8(truncatingIfNeeded: seed >> 24),
                                                g: UInt8(truncatingIfNeeded: seed >> 16),
                                                b: UInt8(truncatingIfNeeded: seed >> 8))
                case 2: break
                default: image[x, y] = RGBColour(r: UInt8((x * 7) & 255), g: 200, b: UInt8((255 - x) & 255))
                }
            }
        }
        return image
    }

    func testSignatureAndChunkLayout() {
        let png = PNGEncoder.encode(Self.sampleImage())
        XCTAssertEqual(Array(png.prefix(8)), PNGTestSupport.signature)
        let chunks = PNGTestSupport.parseChunks(png)
        XCTAssertEqual(chunks.first?.type, "IHDR")
        XCTAssertEqual(chunks.last?.type, "IEND")
        XCTAssertEqual(chunks.last?.data.count, 0)
        let middle = chunks.dropFirst().dropLast()
        XCTAssertFalse(middle.isEmpty)
        XCTAssertTrue(middle.allSatisfy { $0.type == "IDAT" }, "\(chunks.map(\.type))")
    }

    func testIHDRFields() throws {
        let png = PNGEncoder.encode(Self.sampleImage(width: 300, height: 7))
        let ihdr = try XCTUnwrap(PNGTestSupport.parseChunks(png).first)
        XCTAssertEqual(ihdr.data.count, 13)
        XCTAssertEqual(PNGTestSupport.bigEndian32(ihdr.data, at: 0), 300)
        XCTAssertEqual(PNGTestSupport.bigEndian32(ihdr.data, at: 4), 7)
        XCTAssertEqual(Array(ihdr.data[8...]), [8, 2, 0, 0, 0], "depth, colour type, compression, filter, interlace")
    }

    func testEveryChunkCRC() {
        let png = PNGEncoder.encode(Self.sampleImage(), idatLength: 100)
        let chunks = PNGTestSupport.parseChunks(png)
        XCTAssertGreaterThan(chunks.count, 4, "a small IDAT length should split the data")
        for chunk in chunks {
            XCTAssertEqual(chunk.storedCRC, PNGTestSupport.crc32(Array(chunk.type.utf8) + chunk.data), chunk.type)
        }
        // The well-known CRC of an empty IEND chunk.
        XCTAssertEqual(Array(png.suffix(4)), [0xAE, 0x42, 0x60, 0x82])
    }

    func testCRCHelperMatchesKnownValue() {
        XCTAssertEqual(PNGTestSupport.crc32(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testFiltersRoundTripInSwift() {
        // Undo the filters here too, so a filter bug shows up even where python3 is missing.
        let image = Self.sampleImage()
        let filtered = PNGFilter.filterScanlines(image)
        let stride = image.width * 3
        XCTAssertEqual(filtered.count, image.height * (stride + 1))
        var previous = [UInt8](repeating: 0, count: stride)
        var decoded = [UInt8]()
        var used = Set<UInt8>()
        for y in 0..<image.height {
            let type = filtered[y * (stride + 1)]
            used.insert(type)
            var line = Array(filtered[(y * (stride + 1) + 1)..<((y + 1) * (stride + 1))])
            for i in 0..<stride {
                let a = i >= 3 ? line[i - 3] : 0, b = previous[i], c = i >= 3 ? previous[i - 3] : 0
                let p: UInt8
                switch type {
                case 0: p = 0
                case 1: p = a
                case 2: p = b
                case 3: p = UInt8((Int(a) + Int(b)) / 2)
                case 4: p = PNGFilter.paeth(a, b, c)
                default: XCTFail("filter type \(type)"); return
                }
                line[i] = line[i] &+ p
            }
            decoded += line
            previous = line
        }
        XCTAssertEqual(decoded, image.pixels)
        XCTAssertGreaterThan(used.count, 1, "the sample should make more than one filter worthwhile")
    }

    func testDecodesWithIndependentPythonDecoder() throws {
        let image = Self.sampleImage()
        let points = [(x: 0, y: 0), (x: 96, y: 0), (x: 5, y: 1), (x: 50, y: 2), (x: 13, y: 3), (x: 96, y: 60)]
        let decoded = try PNGTestSupport.decodeWithPython(PNGEncoder.encode(image), points: points)
        XCTAssertEqual(decoded.width, 97)
        XCTAssertEqual(decoded.height, 61)
        XCTAssertEqual(decoded.bitDepth, 8)
        XCTAssertEqual(decoded.colourType, 2)
        for (point, pixel) in zip(points, decoded.pixels) {
            let c = image[point.x, point.y]
            XCTAssertEqual(pixel, [Int(c.r), Int(c.g), Int(c.b)], "pixel \(point)")
        }
        XCTAssertEqual(decoded.pixels[0], [0, 0, 0])
        XCTAssertEqual(decoded.pixels[3], [10, 20, 30])
        XCTAssertEqual(decoded.hex, PNGTestSupport.hex(image.pixels), "every pixel should survive")
    }

    func testPythonDecoderRejectsACorruptCRC() throws {
        // Guards the guard: the reference decoder must notice damage, or its agreement means nothing.
        var png = PNGEncoder.encode(Self.sampleImage())
        png[png.count - 1] ^= 0xFF
        let result = try PNGTestSupport.runPythonDecoder(png, points: [])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(String(decoding: result.stderr, as: UTF8.self).contains("bad CRC in IEND"))
    }

    func testLargeImageSpansSeveralIDATChunks() throws {
        // Noise does not compress, so 200×200×3 bytes need more than one 64 KiB IDAT.
        var image = RGBImage(width: 200, height: 200)
        var seed: UInt32 = 7
        for i in image.pixels.indices {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            image.pixels[i] = UInt8(truncatingIfNeeded: seed >> 24)
        }
        let png = PNGEncoder.encode(image)
        let idats = PNGTestSupport.parseChunks(png).filter { $0.type == "IDAT" }
        XCTAssertGreaterThan(idats.count, 1)
        XCTAssertTrue(idats.dropLast().allSatisfy { $0.data.count == PNGEncoder.defaultIDATLength })
        let decoded = try PNGTestSupport.decodeWithPython(png, points: [(x: 199, y: 199)])
        XCTAssertEqual(decoded.chunks.filter { $0 == "IDAT" }.count, idats.count)
        XCTAssertEqual(decoded.hex, PNGTestSupport.hex(image.pixels))
    }

    func testSinglePixelImage() throws {
        let image = RGBImage(width: 1, height: 1, fill: RGBColour(r: 1, g: 128, b: 255))
        let decoded = try PNGTestSupport.decodeWithPython(PNGEncoder.encode(image), points: [(x: 0, y: 0)])
        XCTAssertEqual(decoded.width, 1)
        XCTAssertEqual(decoded.height, 1)
        XCTAssertEqual(decoded.pixels, [[1, 128, 255]])
        XCTAssertEqual(decoded.chunks, ["IHDR", "IDAT", "IEND"])
    }

    func testSetClipsOutsideTheImage() {
        var image = RGBImage(width: 2, height: 2)
        image.set(x: -1, y: 0, r: 0, g: 0, b: 0)
        image.set(x: 2, y: 5, r: 0, g: 0, b: 0)
        XCTAssertEqual(image, RGBImage(width: 2, height: 2))
        image.set(x: 1, y: 0, r: 9, g: 8, b: 7)
        XCTAssertEqual(image[1, 0], RGBColour(r: 9, g: 8, b: 7))
        XCTAssertEqual(Array(image.pixels[3..<6]), [9, 8, 7])
    }

    func testFontDrawsKnownAndUnknownCharacters() {
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:" {
            XCTAssertTrue(BitmapFont.hasGlyph(c), "missing glyph for \(c)")
        }
        XCTAssertFalse(BitmapFont.hasGlyph("é"))

        var image = RGBImage(width: 20, height: 10)
        image.drawText("é", x: 1, y: 1, scale: 1, colour: .black)
        // The fallback box: a full top edge and hollow middle.
        for x in 1...5 { XCTAssertEqual(image[x, 1], .black) }
        XCTAssertEqual(image[3, 4], .white)

        var spaced = RGBImage(width: 20, height: 10)
        spaced.drawText("  ", x: 0, y: 0)
        XCTAssertEqual(spaced, RGBImage(width: 20, height: 10), "spaces draw nothing")

        var scaled = RGBImage(width: 40, height: 20)
        BitmapFont.drawText("-", into: &scaled, x: 0, y: 0, scale: 2, colour: RGBColour(r: 255, g: 0, b: 0))
        // The dash is row 3 of 7, so at scale 2 it covers y 6 and 7 across x 0..<10.
        XCTAssertEqual(scaled[0, 6], RGBColour(r: 255, g: 0, b: 0))
        XCTAssertEqual(scaled[9, 7], RGBColour(r: 255, g: 0, b: 0))
        XCTAssertEqual(scaled[10, 7], .white)
        XCTAssertEqual(scaled[0, 5], .white)
        XCTAssertEqual(BitmapFont.textWidth("ab", scale: 2), 22)
    }

    func testTextRunningOffTheEdgeIsClipped() {
        var image = RGBImage(width: 8, height: 5)
        image.drawText("WWW", x: -3, y: -2, scale: 2)
        XCTAssertTrue(image.pixels.contains(0))
    }
}
