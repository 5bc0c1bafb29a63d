/// How wide a line of text is drawn, estimated without a font library so labels can be laid out before
/// anything is rendered (and the same layout holds in a browser showing the SVG).
///
/// The advances are DejaVu Sans's, the first and widest font of `SVGCanvas.fontFamily`; the fonts after
/// it (Liberation Sans, Arial, Helvetica) are narrower, so a label measured here fits wherever it is
/// shown. Characters outside printable ASCII count as a full em, as wide as any glyph gets.
enum TextWidth {
    /// Advances of ASCII 32…126 in thousandths of an em, as cairo reports them for DejaVu Sans Book.
    static let advances: [Int] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
        1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
    ]

    /// The width of `text` set at `size` pixels per em.
    static func estimate(_ text: String, size: Double) -> Double {
        let thousandths = text.unicodeScalars.reduce(0) { sum, scalar in
            let code = Int(scalar.value)
            return sum + ((32...126).contains(code) ? advances[code - 32] : 1000)
        }
        return Double(thousandths) * size / 1000
    }

    /// The width of `text` at `size`, as charts lay out their labels.
    static func of(_ text: String, size: Double = 11) -> Double {
        estimate(text, size: size)
    }

    /// The widest of `texts`, 0 when there are none.
    static func widest(_ texts: [String], size: Double = 11) -> Double {
        texts.map { of($0, size: size) }.max() ?? 0
    }
}
