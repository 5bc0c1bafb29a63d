/// Colours charts use: a qualitative palette for series and a perceptually even map for values.
public enum ChartColours {
    /// Tableau's ten, the default cycle of matplotlib: distinct hues of similar weight.
    public static let series: [RGBColour] = [
        RGBColour(r: 0x1f, g: 0x77, b: 0xb4), RGBColour(r: 0xff, g: 0x7f, b: 0x0e), RGBColour(r: 0x2c, g: 0xa0, b: 0x2c),
        RGBColour(r: 0xd6, g: 0x27, b: 0x28), RGBColour(r: 0x94, g: 0x67, b: 0xbd), RGBColour(r: 0x8c, g: 0x56, b: 0x4b),
        RGBColour(r: 0xe3, g: 0x77, b: 0xc2), RGBColour(r: 0x7f, g: 0x7f, b: 0x7f), RGBColour(r: 0xbc, g: 0xbd, b: 0x22),
        RGBColour(r: 0x17, g: 0xbe, b: 0xcf),
    ]

    static let axis = RGBColour(r: 0x33, g: 0x33, b: 0x33)
    static let grid = RGBColour(r: 0xe6, g: 0xe6, b: 0xe6)
    static let mutedText = RGBColour(r: 0x66, g: 0x66, b: 0x66)
    static let missing = RGBColour(r: 0xd9, g: 0xd9, b: 0xd9)
    static let highlight = RGBColour(r: 0xe4, g: 0x1a, b: 0x1c)

    /// Viridis sampled at nine points and interpolated linearly between them: dark blue for low, yellow
    /// for high, readable in grey and by most colour-blind readers.
    static let viridisStops: [(Double, Double, Double)] = [
        (0.267, 0.005, 0.329), (0.279, 0.175, 0.483), (0.230, 0.322, 0.546), (0.173, 0.449, 0.558),
        (0.128, 0.567, 0.551), (0.153, 0.680, 0.507), (0.362, 0.786, 0.388), (0.678, 0.864, 0.190),
        (0.993, 0.906, 0.144),
    ]

    /// The colour for `t` in 0…1 (clamped).
    public static func viridis(_ t: Double) -> RGBColour {
        let t = t.isFinite ? min(1, max(0, t)) : 0
        let position = t * Double(viridisStops.count - 1)
        let i = min(viridisStops.count - 2, Int(position))
        let f = position - Double(i)
        let (a, b) = (viridisStops[i], viridisStops[i + 1])
        func channel(_ x: Double, _ y: Double) -> UInt8 { UInt8((255 * (x + f * (y - x))).rounded()) }
        return RGBColour(r: channel(a.0, b.0), g: channel(a.1, b.1), b: channel(a.2, b.2))
    }

    /// Black or white, whichever reads better on `background`.
    static func text(on background: RGBColour) -> RGBColour {
        let luminance = 0.299 * Double(background.r) + 0.587 * Double(background.g) + 0.114 * Double(background.b)
        return luminance > 140 ? .black : .white
    }
}
