import SystemRsvg

/// Why a picture could not be made: librsvg refused the SVG, or cairo could not make or write the image.
public struct PictureError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Takes the message out of a GLib error and frees it.
    init(_ context: String, consuming error: UnsafeMutablePointer<GError>?) {
        guard let error else {
            self.init(context)
            return
        }
        defer { g_error_free(error) }
        self.init("\(context): \(error.pointee.message.map { String(cString: $0) } ?? "no message")")
    }

    init(_ context: String, status: cairo_status_t) {
        self.init("\(context): \(String(cString: cairo_status_to_string(status)))")
    }
}

/// An opaque RGB image in cairo's memory (CAIRO_FORMAT_RGB24), freed with the object; what librsvg
/// draws on and what writes PNG files.
final class CairoImage {
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
        // cairo never returns NULL: failures come back as an "error surface" whose status says why.
        let surface: OpaquePointer = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw PictureError("cairo could not make a \(width)×\(height) image", status: status)
        }
        self.surface = surface
        self.width = width
        self.height = height
    }

    deinit {
        cairo_surface_destroy(surface)
    }

    /// Sets the pixels from `words`, row by row, one 0x00RRGGBB word per pixel: how RGB24 keeps a pixel
    /// in memory (a native-endian 32-bit word), in rows `stride` bytes apart.
    func setPixels(_ words: [UInt32]) {
        precondition(words.count == width * height, "\(words.count) pixels for a \(width)×\(height) image")
        cairo_surface_flush(surface)
        let data = cairo_image_surface_get_data(surface)!
        let stride = Int(cairo_image_surface_get_stride(surface))
        words.withUnsafeBufferPointer { words in
            for y in 0..<height {
                UnsafeMutableRawPointer(data + y * stride)
                    .copyMemory(from: words.baseAddress! + y * width, byteCount: width * 4)
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    /// The image as a PNG file (8-bit RGB, no alpha), written by cairo into memory.
    func png() throws -> [UInt8] {
        let sink = ByteSink()
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        }
        guard status == CAIRO_STATUS_SUCCESS else { throw PictureError("cairo could not write the PNG", status: status) }
        return sink.bytes
    }

    /// Collects what cairo's stream writer hands over; a class so the C callback can reach it.
    private final class ByteSink {
        var bytes: [UInt8] = []
    }
}
