import XCTest
@testable import NetrunPlot

final class HeatmapTests: XCTestCase {
    /// cs231n's shape: three learning rates across, two strengths up, one trial diverged.
    static func grid(best: (column: Int, row: Int)? = (2, 0)) -> Heatmap {
        let rates = HeatmapAxis(label: "learning rate", values: [1e-3, 1e-2, 1e-1])
        let regs = HeatmapAxis(label: "regularisation strength", values: [1e-4, 1e-2])
        let cells: [[Heatmap.Cell]] = [
            [.init(value: 0.80), .init(value: 0.90), .init(value: 0.95)],
            [.init(value: 0.70), .init(value: 0.85), .init(value: nil, note: "diverged")],
        ]
        return Heatmap(title: "sweep 1", x: rates, y: regs, cells: cells, best: best, valueLabel: "val accuracy",
                       caption: "best: learning rate 0.1, regularisation strength 1e-4")
    }

    func testOneCellPerTrialAndTheBestMarked() throws {
        let root = try SVGTestSupport.parse(Self.grid().svg())
        let cells = root.all("g", class: "cell")
        XCTAssertEqual(cells.count, 6)
        XCTAssertEqual(Set(cells.compactMap { $0.attributes["data-name"] }).count, 6)
        let best = root.all("g", class: "best")
        XCTAssertEqual(best.count, 1)
        XCTAssertEqual(best[0].attributes["data-name"], "0.1 1e-4")
        let texts = root.all("text").map(\.text)
        for label in ["0.001", "0.01", "0.1", "1e-4", "learning rate (log scale)",
                      "regularisation strength (log scale)", "val accuracy", "0.95", "diverged"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
    }

    func testColoursRunFromLowestToHighestValue() throws {
        let root = try SVGTestSupport.parse(Self.grid().svg())
        func fill(_ name: String) -> String? {
            root.all("g", class: "cell").first { $0.attributes["data-name"] == name }?.all("rect")[0].attributes["fill"]
        }
        XCTAssertEqual(fill("0.1 1e-4"), SVGCanvas.hex(ChartColours.viridis(1)), "highest")
        XCTAssertEqual(fill("0.001 0.01"), SVGCanvas.hex(ChartColours.viridis(0)), "lowest")
        XCTAssertEqual(fill("0.1 0.01"), SVGCanvas.hex(ChartColours.missing), "no value")
    }

    func testForALossTheLowestValueIsTheBrightest() throws {
        var map = Self.grid(best: (0, 1))
        map.higherIsBetter = false
        let root = try SVGTestSupport.parse(map.svg())
        func fill(_ name: String) -> String? {
            root.all("g", class: "cell").first { $0.attributes["data-name"] == name }?.all("rect")[0].attributes["fill"]
        }
        XCTAssertEqual(fill("0.001 0.01"), SVGCanvas.hex(ChartColours.viridis(1)))
        XCTAssertEqual(fill("0.1 1e-4"), SVGCanvas.hex(ChartColours.viridis(0)))
        let bar = root.all("g", class: "colour-bar")[0].all("text").map(\.text)
        XCTAssertEqual(Array(bar.prefix(2)), ["0.7", "0.95"], "the bright end of the bar is labelled with the low value")
    }

    func testTheBestCellSitsBottomRightForTheSmallestStrengthAndLargestRate() throws {
        let root = try SVGTestSupport.parse(Self.grid().svg())
        let cells = root.all("g", class: "cell").map { ($0.attributes["data-name"]!, $0.all("rect")[0]) }
        let box = Dictionary(uniqueKeysWithValues: cells)
        XCTAssertGreaterThan(box["0.1 1e-4"]!.number("x"), box["0.001 1e-4"]!.number("x"))
        XCTAssertGreaterThan(box["0.1 1e-4"]!.number("y"), box["0.1 0.01"]!.number("y"), "larger strengths higher up")
    }

    func testLogScaleGivesEvenlySpacedPowersEqualCellsAndUnevenOnesUnequal() {
        let even = HeatmapAxis(label: "lr", values: [1e-3, 1e-2, 1e-1])
        XCTAssertEqual(even.scale, .log)
        let widths = (0..<3).map { even.span($0).end - even.span($0).start }
        XCTAssertEqual(widths[0], widths[1], accuracy: 1e-12)
        XCTAssertEqual(widths[1], widths[2], accuracy: 1e-12)
        let uneven = HeatmapAxis(label: "reg", values: [1e-4, 1e-2, 1e-1])
        XCTAssertGreaterThan(uneven.span(0).end - uneven.span(0).start, uneven.span(2).end - uneven.span(2).start)
        XCTAssertEqual(uneven.span(0).start, 0)
        XCTAssertEqual(uneven.span(2).end, 1)
    }

    func testNarrowRangesAndSingleValuesAreLinear() {
        XCTAssertEqual(HeatmapAxis(label: "units", values: [32, 64, 128]).scale, .linear)
        XCTAssertEqual(HeatmapAxis(label: "momentum", values: [-0.5, 0.9]).scale, .linear)
        let single = HeatmapAxis(label: "lr", values: [0.1])
        XCTAssertEqual(single.span(0).start, 0)
        XCTAssertEqual(single.span(0).end, 1)
        XCTAssertEqual(HeatmapAxis(label: "act", categories: ["relu", "tanh"]).scale, .categorical)
    }

    func testNoBestWhenNothingScored() throws {
        let axis = HeatmapAxis(label: "lr", values: [1, 10])
        let map = Heatmap(title: "t", x: axis, y: HeatmapAxis(label: "", categories: [""]),
                          cells: [[.init(value: nil, note: "diverged"), .init(value: nil, note: "not run")]],
                          best: nil, valueLabel: "v")
        let root = try SVGTestSupport.parse(map.svg())
        XCTAssertEqual(root.all("g", class: "cell").count, 2)
        XCTAssertTrue(root.all("g", class: "best").isEmpty)
    }
}
