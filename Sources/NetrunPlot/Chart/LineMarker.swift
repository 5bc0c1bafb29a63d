extension LineChart {
    /// A small shape on a line's points, so lines of one colour still differ (series past the palette's
    /// ten) and a lone point shows. Built from rectangles and short lines, which every canvas draws.
    public enum Marker: String, Sendable, CaseIterable {
        case plain, square, triangle, diamond, plus, circle
        /// Kept for the last point of a diverged run, never given to a series.
        case cross

        /// What the series of index `index` wears: the first ten plain lines in the palette's ten
        /// colours, the next ten squares in the same colours, then triangles, and so on.
        public static func forSeries(_ index: Int) -> Marker {
            let cycle: [Marker] = [.plain, .square, .triangle, .diamond, .plus, .circle]
            return cycle[(index / ChartColours.series.count) % cycle.count]
        }

        /// Draws the marker centred on `point`, about `2 × radius` across.
        func draw<Canvas: ChartCanvas>(at point: CanvasPoint, colour: RGBColour, on canvas: inout Canvas,
                                       radius r: Double = 3.5) {
            func outline(_ corners: [(Double, Double)], width: Double = 1.5) {
                let points = (corners + [corners[0]]).map { CanvasPoint(x: point.x + $0.0, y: point.y + $0.1) }
                canvas.polyline(points, colour: colour, width: width, dashed: false)
            }
            func stroke(_ dx: Double, _ dy: Double, width: Double) {
                canvas.polyline([CanvasPoint(x: point.x - dx, y: point.y - dy), CanvasPoint(x: point.x + dx, y: point.y + dy)],
                                colour: colour, width: width, dashed: false)
            }
            switch self {
            case .plain:
                return
            case .square:
                canvas.rectangle(x: point.x - 0.85 * r, y: point.y - 0.85 * r, width: 1.7 * r, height: 1.7 * r,
                                 fill: colour, stroke: nil, strokeWidth: 0)
            case .triangle:
                outline([(0, -1.15 * r), (r, 0.75 * r), (-r, 0.75 * r)])
            case .diamond:
                outline([(0, -1.2 * r), (r, 0), (0, 1.2 * r), (-r, 0)])
            case .plus:
                stroke(r * 1.1, 0, width: 1.6)
                stroke(0, r * 1.1, width: 1.6)
            case .circle:
                // An octagon reads as a circle at this size.
                let k = 0.4142 * r
                outline([(k, -r), (r, -k), (r, k), (k, r), (-k, r), (-r, k), (-r, -k), (-k, -r)])
            case .cross:
                stroke(r, r, width: 2.2)
                stroke(r, -r, width: 2.2)
            }
        }
    }
}
