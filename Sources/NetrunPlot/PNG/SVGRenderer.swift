/// Turns SVG documents into PNG with librsvg and cairo, so a PNG is exactly the SVG netrun would have
/// written, its text set in a real font (DejaVu Sans, Liberation Sans, … through fontconfig).
public enum SVGRenderer {
    /// `svg` drawn at `pixelScale` pixels per SVG pixel on white, as PNG bytes (8-bit RGB). An SVG that
    /// librsvg cannot read, a picture too large for cairo, or librsvg missing is a thrown `PictureError`.
    public static func png(_ svg: String, pixelScale: Double = 1) throws -> [UInt8] {
        try render(svg, pixelScale: pixelScale).png()
    }

    static func render(_ svg: String, pixelScale: Double) throws -> CairoImage {
        guard pixelScale.isFinite, pixelScale > 0 else { throw PictureError("pixel scale must be positive, got \(pixelScale)") }
        let rsvg = try LibRsvg.load()
        let handle = try load(svg, rsvg)
        defer { rsvg.objectUnref(handle) }

        var width = 0.0, height = 0.0
        guard rsvg.handleGetIntrinsicSizeInPixels(handle, &width, &height) != 0 else {
            throw PictureError("the SVG has no width and height in pixels")
        }
        let image = try CairoImage(width: Int((width * pixelScale).rounded(.up)),
                                   height: Int((height * pixelScale).rounded(.up)))
        guard let context = rsvg.create(image.surface) else { throw PictureError("cairo could not make a drawing context") }
        defer { rsvg.destroy(context) }
        rsvg.setSourceRGB(context, 1, 1, 1)
        rsvg.paint(context)
        var viewport = LibRsvg.Rectangle(x: 0, y: 0, width: width * pixelScale, height: height * pixelScale)
        var error: UnsafeMutableRawPointer?
        guard withUnsafePointer(to: &viewport, { rsvg.handleRenderDocument(handle, context, $0, &error) }) != 0 else {
            throw PictureError("librsvg could not draw the SVG", consuming: error, rsvg)
        }
        let status = rsvg.status(context)
        guard status == LibRsvg.success else { throw PictureError("cairo could not draw the SVG: \(rsvg.text(status))") }
        rsvg.surfaceFlush(image.surface)
        return image
    }

    /// Parses the whole document up front, so a malformed SVG fails here with librsvg's message (line
    /// and column) rather than later while drawing. No base URI is set, so librsvg loads no files: only
    /// `data:` images, which are all netrun's SVGs embed.
    private static func load(_ svg: String, _ rsvg: LibRsvg) throws -> OpaquePointer {
        let bytes = Array(svg.utf8)
        guard !bytes.isEmpty else { throw PictureError("librsvg could not read the SVG: it is empty") }
        var error: UnsafeMutableRawPointer?
        let handle = bytes.withUnsafeBufferPointer { rsvg.handleNewFromData($0.baseAddress, $0.count, &error) }
        guard let handle else { throw PictureError("librsvg could not read the SVG", consuming: error, rsvg) }
        return handle
    }
}
