@testable import NetrunPlot
import XCTest

/// A PNG read back with cairo's own PNG reader, so a test can look at the pixels netrun wrote.
struct DecodedPNG {
    let width: Int
    let height: Int
    /// 0x··RRGGBB per pixel, row by row: RGB24 leaves the top byte unused, so compare `colour(_:)`.
    let words: [UInt32]

    subscript(x: Int, y: Int) -> RGBColour {
        let word = words[y * width + x]
        return RGBColour(r: UInt8(word >> 16 & 0xFF), g: UInt8(word >> 8 & 0xFF), b: UInt8(word & 0xFF))
    }

    /// The colour part of a pixel word.
    static func colour(_ word: UInt32) -> UInt32 { word & 0xFF_FFFF }

    /// Pixels in the rectangle that are not white: ink from text, lines or tiles.
    func ink(x: Range<Int>, y: Range<Int>) -> [(x: Int, y: Int)] {
        y.flatMap { row in x.compactMap { self[$0, row] == .white ? nil : (x: $0, y: row) } }
    }

    /// Reads `png` or fails the test.
    init(_ png: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        final class Source {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let source = Source(png)
        let rsvg = try LibRsvg.load()
        let surface = withExtendedLifetime(source) {
            rsvg.imageSurfaceCreateFromPNGStream({ closure, data, length in
                let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
                guard let data, source.offset + Int(length) <= source.bytes.count else { return LibRsvg.readError }
                for i in 0..<Int(length) { data[i] = source.bytes[source.offset + i] }
                source.offset += Int(length)
                return LibRsvg.success
            }, Unmanaged.passUnretained(source).toOpaque())
        }
        defer { rsvg.surfaceDestroy(surface) }
        let status = rsvg.surfaceStatus(surface)
        guard status == LibRsvg.success else {
            XCTFail("cairo cannot read the PNG: \(rsvg.text(status))", file: file, line: line)
            throw XCTSkip("unreadable PNG")
        }
        width = Int(rsvg.imageSurfaceGetWidth(surface))
        height = Int(rsvg.imageSurfaceGetHeight(surface))
        let stride = Int(rsvg.imageSurfaceGetStride(surface)), data = rsvg.imageSurfaceGetData(surface)!
        let (width, height) = (width, height)
        var pixels = [UInt32](repeating: 0, count: width * height)
        pixels.withUnsafeMutableBytes { pixels in
            for y in 0..<height {
                (pixels.baseAddress! + y * width * 4).copyMemory(from: data + y * stride, byteCount: width * 4)
            }
        }
        words = pixels
    }

    /// The 8-byte signature and IHDR's colour type (2: RGB, 6: RGBA) straight from the file.
    static func colourType(of png: [UInt8]) -> UInt8? {
        guard png.count > 25, png.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        return png[25]
    }
}
