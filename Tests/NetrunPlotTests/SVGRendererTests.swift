import XCTest
@testable import NetrunPlot

/// PNGs are the SVG rendered by librsvg: same picture, real fonts, errors thrown.
final class SVGRendererTests: XCTestCase {
    static func document(_ body: String, width: Int = 40, height: Int = 20) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        font-family="\(SVGCanvas.fontFamily)">\(body)</svg>
        """
    }

    func testPNGIsTheSVGDrawnAtThePixelScale() throws {
        let svg = Self.document(##"<rect x="10" y="5" width="10" height="5" fill="#c80a14"/>"##)
        let png = try SVGRenderer.png(svg, pixelScale: 2)
        XCTAssertEqual(DecodedPNG.colourType(of: png), 2, "8-bit RGB, no alpha")
        let image = try DecodedPNG(png)
        XCTAssertEqual([image.width, image.height], [80, 40])
        XCTAssertEqual(image[20, 10], RGBColour(r: 200, g: 10, b: 20), "the rectangle's first pixel")
        XCTAssertEqual(image[39, 19], RGBColour(r: 200, g: 10, b: 20), "and its last")
        XCTAssertEqual(image[19, 10], .white, "nothing drawn is white, not black")
        XCTAssertEqual(image[40, 20], .white)
    }

    func testTextIsSetInARealFontWithDescenders() throws {
        // "gp" at 20 px with its baseline at y = 20: a real "g" and "p" reach well below the baseline
        // (DejaVu's descender is 0.24 em), where the old bitmap font's "9" and "P" stopped at it.
        let png = try SVGRenderer.png(Self.document(#"<text x="2" y="20" font-size="20">gp</text>"#, height: 30))
        let image = try DecodedPNG(png)
        let ink = image.ink(x: 0..<40, y: 0..<30)
        XCTAssertGreaterThan(ink.count, 40)
        XCTAssertGreaterThanOrEqual(ink.map(\.y).max() ?? 0, 23, "descenders below the baseline")
        let shades = Set(ink.map { image[$0.x, $0.y] })
        XCTAssertGreaterThan(shades.count, 3, "anti-aliased edges: a font rasteriser drew this, not square dots")
    }

    func testAnSVGLibrsvgCannotReadIsAThrownError() {
        let bad = ["", "<svg", "not xml at all", #"<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>"#]
        for svg in bad {
            XCTAssertThrowsError(try SVGRenderer.png(svg), svg) { error in
                XCTAssertTrue("\(error)".hasPrefix("librsvg could not read the SVG"), "\(error)")
            }
        }
        XCTAssertThrowsError(try SVGRenderer.png(Self.document("", width: 100_000))) { error in
            XCTAssertTrue("\(error)".contains("outside cairo's"), "\(error)")
        }
        XCTAssertThrowsError(try SVGRenderer.png(Self.document(""), pixelScale: 0))
    }

    func testAChartsPNGIsItsSVGRendered() throws {
        let series = LineChart.Series(name: "train", points: [(0, 1), (10, 0)], colour: RGBColour(r: 200, g: 0, b: 0))
        let chart = LineChart(title: "loss", xLabel: "iteration", yLabel: "loss", series: [series], width: 300,
                              height: 200)
        let png = try chart.png(pixelScale: 2)
        XCTAssertEqual(png, try SVGRenderer.png(chart.svg(), pixelScale: 2), "one drawing, two formats")
        let image = try DecodedPNG(png)
        XCTAssertEqual(image.width, 600)
        XCTAssertEqual(image.height, Int(chart.size.height) * 2)
        let colours = Set(image.words.map(DecodedPNG.colour))
        XCTAssertTrue(colours.contains(0xC80000), "the red series is drawn")
        XCTAssertGreaterThan(colours.count, 10, "lines, anti-aliased text and the series")
    }
}
