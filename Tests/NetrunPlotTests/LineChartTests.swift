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

    func testASinglePointIsStillVisible() throws {
        let single = LineChart.Series(name: "test", points: [(10, 0.5)])
        let root = try SVGTestSupport.parse(LineChart(title: "t", xLabel: "x", yLabel: "y", series: [single]).svg())
        XCTAssertEqual(root.all("g", class: "series")[0].all("rect").count, 1)
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
