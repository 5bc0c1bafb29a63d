import SystemRsvg

/// Turns SVG documents into PNG with librsvg and cairo, so a PNG is exactly the SVG netrun would have
/// written, its text set in a real font (DejaVu Sans, Liberation Sans, … through fontconfig).
public enum SVGRenderer {
    /// `svg` drawn at `pixelScale` pixels per SVG pixel on white, as PNG bytes (8-bit RGB). An SVG that
    /// librsvg cannot read, or a picture too large for cairo, is a thrown `PictureError`.
    public static func png(_ svg: String, pixelScale: Double = 1) throws -> [UInt8] {
        try render(svg, pixelScale: pixelScale).png()
    }

    static func render(_ svg: String, pixelScale: Double) throws -> CairoImage {
        guard pixelScale.isFinite, pixelScale > 0 else { throw PictureError("pixel scale must be positive, got \(pixelScale)") }
        let handle = try load(svg)
        defer { g_object_unref(UnsafeMutableRawPointer(handle)) }

        var width = 0.0, height = 0.0
        guard rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) != 0 else {
            throw PictureError("the SVG has no width and height in pixels")
        }
        let image = try CairoImage(width: Int((width * pixelScale).rounded(.up)),
                                   height: Int((height * pixelScale).rounded(.up)))
        let context: OpaquePointer = cairo_create(image.surface)
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        var viewport = RsvgRectangle(x: 0, y: 0, width: width * pixelScale, height: height * pixelScale)
        var error: UnsafeMutablePointer<GError>?
        guard rsvg_handle_render_document(handle, context, &viewport, &error) != 0 else {
            throw PictureError("librsvg could not draw the SVG", consuming: error)
        }
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else { throw PictureError("cairo could not draw the SVG", status: status) }
        cairo_surface_flush(image.surface)
        return image
    }

    /// Parses the whole document up front, so a malformed SVG fails here with librsvg's message (line
    /// and column) rather than later while drawing. No base URI is set, so librsvg loads no files: only
    /// `data:` images, which are all netrun's SVGs embed.
    private static func load(_ svg: String) throws -> UnsafeMutablePointer<RsvgHandle> {
        let bytes = Array(svg.utf8)
        guard !bytes.isEmpty else { throw PictureError("librsvg could not read the SVG: it is empty") }
        var error: UnsafeMutablePointer<GError>?
        let handle = bytes.withUnsafeBufferPointer { rsvg_handle_new_from_data($0.baseAddress, gsize($0.count), &error) }
        guard let handle else { throw PictureError("librsvg could not read the SVG", consuming: error) }
        return handle
    }
}
