import XCTest
@testable import NetrunPlot

final class LineChartTests: XCTestCase {
    static let falling = LineChart.Series(name: "train", points: [(0, 2.3), (10, 0.9), (20, 0.4), (30, 0.3)])
    static let rising = LineChart.Series(name: "val", points: [(0, 0.1), (10, 0.6), (20, 0.8), (30, 0.85)],
                                         dashed: true)

    func testSVGIsWellFormedWithOneGroupPerSeriesInOrder() throws {
        let chart = LineChart(title: "run 1: loss", xLabel: "iteration", yLabel: "loss",
                              series: [Self.falling, Self.rising])
        let root = try SVGTestSupport.parse(chart.svg())
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(root.attributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(root.number("width"), 760)
        let series = root.all("g", class: "series")
        XCTAssertEqual(series.map { $0.attributes["data-name"] }, ["train", "val"])
        XCTAssertEqual(series.map { $0.all("polyline").count }, [1, 1])
        XCTAssertEqual(series[0].all("polyline")[0].points.count, 4)
        XCTAssertNil(series[0].all("polyline")[0].attributes["stroke-dasharray"])
        XCTAssertNotNil(series[1].all("polyline")[0].attributes["stroke-dasharray"], "validation is dashed")
        let texts = root.all("text").map(\.text)
        for label in ["run 1: loss", "iteration", "loss", "train", "val"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
    }

    func testPointsLandInsideThePlotWithLargerValuesHigher() throws {
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [Self.falling])
        let root = try SVGTestSupport.parse(chart.svg())
        let points = root.all("g", class: "series")[0].all("polyline")[0].points
        let area = chart.plotArea
        for point in points {
            XCTAssertTrue((area.left...area.right).contains(point.x) && (area.top...area.bottom).contains(point.y),
                          "\(point) outside \(area)")
        }
        XCTAssertEqual(points.map(\.x), points.map(\.x).sorted(), "x increases left to right")
        XCTAssertEqual(points.map(\.y), points.map(\.y).sorted(), "a falling loss goes down the page")
        XCTAssertEqual(points[0].x, area.left, accuracy: 1e-9, "x axis starts at the first iteration")
    }

    func testNonFiniteValuesBreakTheLine() throws {
        let diverged = LineChart.Series(name: "lr 5", points: [(0, 1), (1, 0.5), (2, .nan), (3, 0.7), (4, 0.6), (5, .infinity)])
        let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "y", series: [diverged]).svg())
        let lines = root.all("g", class: "series")[0].all("polyline")
        XCTAssertEqual(lines.map(\.points.count), [2, 2])
    }

    /// A run with one logged point: a marker in the middle of an x range around it, one tick at its value.
    func testASinglePointGetsAMarkerInTheMiddleOfARealRange() throws {
        let single = LineChart.Series(name: "test", points: [(10, 0.5)])
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [single])
        let svg = chart.svg()
        XCTAssertFalse(svg.lowercased().contains("nan"), "no degenerate range")
        let root = try SVGTestSupport.parse(svg)
        let marker = try XCTUnwrap(root.all("g", class: "series")[0].all("rect").first)
        let area = chart.plotArea
        XCTAssertEqual(marker.number("x") + marker.number("width") / 2, (area.left + area.right) / 2, accuracy: 0.01)
        XCTAssertGreaterThan(marker.number("width"), 4)
        let axisTexts = root.all("g", class: "axes")[0].all("text").map(\.text)
        XCTAssertTrue(axisTexts.contains("10"), "\(axisTexts)")
        XCTAssertFalse(axisTexts.contains("9") || axisTexts.contains("11"), "\(axisTexts)")
    }

    func testTheXAxisEndsAtTheLastPointNotARoundNumberBeyond() throws {
        let run = LineChart.Series(name: "train", points: [(0, 2), (500, 1), (1050, 0.5)])
        let chart = LineChart(title: "t", xLabel: "iteration", yLabel: "loss", series: [run])
        let root = try SVGTestSupport.parse(chart.svg())
        let points = root.all("g", class: "series")[0].all("polyline")[0].points
        XCTAssertEqual(points.last!.x, chart.plotArea.right, accuracy: 0.01)
        let labels = root.all("g", class: "axes")[0].all("text").map(\.text)
        XCTAssertTrue(labels.contains("1000"), "\(labels)")
        XCTAssertFalse(labels.contains("1200"), "\(labels)")
        // A round tick just past the end (within 3% of the axis) still closes it.
        let almost = LineChart(title: "t", xLabel: "x", yLabel: "y",
                               series: [LineChart.Series(name: "a", points: [(0, 1), (990, 2)])])
        XCTAssertEqual(almost.layout.x.high, 1000)
    }

    func testTheYAxisTitleIsClearOfTheWidestTickLabel() throws {
        let wide = LineChart.Series(name: "rmse", points: [(0, -250000), (1, -50000)])
        let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "value", series: [wide]).svg())
        let title = try XCTUnwrap(root.all("text").first { $0.text == "value" })
        XCTAssertNotNil(title.attributes["transform"], "turned")
        let labels = root.all("g", class: "axes")[0].all("text").filter { $0.attributes["text-anchor"] == "end" }
        XCTAssertTrue(labels.map(\.text).contains("-250000"), "\(labels.map(\.text))")
        let firstStart = labels.map { $0.number("x") - TextWidth.of($0.text) }.min()!
        XCTAssertLessThanOrEqual(title.number("x") + 7, firstStart, "clear of the tick labels")
        XCTAssertGreaterThanOrEqual(title.number("x") - 7, 0, "on the canvas")
    }

    func testLogYSpacesPowersOfTenEvenlyAndLeavesOutValuesAtOrBelowZero() throws {
        let loss = LineChart.Series(name: "train", points: [(0, 10), (1, 1), (2, 0.1), (3, 0), (4, 0.01), (5, -1)])
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "loss", series: [loss], logY: true)
        let root = try SVGTestSupport.parse(chart.svg())
        let series = root.all("g", class: "series")[0]
        let line = series.all("polyline")[0].points.map(\.y)
        XCTAssertEqual(line.count, 3, "the 0 breaks the line")
        XCTAssertEqual(line[1] - line[0], line[2] - line[1], accuracy: 0.02, "each power of ten the same height")
        XCTAssertEqual(series.all("rect").count, 1, "0.01 alone between 0 and -1: a marker")
        let texts = root.all("text").map(\.text)
        for label in ["0.01", "0.1", "1", "10", "loss (log scale)"] {
            XCTAssertTrue(texts.contains(label), "missing \(label) in \(texts)")
        }
        XCTAssertEqual(AxisTicks.logarithmic(low: 0.3, high: 2.3).ticks, [0.5, 1, 2], "1, 2, 5 within a decade")
    }

    func testElevenOrMoreLinesStayDistinctByColourAndMarker() throws {
        let many = (0..<25).map { LineChart.Series(name: "run \($0)", points: [(0, Double($0)), (1, Double($0) + 1)]) }
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: many)
        let styles = chart.assignedStyles()
        XCTAssertEqual(Set(styles.map { "\($0.colour) \($0.marker)" }).count, 25)
        let root = try SVGTestSupport.parse(chart.svg())
        let series = root.all("g", class: "series")
        XCTAssertTrue(series[0].all("g", class: "markers").isEmpty, "the first ten are plain lines")
        XCTAssertEqual(series[10].all("g", class: "markers").first?.attributes["data-name"], "square")
        XCTAssertEqual(series[20].all("g", class: "markers").first?.attributes["data-name"], "triangle")
        XCTAssertEqual(root.all("g", class: "legend")[0].all("rect").count, 10, "the legend shows the squares")
    }

    func testMarkersSitOnEveryPointOfAShortLineAndAboutTenAlongALongOne() throws {
        func markers(_ count: Int) throws -> Int {
            let line = LineChart.Series(name: "s", points: (0..<count).map { (Double($0), Double($0)) }, marker: .circle)
            let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "y", series: [line]).svg())
            return root.all("g", class: "markers")[0].all("polyline").count
        }
        XCTAssertEqual(try markers(15), 15, "a sweep's trials each get one")
        XCTAssertEqual(try markers(100), 10)
    }

    func testADivergedRunEndsInACrossAtItsLastFinitePointAndSaysSoInTheLegend() throws {
        let run = LineChart.Series(name: "lr 5", points: [(0, 1), (1, 3), (2, 40), (3, .nan)], diverged: true)
        let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "y", series: [run]).svg())
        let series = root.all("g", class: "series")[0]
        let last = series.all("polyline")[0].points.last!
        let cross = try XCTUnwrap(series.all("g", class: "diverged").first).all("polyline")
        XCTAssertEqual(cross.count, 2)
        for stroke in cross {
            XCTAssertEqual((stroke.points[0].x + stroke.points[1].x) / 2, last.x, accuracy: 0.01)
            XCTAssertEqual((stroke.points[0].y + stroke.points[1].y) / 2, last.y, accuracy: 0.01)
        }
        XCTAssertTrue(root.all("g", class: "legend")[0].all("text").map(\.text).contains("lr 5 (diverged)"))
    }

    func testNamesAreEscaped() throws {
        let odd = LineChart.Series(name: "a<b & \"c\" 'd'", points: [(0, 1), (1, 2)])
        let root = try SVGTestSupport.parse(LineChart(title: "<title>", xLabel: "x", yLabel: "y", series: [odd]).svg())
        XCTAssertEqual(root.all("g", class: "series")[0].attributes["data-name"], "a<b & \"c\" 'd'")
        XCTAssertTrue(root.all("text").map(\.text).contains("<title>"))
    }

    func testEmptyChartSaysSo() throws {
        let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "y", series: []).svg())
        XCTAssertTrue(root.all("text").map(\.text).contains("no data"))
        XCTAssertTrue(root.all("g", class: "series").isEmpty)
    }

    func testExplicitColoursStayAndTheRestFollowThePalette() {
        var red = Self.rising
        red.colour = RGBColour(r: 255, g: 0, b: 0)
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [Self.falling, red, Self.falling])
        XCTAssertEqual(chart.assignedColours(), [ChartColours.series[0], red.colour!, ChartColours.series[1]])
    }

    func testManySeriesMakeRoomForTheLegend() {
        let many = (0..<30).map { LineChart.Series(name: "run \($0)", points: [(0, Double($0))]) }
        let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: many)
        XCTAssertGreaterThanOrEqual(chart.size.height, 36 + 30 * 17)
    }

    func testStackedPageHoldsBothChartsOneAboveTheOther() throws {
        let loss = LineChart(title: "loss", xLabel: "x", yLabel: "y", series: [Self.falling])
        let accuracy = LineChart(title: "accuracy", xLabel: "x", yLabel: "y", series: [Self.rising])
        let root = try SVGTestSupport.parse(ChartPage(charts: [loss, accuracy]).svg())
        XCTAssertEqual(root.number("height"), loss.size.height + accuracy.size.height)
        let lines = root.all("g", class: "series").map { $0.all("polyline")[0].points }
        XCTAssertLessThan(lines[0].map(\.y).max()!, loss.size.height)
        XCTAssertGreaterThan(lines[1].map(\.y).min()!, loss.size.height)
    }
}
