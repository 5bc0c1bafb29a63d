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
