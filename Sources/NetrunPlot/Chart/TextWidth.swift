/// How wide text will be, estimated rather than measured: the same layout must hold for the SVG in a
/// browser and for any renderer of it, and a sans font's characters average about 0.6 em.
enum TextWidth {
    static func of(_ text: String, size: Double = 11) -> Double {
        0.6 * size * Double(text.count)
    }

    /// The widest of `texts`, 0 when there are none.
    static func widest(_ texts: [String], size: Double = 11) -> Double {
        texts.map { of($0, size: size) }.max() ?? 0
    }
}
