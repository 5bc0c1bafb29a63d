import Foundation

/// Lines against a shared x axis with labelled axes, round ticks and a legend: loss or accuracy of one
/// or more runs against the step or epoch.
public struct LineChart: Chart, Sendable {
    /// One line. Non-finite values (a diverged loss) break the line instead of wrecking the axis.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var colour: RGBColour?
        public var dashed: Bool
        /// nil: plain for a series with its own colour, else the palette's turn (`Marker.forSeries`).
        public var marker: Marker?
        /// The run diverged: an × at its last drawn point, "(diverged)" after its name in the legend.
        public var diverged: Bool

        /// `colour` nil takes the next palette colour.
        public init(name: String, points: [(x: Double, y: Double)], colour: RGBColour? = nil, dashed: Bool = false,
                    marker: Marker? = nil, diverged: Bool = false) {
            self.name = name
            self.points = points
            self.colour = colour
            self.dashed = dashed
            self.marker = marker
            self.diverged = diverged
        }

        var legendText: String { diverged ? "\(name) (diverged)" : name }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width: Double
    public var height: Double
    /// Logarithmic axes; values at or below 0 cannot be placed on one and are left out.
    public var logX = false
    public var logY = false
    /// Points ringed in red, as a heatmap outlines its best cells (a one-key sweep's best trials,
    /// all of them when they tie), with `bestLabel` in the legend.
    public var best: [(x: Double, y: Double)] = []
    public var bestLabel = "best"

    public init(title: String, xLabel: String, yLabel: String, series: [Series], width: Double = 760,
                height: Double = 340, logX: Bool = false, logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
        self.logX = logX
        self.logY = logY
    }

    /// Taller than asked when the legend needs the room.
    public var size: (width: Double, height: Double) { (width, max(height, 36 + 17 * Double(legendRows) + 56)) }

    /// The legend's rows: one per series, and one for the ringed points when there are any.
    var legendRows: Int { series.count + (best.isEmpty ? 0 : 1) }

    /// Where values fall along one axis, and its ticks.
    struct Scale {
        var log: Bool
        var low: Double, high: Double
        var ticks: [Double]
        var labels: [String]

        /// 0 at the axis's low end, 1 at its high end.
        func fraction(_ value: Double) -> Double {
            log ? (log10(value) - log10(low)) / (log10(high) - log10(low)) : (value - low) / (high - low)
        }

        /// A log scale over `values` (1…10 when there are none), its ticks at powers of ten.
        static func logarithmic(_ values: [Double]) -> Scale {
            let axis = AxisTicks.logarithmic(low: values.min() ?? 1, high: values.max() ?? 10)
            return Scale(log: true, low: axis.low, high: axis.high, ticks: axis.ticks,
                         labels: axis.ticks.map(NumberFormat.settings(axis.ticks).callAsFunction))
        }
    }

    /// The plotting area inside the margins and the two scales.
    struct Layout {
        var left: Double, top: Double, right: Double, bottom: Double
        var x: Scale, y: Scale
    }

    /// Whether a point can be drawn: finite, and above 0 on a log axis.
    func isShown(_ point: (x: Double, y: Double)) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logX || point.x > 0) && (!logY || point.y > 0)
    }

    /// The y axis's ticks come first: the left margin is made wide enough for their widest label and
    /// the axis title beside it; the x axis then gets about one tick per 90 points of the width left.
    var layout: Layout {
        let shown = series.flatMap(\.points).filter(isShown)
        let xs = shown.map(\.x), ys = shown.map(\.y)
        let y: Scale
        if logY {
            y = .logarithmic(ys)
        } else {
            let axis = AxisTicks.nice(low: ys.min() ?? 0, high: ys.max() ?? 1, target: 5)
            y = Scale(log: false, low: axis.low, high: axis.high, ticks: axis.ticks, labels: AxisTicks.labels(axis.ticks))
        }
        let legend = series.isEmpty ? 0
            : min(width * 0.4, TextWidth.widest(series.map(\.legendText) + (best.isEmpty ? [] : [bestLabel])) + 44)
        let left = max(56, TextWidth.widest(y.labels) + 7 + 30), right = width - legend - 16
        let x: Scale
        if logX {
            x = .logarithmic(xs)
        } else {
            let integral = xs.allSatisfy { $0 == $0.rounded() }
            let axis = AxisTicks.fitted(low: xs.min() ?? 0, high: xs.max() ?? 1, target: max(2, Int((right - left) / 90)),
                                        minimumStep: integral ? 1 : 0)
            x = Scale(log: false, low: axis.low, high: axis.high, ticks: axis.ticks, labels: AxisTicks.labels(axis.ticks))
        }
        return Layout(left: left, top: 36, right: right, bottom: size.height - 46, x: x, y: y)
    }

    /// The plotting area inside the margins, leaving room for tick labels, axis labels and the legend.
    var plotArea: (left: Double, top: Double, right: Double, bottom: Double) {
        let layout = layout
        return (layout.left, layout.top, layout.right, layout.bottom)
    }

    public func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, originX: Double, originY: Double) {
        let layout = layout
        let (left, top, right, bottom) = (originX + layout.left, originY + layout.top, originX + layout.right,
                                          originY + layout.bottom)
        canvas.text(title, x: originX + width / 2, y: originY + 18, anchor: .middle, size: 14)
        canvas.text(xLabel + (logX ? " (log scale)" : ""), x: (left + right) / 2, y: originY + size.height - 12,
                    anchor: .middle, size: 12, colour: ChartColours.axis)
        // Turned text is centred on x: half its 12-point height clear of the widest tick label.
        canvas.text(yLabel + (logY ? " (log scale)" : ""), x: left - 7 - TextWidth.widest(layout.y.labels) - 14,
                    y: (top + bottom) / 2, anchor: .middle, size: 12, colour: ChartColours.axis, vertical: true)

        guard series.contains(where: { $0.points.contains(where: isShown) }) else {
            canvas.rectangle(x: left, y: top, width: right - left, height: bottom - top, fill: nil,
                             stroke: ChartColours.axis, strokeWidth: 1)
            canvas.text("no data", x: (left + right) / 2, y: (top + bottom) / 2, anchor: .middle,
                        colour: ChartColours.mutedText)
            return
        }
        func place(_ point: (x: Double, y: Double)) -> CanvasPoint {
            CanvasPoint(x: left + layout.x.fraction(point.x) * (right - left),
                        y: bottom - layout.y.fraction(point.y) * (bottom - top))
        }

        canvas.beginGroup(kind: "axes", name: nil)
        for (tick, label) in zip(layout.x.ticks, layout.x.labels) {
            let x = left + layout.x.fraction(tick) * (right - left)
            canvas.line(from: CanvasPoint(x: x, y: top), to: CanvasPoint(x: x, y: bottom), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: x, y: bottom), to: CanvasPoint(x: x, y: bottom + 4), colour: ChartColours.axis)
            canvas.text(label, x: x, y: bottom + 14, anchor: .middle, colour: ChartColours.axis)
        }
        for (tick, label) in zip(layout.y.ticks, layout.y.labels) {
            let y = bottom - layout.y.fraction(tick) * (bottom - top)
            canvas.line(from: CanvasPoint(x: left, y: y), to: CanvasPoint(x: right, y: y), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: left - 4, y: y), to: CanvasPoint(x: left, y: y), colour: ChartColours.axis)
            canvas.text(label, x: left - 7, y: y, anchor: .end, colour: ChartColours.axis)
        }
        canvas.rectangle(x: left, y: top, width: right - left, height: bottom - top, fill: nil,
                         stroke: ChartColours.axis, strokeWidth: 1)
        canvas.endGroup()

        let styles = assignedStyles()
        for (line, style) in zip(series, styles) {
            canvas.beginGroup(kind: "series", name: line.name)
            for stretch in stretches(of: line.points) {
                let placed = stretch.map(place)
                if placed.count == 1 {
                    // A lone point has no line to show it: it always gets a marker.
                    (style.marker == .plain ? .square : style.marker).draw(at: placed[0], colour: style.colour, on: &canvas)
                } else {
                    canvas.polyline(placed, colour: style.colour, width: 1.8, dashed: line.dashed)
                }
            }
            let shown = line.points.filter(isShown)
            if style.marker != .plain && shown.count > 1 {
                canvas.beginGroup(kind: "markers", name: style.marker.rawValue)
                // Every point of a short line (a sweep's trials); about ten along a long one (a run's
                // log): enough to follow it, few enough not to hide it.
                let every = shown.count <= 20 ? 1 : Int((Double(shown.count) / 10).rounded(.up))
                for index in stride(from: 0, to: shown.count, by: every) {
                    style.marker.draw(at: place(shown[index]), colour: style.colour, on: &canvas)
                }
                canvas.endGroup()
            }
            if line.diverged, let last = shown.last {
                canvas.beginGroup(kind: "diverged", name: line.name)
                Marker.cross.draw(at: place(last), colour: style.colour, on: &canvas, radius: 5)
                canvas.endGroup()
            }
            canvas.endGroup()
        }

        let ringed = best.filter(isShown)
        if !ringed.isEmpty {
            canvas.beginGroup(kind: "best", name: bestLabel)
            for point in ringed { ring(at: place(point), on: &canvas) }
            canvas.endGroup()
        }

        canvas.beginGroup(kind: "legend", name: nil)
        for (index, (line, style)) in zip(series, styles).enumerated() {
            let y = top + 8 + Double(index) * 17
            canvas.polyline([CanvasPoint(x: right + 14, y: y), CanvasPoint(x: right + 40, y: y)], colour: style.colour,
                            width: 2, dashed: line.dashed)
            style.marker.draw(at: CanvasPoint(x: right + 27, y: y), colour: style.colour, on: &canvas)
            canvas.text(line.legendText, x: right + 46, y: y, anchor: .start, size: 11, colour: .black)
        }
        if !ringed.isEmpty {
            let y = top + 8 + Double(series.count) * 17
            ring(at: CanvasPoint(x: right + 27, y: y), on: &canvas)
            canvas.text(bestLabel, x: right + 46, y: y, anchor: .start, size: 11, colour: .black)
        }
        canvas.endGroup()
    }

    /// A red ring around a point, wide enough to leave its marker visible inside.
    private func ring<Canvas: ChartCanvas>(at point: CanvasPoint, on canvas: inout Canvas) {
        let corners = (0...24).map { step -> CanvasPoint in
            let angle = Double(step) * .pi / 12
            return CanvasPoint(x: point.x + 7.5 * cos(angle), y: point.y + 7.5 * sin(angle))
        }
        canvas.polyline(corners, colour: ChartColours.highlight, width: 2, dashed: false)
    }

    /// Explicit colours stay; the rest take palette colours in order.
    func assignedColours() -> [RGBColour] {
        assignedStyles().map(\.colour)
    }

    /// Each series' colour and marker: explicit ones stay; the rest take the palette's colours in turn,
    /// and past its ten a marker as well, so eleven or more lines can still be told apart.
    func assignedStyles() -> [(colour: RGBColour, marker: Marker)] {
        var next = 0
        return series.map { line in
            if let colour = line.colour { return (colour, line.marker ?? .plain) }
            defer { next += 1 }
            return (ChartColours.series[next % ChartColours.series.count], line.marker ?? Marker.forSeries(next))
        }
    }

    /// The stretches of consecutive points that can be drawn.
    func stretches(of points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
        var stretches: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if isShown(point) {
                stretches[stretches.count - 1].append(point)
            } else if !stretches[stretches.count - 1].isEmpty {
                stretches.append([])
            }
        }
        return stretches.filter { !$0.isEmpty }
    }
}
