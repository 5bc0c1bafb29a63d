import XCTest
@testable import NetrunPlot

final class RasterChartTests: XCTestCase {
    func testChartPNGDecodesToItsSizeTimesThePixelScale() throws {
        let series = LineChart.Series(name: "train", points: [(0, 1), (10, 0)], colour: RGBColour(r: 200, g: 0, b: 0))
        let chart = LineChart(title: "loss", xLabel: "iteration", yLabel: "loss", series: [series], width: 300,
                              height: 200)
        let area = chart.plotArea
        // The line falls from the plot's top-left corner to its bottom-right; its middle is red.
        let middle = (x: Int((area.left + area.right) / 2), y: Int((area.top + area.bottom) / 2))
        let decoded = try PNGTestSupport.decodeWithPython(chart.png(pixelScale: 1),
                                                          points: [(middle.x, middle.y), (1, 1)])
        XCTAssertEqual(decoded.width, 300)
        XCTAssertEqual(decoded.height, Int(chart.size.height))
        XCTAssertEqual(decoded.pixels[0], [200, 0, 0])
        XCTAssertEqual(decoded.pixels[1], [255, 255, 255])
    }

    func testHeatmapPNGMatchesItsLayout() {
        let map = HeatmapTests.grid()
        var canvas = RasterCanvas(width: map.size.width, height: map.size.height, pixelScale: 2)
        map.draw(on: &canvas, originX: 0, originY: 0)
        XCTAssertEqual(canvas.image.width, Int(map.size.width) * 2)
        // The centre-left of the lowest value's cell (lr 0.001, reg 0.01), away from its printed value.
        let left = Heatmap.margin.left + 20, y = Heatmap.margin.top + Heatmap.plotSize.height / 4
        XCTAssertEqual(canvas.image[Int(left) * 2, Int(y) * 2], ChartColours.viridis(0))
    }

    func testDashedLinesLeaveGaps() {
        var solid = RasterCanvas(width: 100, height: 10, pixelScale: 1)
        solid.polyline([CanvasPoint(x: 0, y: 5), CanvasPoint(x: 100, y: 5)], colour: .black, width: 1, dashed: false)
        var dashed = RasterCanvas(width: 100, height: 10, pixelScale: 1)
        dashed.polyline([CanvasPoint(x: 0, y: 5), CanvasPoint(x: 100, y: 5)], colour: .black, width: 1, dashed: true)
        let count = { (image: RGBImage) in (0..<100).filter { image[$0, 5] == .black }.count }
        XCTAssertEqual(count(solid.image), 100)
        XCTAssertEqual(count(dashed.image), 60, accuracy: 2)
    }

    func testVerticalTextReadsUpwardsInsideTheImage() {
        var canvas = RasterCanvas(width: 40, height: 100, pixelScale: 1)
        canvas.text("loss", x: 20, y: 50, anchor: .middle, size: 9, colour: .black, vertical: true)
        let inked = (0..<100).flatMap { y in (0..<40).map { (x: $0, y: y) } }.filter { canvas.image[$0.x, $0.y] == .black }
        XCTAssertFalse(inked.isEmpty)
        let height = inked.map(\.y).max()! - inked.map(\.y).min()!, width = inked.map(\.x).max()! - inked.map(\.x).min()!
        XCTAssertGreaterThan(height, width, "four letters turned on their side are taller than wide")
        XCTAssertEqual(Double(inked.map(\.y).min()! + inked.map(\.y).max()!) / 2, 50, accuracy: 2, "centred")
    }

    func testCharactersOutsideTheFontAreTransliterated() {
        XCTAssertEqual(RasterCanvas.transliterated("lr × reg − 1 → 2"), "lr x reg - 1 -> 2")
        XCTAssertTrue("model.layers[0].units <= 64".allSatisfy(BitmapFont.hasGlyph), "key paths draw without boxes")
    }
}
