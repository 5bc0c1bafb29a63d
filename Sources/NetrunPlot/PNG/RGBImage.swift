/// One 8-bit RGB colour; its own type so drawing calls read as colours rather than three loose bytes.
public struct RGBColour: Sendable, Hashable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// The same value in all three channels, which is how single-channel (grayscale) data is shown.
    public init(gray: UInt8) {
        self.init(r: gray, g: gray, b: gray)
    }

    public static let white = RGBColour(r: 255, g: 255, b: 255)
    public static let black = RGBColour(r: 0, g: 0, b: 0)
}

/// A plain in-memory raster, laid out exactly as PNG's colour type 2 stores it (RGB, 8 bits, rows top to
/// bottom) so the encoder can filter rows straight out of `pixels` without converting.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// RGB, row-major, 3 bytes per pixel: pixel (x, y) starts at `(y * width + x) * 3`.
    public var pixels: [UInt8]

    /// PNG cannot hold an empty image, so both sides must be at least 1.
    public init(width: Int, height: Int, fill: RGBColour = .white) {
        precondition(width > 0 && height > 0, "an image needs at least one pixel (got \(width)×\(height))")
        self.width = width
        self.height = height
        var row = [UInt8]()
        row.reserveCapacity(width * 3)
        for _ in 0..<width { row.append(contentsOf: [fill.r, fill.g, fill.b]) }
        var all = [UInt8]()
        all.reserveCapacity(width * height * 3)
        for _ in 0..<height { all.append(contentsOf: row) }
        self.pixels = all
    }

    /// Reading or writing outside the image is a programming error here; use `set` for drawing that may
    /// run off an edge.
    public subscript(x: Int, y: Int) -> RGBColour {
        get {
            precondition(contains(x: x, y: y), "pixel (\(x), \(y)) is outside \(width)×\(height)")
            let i = (y * width + x) * 3
            return RGBColour(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2])
        }
        set {
            precondition(contains(x: x, y: y), "pixel (\(x), \(y)) is outside \(width)×\(height)")
            let i = (y * width + x) * 3
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }

    /// Silently ignores pixels outside the image, so text and tiles near an edge are clipped rather
    /// than trapping.
    public mutating func set(x: Int, y: Int, r: UInt8, g: UInt8, b: UInt8) {
        guard contains(x: x, y: y) else { return }
        let i = (y * width + x) * 3
        pixels[i] = r
        pixels[i + 1] = g
        pixels[i + 2] = b
    }

    /// Clipped like `set(x:y:r:g:b:)`.
    public mutating func set(x: Int, y: Int, colour: RGBColour) {
        set(x: x, y: y, r: colour.r, g: colour.g, b: colour.b)
    }

    /// Fills a rectangle, clipped to the image; the building block for enlarged pixels and glyph dots.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, colour: RGBColour) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            var i = (yy * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = colour.r
                pixels[i + 1] = colour.g
                pixels[i + 2] = colour.b
                i += 3
            }
        }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && x < width && y >= 0 && y < height
    }
}
