import Foundation

/// Draws charts into an `RGBImage` for PNG output: square-pen lines, filled rectangles and the
/// built-in bitmap font. Drawn at `pixelScale` pixels per logical pixel because the 5×7 font needs
/// about two pixels per dot to read comfortably.
public struct RasterCanvas: ChartCanvas {
    public private(set) var image: RGBImage
    public let pixelScale: Int

    public init(width: Double, height: Double, pixelScale: Int = 2) {
        precondition(pixelScale >= 1, "pixelScale must be at least 1")
        self.pixelScale = pixelScale
        image = RGBImage(width: max(1, Int((width * Double(pixelScale)).rounded(.up))),
                         height: max(1, Int((height * Double(pixelScale)).rounded(.up))))
    }

    public mutating func polyline(_ points: [CanvasPoint], colour: RGBColour, width: Double, dashed: Bool) {
        let scale = Double(pixelScale)
        let pen = max(1, Int((width * scale).rounded()))
        // The dash pattern runs on along the whole line, as SVG's does, rather than restarting per segment.
        let on = 6 * scale, period = 10 * scale
        var travelled = 0.0
        for (a, b) in zip(points, points.dropFirst()) {
            let x0 = a.x * scale, y0 = a.y * scale, x1 = b.x * scale, y1 = b.y * scale
            let length = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
            let steps = max(1, Int(length.rounded(.up)))
            for i in 0...steps {
                let t = Double(i) / Double(steps)
                if dashed, (travelled + t * length).truncatingRemainder(dividingBy: period) >= on { continue }
                let x = Int((x0 + t * (x1 - x0)).rounded()) - pen / 2
                let y = Int((y0 + t * (y1 - y0)).rounded()) - pen / 2
                image.fillRect(x: x, y: y, width: pen, height: pen, colour: colour)
            }
            travelled += length
        }
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double,
                                   fill: RGBColour?, stroke: RGBColour?, strokeWidth: Double) {
        let scale = Double(pixelScale)
        let left = Int((x * scale).rounded()), top = Int((y * scale).rounded())
        let right = Int(((x + width) * scale).rounded()), bottom = Int(((y + height) * scale).rounded())
        if let fill {
            image.fillRect(x: left, y: top, width: right - left, height: bottom - top, colour: fill)
        }
        if let stroke {
            // Centred on the edge, like an SVG stroke.
            let pen = max(1, Int((strokeWidth * scale).rounded())), half = pen / 2
            image.fillRect(x: left - half, y: top - half, width: right - left + pen, height: pen, colour: stroke)
            image.fillRect(x: left - half, y: bottom - half, width: right - left + pen, height: pen, colour: stroke)
            image.fillRect(x: left - half, y: top - half, width: pen, height: bottom - top + pen, colour: stroke)
            image.fillRect(x: right - half, y: top - half, width: pen, height: bottom - top + pen, colour: stroke)
        }
    }

    public mutating func text(_ text: String, x: Double, y: Double, anchor: TextAnchor, size: Double,
                              colour: RGBColour, vertical: Bool) {
        let scale = Double(pixelScale)
        let text = Self.transliterated(text)
        let dot = max(1, Int((size * scale / 9).rounded()))
        let length = BitmapFont.textWidth(text, scale: dot), thickness = BitmapFont.textHeight(scale: dot)
        let shift = anchor == .start ? 0 : anchor == .middle ? length / 2 : length
        let cx = Int((x * scale).rounded()), cy = Int((y * scale).rounded())
        guard vertical else {
            image.drawText(text, x: cx - shift, y: cy - thickness / 2, scale: dot, colour: colour)
            return
        }
        // Turned a quarter left: along the text is up the image, down a glyph is right.
        let left = cx - thickness / 2, base = cy + shift
        BitmapFont.forEachDot(of: text, scale: dot) { along, down in
            image.fillRect(x: left + down, y: base - along - dot, width: dot, height: dot, colour: colour)
        }
    }

    public mutating func beginGroup(kind: String, name: String?) {}
    public mutating func endGroup() {}

    /// The bitmap font is ASCII; the few other characters chart labels use get their nearest ASCII
    /// form rather than the missing-glyph box.
    static func transliterated(_ text: String) -> String {
        let replacements: [Character: String] = ["×": "x", "−": "-", "–": "-", "—": "-", "·": ".", "…": "...",
                                                 "≤": "<=", "≥": ">=", "→": "->", "²": "2", "³": "3"]
        return text.reduce(into: "") { out, character in out += replacements[character] ?? String(character) }
    }
}
