import Foundation

/// A grid of values coloured from low (dark blue) to high (yellow), with a colour bar and the best cell
/// outlined: a sweep's validation accuracy over learning rate × regularisation.
public struct Heatmap: Chart, Sendable {
    /// A cell's value, or nil for a trial without one, shown grey with `note` (e.g. "diverged").
    public struct Cell: Sendable {
        public var value: Double?
        public var note: String?

        public init(value: Double?, note: String? = nil) {
            self.value = value
            self.note = note
        }
    }

    public var title: String
    public var x: HeatmapAxis
    public var y: HeatmapAxis
    /// `cells[row][column]`: row indexes `y`'s values (the first drawn at the bottom), column `x`'s.
    public var cells: [[Cell]]
    /// Every cell holding the best value: more than one when trials tie, and then all are outlined.
    public var best: [(column: Int, row: Int)]
    public var valueLabel: String
    public var caption: String?
    /// For losses, low is good: the colours turn round so the best cells are still the bright ones.
    public var higherIsBetter: Bool

    public init(title: String, x: HeatmapAxis, y: HeatmapAxis, cells: [[Cell]], best: [(column: Int, row: Int)],
                valueLabel: String, caption: String? = nil, higherIsBetter: Bool = true) {
        precondition(cells.count == y.count && cells.allSatisfy { $0.count == x.count },
                     "heatmap cells must be \(y.count) rows of \(x.count)")
        self.title = title
        self.x = x
        self.y = y
        self.cells = cells
        self.best = best
        self.valueLabel = valueLabel
        self.caption = caption
        self.higherIsBetter = higherIsBetter
    }

    static let plotSize = (width: 520.0, height: 340.0)
    static let margin = (left: 96.0, top: 52.0, right: 120.0, bottom: 58.0)

    /// Wide enough for the longest value up the side and the axis title beside it.
    var leftMargin: Double {
        max(Self.margin.left, TextWidth.widest(y.tickLabels) + 7 + 30)
    }

    public var size: (width: Double, height: Double) {
        (leftMargin + Self.plotSize.width + Self.margin.right, Self.margin.top + Self.plotSize.height + Self.margin.bottom)
    }

    /// The title, saying how many trials share the best value when more than one does.
    var heading: String {
        best.count > 1 ? "\(title) (\(best.count) tied for best)" : title
    }

    public func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, originX: Double, originY: Double) {
        let left = originX + leftMargin, top = originY + Self.margin.top
        let (plotWidth, plotHeight) = Self.plotSize
        let bottom = top + plotHeight
        canvas.text(heading, x: originX + size.width / 2, y: originY + 18, anchor: .middle, size: 14)
        if let caption {
            canvas.text(caption, x: originX + size.width / 2, y: originY + 37, anchor: .middle, size: 11,
                        colour: ChartColours.mutedText)
        }

        let values = cells.flatMap { $0.compactMap(\.value) }.filter(\.isFinite)
        let format = NumberFormat.measurements(values)
        let bar = ColourBar(label: valueLabel, low: values.min() ?? 0, high: values.max() ?? 1, hasValues: !values.isEmpty,
                            higherIsBetter: higherIsBetter, format: format)
        func frame(_ column: Int, _ row: Int) -> (x: Double, y: Double, width: Double, height: Double) {
            let across = x.span(column), up = y.span(row)
            return (left + across.start * plotWidth, bottom - up.end * plotHeight,
                    (across.end - across.start) * plotWidth, (up.end - up.start) * plotHeight)
        }

        for row in 0..<y.count {
            for column in 0..<x.count {
                let cell = cells[row][column], box = frame(column, row)
                let fill = cell.value.flatMap { $0.isFinite ? bar.colour($0) : nil } ?? ChartColours.missing
                canvas.beginGroup(kind: "cell", name: "\(x.tickLabels[column]) \(y.tickLabels[row])")
                canvas.rectangle(x: box.x, y: box.y, width: box.width, height: box.height, fill: fill,
                                 stroke: .white, strokeWidth: 1)
                let text = cell.value.map { format($0) } ?? cell.note ?? "n/a"
                if box.width >= TextWidth.of(text) + 6 && box.height >= 15 {
                    canvas.text(text, x: box.x + box.width / 2, y: box.y + box.height / 2, anchor: .middle,
                                size: 11, colour: ChartColours.text(on: fill))
                }
                canvas.endGroup()
            }
        }
        for marked in best {
            let box = frame(marked.column, marked.row)
            canvas.beginGroup(kind: "best", name: "\(x.tickLabels[marked.column]) \(y.tickLabels[marked.row])")
            canvas.rectangle(x: box.x + 1.5, y: box.y + 1.5, width: box.width - 3, height: box.height - 3, fill: nil,
                             stroke: ChartColours.highlight, strokeWidth: 3)
            canvas.endGroup()
        }

        canvas.beginGroup(kind: "axes", name: nil)
        for column in 0..<x.count {
            let span = x.span(column), centre = left + (span.start + span.end) / 2 * plotWidth
            canvas.line(from: CanvasPoint(x: centre, y: bottom), to: CanvasPoint(x: centre, y: bottom + 4),
                        colour: ChartColours.axis)
            canvas.text(x.tickLabels[column], x: centre, y: bottom + 14, anchor: .middle, colour: ChartColours.axis)
        }
        for row in 0..<y.count {
            let span = y.span(row), centre = bottom - (span.start + span.end) / 2 * plotHeight
            canvas.line(from: CanvasPoint(x: left - 4, y: centre), to: CanvasPoint(x: left, y: centre),
                        colour: ChartColours.axis)
            canvas.text(y.tickLabels[row], x: left - 7, y: centre, anchor: .end, colour: ChartColours.axis)
        }
        canvas.text(x.label, x: left + plotWidth / 2, y: bottom + 38, anchor: .middle, size: 12,
                    colour: ChartColours.axis)
        // Turned text is centred on x: half its 12-point height clear of the widest value.
        canvas.text(y.label, x: left - 7 - TextWidth.widest(y.tickLabels) - 14, y: top + plotHeight / 2, anchor: .middle,
                    size: 12, colour: ChartColours.axis, vertical: true)
        canvas.endGroup()

        bar.draw(on: &canvas, x: left + plotWidth + 28, top: top, height: plotHeight)
    }

    /// Three significant digits: enough to tell 0.912 from 0.915.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        let magnitude = abs(value)
        return magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? AxisTicks.exponent(value)
            : String(format: "%.3g", value)
    }
}
