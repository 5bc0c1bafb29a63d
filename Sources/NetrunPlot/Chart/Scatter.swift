import Foundation

/// Trials as points over two swept keys, coloured from the worst (dark blue) to the best (yellow)
/// value of the metric, with a colour bar and the best trial outlined: a random sweep's
/// validation accuracy over learning rate × regularisation.
public struct Scatter: Chart, Sendable {
    /// One trial; `value` nil (a diverged or unfinished trial) is drawn grey.
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var value: Double?
        /// Names the point's SVG group, e.g. `trial 7`.
        public var name: String

        public init(x: Double, y: Double, value: Double?, name: String) {
            self.x = x
            self.y = y
            self.value = value
            self.name = name
        }
    }

    /// A numeric axis, linear or in powers of ten.
    public struct Axis: Sendable {
        public var label: String
        public var log: Bool

        public init(label: String, log: Bool) {
            self.label = label
            self.log = log
        }
    }

    public var title: String
    public var x: Axis
    public var y: Axis
    public var points: [Point]
    /// The index in `points` of the best trial.
    public var best: Int?
    public var valueLabel: String
    public var caption: String?
    /// For losses, low is good: the colours turn round so the best points are still the bright ones.
    public var higherIsBetter: Bool

    public init(title: String, x: Axis, y: Axis, points: [Point], best: Int?, valueLabel: String,
                caption: String? = nil, higherIsBetter: Bool = true) {
        self.title = title
        self.x = x
        self.y = y
        self.points = points
        self.best = best
        self.valueLabel = valueLabel
        self.caption = caption
        self.higherIsBetter = higherIsBetter
    }

    public var size: (width: Double, height: Double) {
        (Heatmap.margin.left + Heatmap.plotSize.width + Heatmap.margin.right,
         Heatmap.margin.top + Heatmap.plotSize.height + Heatmap.margin.bottom)
    }

    public func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, originX: Double, originY: Double) {
        let left = originX + Heatmap.margin.left, top = originY + Heatmap.margin.top
        let (plotWidth, plotHeight) = Heatmap.plotSize
        let bottom = top + plotHeight
        canvas.text(title, x: originX + size.width / 2, y: originY + 18, anchor: .middle, size: 14)
        if let caption {
            canvas.text(caption, x: originX + size.width / 2, y: originY + 37, anchor: .middle, size: 11,
                        colour: ChartColours.mutedText)
        }
        let across = Scale(x, points.map(\.x)), up = Scale(y, points.map(\.y))
        // Points sit inside the frame: a 4% pad keeps the extreme trials off the axes.
        func position(_ point: Point) -> CanvasPoint {
            CanvasPoint(x: left + (0.02 + 0.96 * across.fraction(point.x)) * plotWidth,
                        y: bottom - (0.02 + 0.96 * up.fraction(point.y)) * plotHeight)
        }

        canvas.beginGroup(kind: "axes", name: nil)
        canvas.rectangle(x: left, y: top, width: plotWidth, height: plotHeight, fill: nil, stroke: ChartColours.axis,
                         strokeWidth: 1)
        for (tick, label) in zip(across.ticks, across.labels) {
            let at = left + (0.02 + 0.96 * across.fraction(tick)) * plotWidth
            canvas.line(from: CanvasPoint(x: at, y: top), to: CanvasPoint(x: at, y: bottom), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: at, y: bottom), to: CanvasPoint(x: at, y: bottom + 4), colour: ChartColours.axis)
            canvas.text(label, x: at, y: bottom + 14, anchor: .middle, colour: ChartColours.axis)
        }
        for (tick, label) in zip(up.ticks, up.labels) {
            let at = bottom - (0.02 + 0.96 * up.fraction(tick)) * plotHeight
            canvas.line(from: CanvasPoint(x: left, y: at), to: CanvasPoint(x: left + plotWidth, y: at), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: left - 4, y: at), to: CanvasPoint(x: left, y: at), colour: ChartColours.axis)
            canvas.text(label, x: left - 7, y: at, anchor: .end, colour: ChartColours.axis)
        }
        canvas.text(x.label + (x.log ? " (log scale)" : ""), x: left + plotWidth / 2, y: bottom + 38, anchor: .middle,
                    size: 12, colour: ChartColours.axis)
        canvas.text(y.label + (y.log ? " (log scale)" : ""), x: originX + 16, y: top + plotHeight / 2, anchor: .middle,
                    size: 12, colour: ChartColours.axis, vertical: true)
        canvas.endGroup()

        let values = points.compactMap(\.value).filter(\.isFinite)
        let bar = ColourBar(label: valueLabel, low: values.min() ?? 0, high: values.max() ?? 1, hasValues: !values.isEmpty,
                            higherIsBetter: higherIsBetter)
        for point in points {
            let at = position(point)
            let fill = point.value.flatMap { $0.isFinite ? bar.colour($0) : nil } ?? ChartColours.missing
            canvas.beginGroup(kind: "point", name: point.name)
            canvas.rectangle(x: at.x - 3.5, y: at.y - 3.5, width: 7, height: 7, fill: fill, stroke: ChartColours.axis,
                             strokeWidth: 0.5)
            canvas.endGroup()
        }
        if let best, points.indices.contains(best) {
            let at = position(points[best])
            canvas.beginGroup(kind: "best", name: points[best].name)
            canvas.rectangle(x: at.x - 7, y: at.y - 7, width: 14, height: 14, fill: nil, stroke: ChartColours.highlight,
                             strokeWidth: 2.5)
            canvas.endGroup()
        }
        bar.draw(on: &canvas, x: left + plotWidth + 28, top: top, height: plotHeight)
    }

    /// Where values fall along an axis: linear between round ticks, or logarithmic between whole powers of ten.
    struct Scale {
        let log: Bool
        let low: Double, high: Double
        let ticks: [Double]
        let labels: [String]

        init(_ axis: Axis, _ values: [Double]) {
            log = axis.log
            if axis.log {
                let exponents = values.filter { $0 > 0 && $0.isFinite }.map(log10)
                let first = (exponents.min() ?? 0).rounded(.down)
                let last = max(first + 1, (exponents.max() ?? 1).rounded(.up))
                (low, high) = (first, last)
                ticks = stride(from: first, through: last, by: 1).map { pow(10, $0) }
                labels = ticks.map(AxisTicks.compact)
            } else {
                let finite = values.filter(\.isFinite)
                let nice = AxisTicks.nice(low: finite.min() ?? 0, high: finite.max() ?? 1)
                (low, high) = (nice.low, nice.high)
                ticks = nice.ticks
                labels = AxisTicks.labels(nice.ticks)
            }
        }

        /// 0 at the axis's low end, 1 at its high end.
        func fraction(_ value: Double) -> Double {
            let position = log ? log10(max(value, .leastNormalMagnitude)) : value
            return high > low ? (position - low) / (high - low) : 0.5
        }
    }
}
