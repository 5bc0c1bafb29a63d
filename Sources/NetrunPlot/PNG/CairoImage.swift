/// Why a picture could not be made: librsvg refused the SVG, or cairo could not make or write the image.
public struct PictureError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Takes the message out of a GLib error and frees it.
    init(_ context: String, consuming error: UnsafeMutableRawPointer?, _ rsvg: LibRsvg) {
        guard let error else {
            self.init(context)
            return
        }
        defer { rsvg.errorFree(error) }
        let message = error.assumingMemoryBound(to: LibRsvg.GError.self).pointee.message
        self.init("\(context): \(message.map { String(cString: $0) } ?? "no message")")
    }
}

/// An opaque RGB image in cairo's memory (CAIRO_FORMAT_RGB24), freed with the object; what librsvg
/// draws on and what writes PNG files.
final class CairoImage {
    let rsvg: LibRsvg
    let surface: OpaquePointer
    let width: Int
    let height: Int

    /// The largest side cairo's image surfaces accept.
    static let maxSide = 32767

    /// A black image of `width`×`height` pixels (cairo clears new surfaces to zero).
    init(width: Int, height: Int) throws {
        guard (1...Self.maxSide).contains(width), (1...Self.maxSide).contains(height) else {
            throw PictureError("a picture of \(width)×\(height) pixels is outside cairo's 1…\(Self.maxSide) per side")
        }
        let rsvg = try LibRsvg.load()
        // cairo never returns NULL: failures come back as an "error surface" whose status says why.
        guard let surface = rsvg.imageSurfaceCreate(LibRsvg.formatRGB24, Int32(width), Int32(height)) else {
            throw PictureError("cairo could not make a \(width)×\(height) image")
        }
        let status = rsvg.surfaceStatus(surface)
        guard status == LibRsvg.success else {
            rsvg.surfaceDestroy(surface)
            throw PictureError("cairo could not make a \(width)×\(height) image: \(rsvg.text(status))")
        }
        self.rsvg = rsvg
        self.surface = surface
        self.width = width
        self.height = height
    }

    deinit {
        rsvg.surfaceDestroy(surface)
    }

    /// Sets the pixels from `words`, row by row, one 0x00RRGGBB word per pixel: how RGB24 keeps a pixel
    /// in memory (a native-endian 32-bit word), in rows `stride` bytes apart.
    func setPixels(_ words: [UInt32]) {
        precondition(words.count == width * height, "\(words.count) pixels for a \(width)×\(height) image")
        rsvg.surfaceFlush(surface)
        let data = rsvg.imageSurfaceGetData(surface)!
        let stride = Int(rsvg.imageSurfaceGetStride(surface))
        words.withUnsafeBufferPointer { words in
            for y in 0..<height {
                UnsafeMutableRawPointer(data + y * stride)
                    .copyMemory(from: words.baseAddress! + y * width, byteCount: width * 4)
            }
        }
        rsvg.surfaceMarkDirty(surface)
    }

    /// The image as a PNG file (8-bit RGB, no alpha), written by cairo into memory.
    func png() throws -> [UInt8] {
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            rsvg.surfaceWriteToPNGStream(surface, { closure, data, length in
                guard let closure, let data else { return LibRsvg.writeError }
                let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return LibRsvg.success
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard status == LibRsvg.success else { throw PictureError("cairo could not write the PNG: \(rsvg.text(status))") }
        return sink.bytes
    }

    /// Collects what cairo's stream writer hands over; a class so the C callback can reach it.
    private final class ByteSink {
        var bytes: [UInt8] = []
    }
}
