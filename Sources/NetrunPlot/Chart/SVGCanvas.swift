import Foundation

/// Draws charts as an SVG 1.1 document: plain elements, no scripts, no external fonts, so any browser,
/// Inkscape or librsvg (which draws netrun's PNGs from it) shows the same picture.
public struct SVGCanvas: ChartCanvas {
    /// Fonts installed on most machines, widest first: DejaVu Sans on Debian (fonts-dejavu-core, the
    /// first font Debian's fontconfig depends on), Liberation Sans, then Arial and Helvetica elsewhere.
    static let fontFamily = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

    public let width: Double
    public let height: Double
    private var body = ""
    private var depth = 1

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    public mutating func polyline(_ points: [CanvasPoint], colour: RGBColour, width: Double, dashed: Bool) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        emit("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(Self.hex(colour))\" stroke-width=\"\(Self.number(width))\""
             + " stroke-linejoin=\"round\"\(dash)/>")
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double,
                                   fill: RGBColour?, stroke: RGBColour?, strokeWidth: Double) {
        var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\""
            + " height=\"\(Self.number(height))\" fill=\"\(fill.map(Self.hex) ?? "none")\""
        if let stroke { attributes += " stroke=\"\(Self.hex(stroke))\" stroke-width=\"\(Self.number(strokeWidth))\"" }
        emit("<rect \(attributes)/>")
    }

    public mutating func text(_ text: String, x: Double, y: Double, anchor: TextAnchor, size: Double,
                              colour: RGBColour, vertical: Bool) {
        // 0.35 em below the centre is where the baseline of mixed-case text sits.
        let rotate = vertical ? " transform=\"rotate(-90 \(Self.number(x)) \(Self.number(y)))\"" : ""
        emit("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y + 0.35 * size))\" font-size=\"\(Self.number(size))\""
             + " text-anchor=\"\(anchor.rawValue)\" fill=\"\(Self.hex(colour))\"\(rotate)>\(Self.escape(text))</text>")
    }

    public mutating func beginGroup(kind: String, name: String?) {
        let dataName = name.map { " data-name=\"\(Self.escape($0))\"" } ?? ""
        emit("<g class=\"\(Self.escape(kind))\"\(dataName)>")
        depth += 1
    }

    public mutating func endGroup() {
        depth -= 1
        emit("</g>")
    }

    /// The finished document, with its XML declaration.
    public func document() -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(Self.number(width))" \
        height="\(Self.number(height))" viewBox="0 0 \(Self.number(width)) \(Self.number(height))" \
        font-family="\(Self.fontFamily)">
        <rect width="100%" height="100%" fill="#ffffff"/>
        \(body)</svg>

        """
    }

    private mutating func emit(_ element: String) {
        body += String(repeating: "  ", count: depth - 1) + element + "\n"
    }

    /// Run names and config values go into the document, so they are escaped for both text and
    /// attribute positions, as in the HTML report (one escaping for both).
    static func escape(_ text: String) -> String { HTMLPage.escape(text) }

    /// Two decimals are finer than any screen; trailing zeros are dropped to keep files small.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    static func hex(_ colour: RGBColour) -> String {
        String(format: "#%02x%02x%02x", colour.r, colour.g, colour.b)
    }
}
