/// The viridis scale beside a heatmap or scatter: what the colours mean, the bright end the best.
struct ColourBar {
    var label: String
    var low: Double
    var high: Double
    /// False draws the bar without numbers (no trial has a value yet).
    var hasValues: Bool
    var higherIsBetter: Bool
    /// How the two ends are written, as the values they stand for are; nil: each to three significant digits.
    var format: NumberFormat? = nil

    /// Draws a 16-point-wide bar at `x`, `top`…`top + height`, its numbers to the right and `label` up.
    func draw<Canvas: ChartCanvas>(on canvas: inout Canvas, x: Double, top: Double, height: Double) {
        canvas.beginGroup(kind: "colour-bar", name: nil)
        let steps = 48
        for step in 0..<steps {
            let t = (Double(step) + 0.5) / Double(steps), stepHeight = height / Double(steps)
            canvas.rectangle(x: x, y: top + height - Double(step + 1) * stepHeight, width: 16, height: stepHeight + 1,
                             fill: ChartColours.viridis(t), stroke: nil, strokeWidth: 0)
        }
        canvas.rectangle(x: x, y: top, width: 16, height: height, fill: nil, stroke: ChartColours.axis, strokeWidth: 1)
        if hasValues {
            let (bright, dark) = higherIsBetter ? (high, low) : (low, high)
            let write = format?.callAsFunction ?? Heatmap.format
            canvas.text(write(bright), x: x + 22, y: top + 4, colour: ChartColours.axis)
            canvas.text(write(dark), x: x + 22, y: top + height - 4, colour: ChartColours.axis)
        }
        canvas.text(label, x: x + 64, y: top + height / 2, anchor: .middle, size: 12, colour: ChartColours.axis,
                    vertical: true)
        canvas.endGroup()
    }

    /// The colour of `value`: viridis from the worst (dark) to the best (bright) value shown.
    func colour(_ value: Double) -> RGBColour {
        let t = high > low ? (value - low) / (high - low) : 0.5
        return ChartColours.viridis(higherIsBetter ? t : 1 - t)
    }
}
