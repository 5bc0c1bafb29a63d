/// A point on a chart canvas, in logical pixels with y growing downwards.
public struct CanvasPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// How a text's x coordinate relates to the text: its start, middle or end.
public enum TextAnchor: String, Sendable {
    case start, middle, end
}

/// What charts draw on. Charts lay themselves out once and draw through this protocol; the PNG of a
/// chart is its SVG rendered by librsvg, so both show the same thing.
///
/// Coordinates are logical pixels. Text is placed by its vertical centre, so a canvas need not know
/// where a font puts its baseline.
public protocol ChartCanvas {
    /// A connected line through `points`; dashed lines are how validation curves differ from training.
    mutating func polyline(_ points: [CanvasPoint], colour: RGBColour, width: Double, dashed: Bool)
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double,
                            fill: RGBColour?, stroke: RGBColour?, strokeWidth: Double)
    /// `size` is the font's height in logical pixels; `vertical` turns the text to read bottom to top.
    mutating func text(_ text: String, x: Double, y: Double, anchor: TextAnchor, size: Double,
                       colour: RGBColour, vertical: Bool)
    /// Starts a named group (an SVG `<g class=… data-name=…>`), so tests and scripts can find a series
    /// or a cell in the output.
    mutating func beginGroup(kind: String, name: String?)
    mutating func endGroup()
}

extension ChartCanvas {
    mutating func line(from a: CanvasPoint, to b: CanvasPoint, colour: RGBColour, width: Double = 1) {
        polyline([a, b], colour: colour, width: width, dashed: false)
    }

    mutating func text(_ text: String, x: Double, y: Double, anchor: TextAnchor = .start, size: Double = 11,
                       colour: RGBColour = .black) {
        self.text(text, x: x, y: y, anchor: anchor, size: size, colour: colour, vertical: false)
    }
}

/// Something that draws itself into a rectangle of a known size, so charts can be stacked.
public protocol Chart: Sendable {
    var size: (width: Double, height: Double) { get }
    func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, originX: Double, originY: Double)
}

extension Chart {
    /// The chart alone as an SVG document.
    public func svg() -> String {
        ChartPage(charts: [self]).svg()
    }

    /// The chart alone as a PNG image, drawn at `pixelScale` pixels per logical pixel.
    public func png(pixelScale: Int = 2) throws -> [UInt8] {
        try ChartPage(charts: [self]).png(pixelScale: pixelScale)
    }
}

/// Charts one above the other in one picture: a run's loss over its accuracy.
public struct ChartPage: Sendable {
    public var charts: [any Chart]

    public init(charts: [any Chart]) {
        self.charts = charts
    }

    public var size: (width: Double, height: Double) {
        (charts.map(\.size.width).max() ?? 1, max(1, charts.map(\.size.height).reduce(0, +)))
    }

    public func svg() -> String {
        var canvas = SVGCanvas(width: size.width, height: size.height)
        drawAll(on: &canvas)
        return canvas.document()
    }

    /// The page's SVG drawn by librsvg at `pixelScale` pixels per logical pixel (two by default, so
    /// text stays sharp on high-density screens); a failure is a thrown `PictureError`.
    public func png(pixelScale: Int = 2) throws -> [UInt8] {
        try SVGRenderer.png(svg(), pixelScale: Double(pixelScale))
    }

    private func drawAll<Canvas: ChartCanvas>(on canvas: inout Canvas) {
        var y = 0.0
        for chart in charts {
            chart.draw(on: &canvas, originX: 0, originY: y)
            y += chart.size.height
        }
    }
}
