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

        /// `colour` nil takes the next palette colour.
        public init(name: String, points: [(x: Double, y: Double)], colour: RGBColour? = nil, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.colour = colour
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var width: Double
    public var height: Double

    public init(title: String, xLabel: String, yLabel: String, series: [Series], width: Double = 760,
                height: Double = 340) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    /// Taller than asked when the legend needs the room.
    public var size: (width: Double, height: Double) { (width, max(height, 36 + 17 * Double(series.count) + 56)) }

    /// The plotting area inside the margins, leaving room for tick labels, axis labels and the legend.
    var plotArea: (left: Double, top: Double, right: Double, bottom: Double) {
        let longest = series.map(\.name.count).max() ?? 0
        let legend = series.isEmpty ? 0 : min(width * 0.4, Double(longest) * 6.4 + 44)
        return (70, 36, width - legend - 16, size.height - 46)
    }

    public func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, originX: Double, originY: Double) {
        let area = plotArea
        let (left, top, right, bottom) = (originX + area.left, originY + area.top, originX + area.right,
                                          originY + area.bottom)
        canvas.text(title, x: originX + width / 2, y: originY + 18, anchor: .middle, size: 14)
        canvas.text(xLabel, x: (left + right) / 2, y: originY + size.height - 12, anchor: .middle, size: 12,
                    colour: ChartColours.axis)
        canvas.text(yLabel, x: originX + 16, y: (top + bottom) / 2, anchor: .middle, size: 12,
                    colour: ChartColours.axis, vertical: true)

        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard !finite.isEmpty else {
            canvas.rectangle(x: left, y: top, width: right - left, height: bottom - top, fill: nil,
                             stroke: ChartColours.axis, strokeWidth: 1)
            canvas.text("no data", x: (left + right) / 2, y: (top + bottom) / 2, anchor: .middle,
                        colour: ChartColours.mutedText)
            return
        }
        let integralX = finite.allSatisfy { $0.x == $0.x.rounded() }
        let xAxis = AxisTicks.nice(low: finite.map(\.x).min()!, high: finite.map(\.x).max()!,
                                   target: max(2, Int((right - left) / 90)), minimumStep: integralX ? 1 : 0)
        let yAxis = AxisTicks.nice(low: finite.map(\.y).min()!, high: finite.map(\.y).max()!, target: 5)
        func place(_ x: Double, _ y: Double) -> CanvasPoint {
            CanvasPoint(x: left + (x - xAxis.low) / (xAxis.high - xAxis.low) * (right - left),
                        y: bottom - (y - yAxis.low) / (yAxis.high - yAxis.low) * (bottom - top))
        }

        canvas.beginGroup(kind: "axes", name: nil)
        for (tick, label) in zip(xAxis.ticks, AxisTicks.labels(xAxis.ticks)) {
            let x = place(tick, yAxis.low).x
            canvas.line(from: CanvasPoint(x: x, y: top), to: CanvasPoint(x: x, y: bottom), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: x, y: bottom), to: CanvasPoint(x: x, y: bottom + 4), colour: ChartColours.axis)
            canvas.text(label, x: x, y: bottom + 14, anchor: .middle, colour: ChartColours.axis)
        }
        for (tick, label) in zip(yAxis.ticks, AxisTicks.labels(yAxis.ticks)) {
            let y = place(xAxis.low, tick).y
            canvas.line(from: CanvasPoint(x: left, y: y), to: CanvasPoint(x: right, y: y), colour: ChartColours.grid)
            canvas.line(from: CanvasPoint(x: left - 4, y: y), to: CanvasPoint(x: left, y: y), colour: ChartColours.axis)
            canvas.text(label, x: left - 7, y: y, anchor: .end, colour: ChartColours.axis)
        }
        canvas.rectangle(x: left, y: top, width: right - left, height: bottom - top, fill: nil,
                         stroke: ChartColours.axis, strokeWidth: 1)
        canvas.endGroup()

        let colours = assignedColours()
        for (line, colour) in zip(series, colours) {
            canvas.beginGroup(kind: "series", name: line.name)
            for run in Self.finiteRuns(line.points) {
                let placed = run.map { place($0.x, $0.y) }
                if placed.count == 1 {
                    canvas.rectangle(x: placed[0].x - 2, y: placed[0].y - 2, width: 4, height: 4, fill: colour,
                                     stroke: nil, strokeWidth: 0)
                } else {
                    canvas.polyline(placed, colour: colour, width: 1.8, dashed: line.dashed)
                }
            }
            canvas.endGroup()
        }

        canvas.beginGroup(kind: "legend", name: nil)
        for (index, (line, colour)) in zip(series, colours).enumerated() {
            let y = top + 8 + Double(index) * 17
            canvas.polyline([CanvasPoint(x: right + 14, y: y), CanvasPoint(x: right + 40, y: y)], colour: colour,
                            width: 2, dashed: line.dashed)
            canvas.text(line.name, x: right + 46, y: y, anchor: .start, size: 11, colour: .black)
        }
        canvas.endGroup()
    }

    /// Explicit colours stay; the rest take palette colours in order.
    func assignedColours() -> [RGBColour] {
        var next = 0
        return series.map { line in
            if let colour = line.colour { return colour }
            defer { next += 1 }
            return ChartColours.series[next % ChartColours.series.count]
        }
    }

    /// The stretches of consecutive finite points.
    static func finiteRuns(_ points: [(x: Double, y: Double)]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [[]]
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }
}
