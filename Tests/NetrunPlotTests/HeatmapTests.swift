import XCTest
@testable import NetrunPlot

final class HeatmapTests: XCTestCase {
    /// cs231n's shape: three learning rates across, two strengths up, one trial diverged.
    static func grid(best: [(column: Int, row: Int)] = [(2, 0)]) -> Heatmap {
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
        for label in ["0.001", "0.01", "0.1", "1e-4", "1e-2", "learning rate",
                      "regularisation strength", "val accuracy", "0.950", "diverged"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
    }

    func testColoursRunFromLowestToHighestValue() throws {
        let root = try SVGTestSupport.parse(Self.grid().svg())
        func fill(_ name: String) -> String? {
            root.all("g", class: "cell").first { $0.attributes["data-name"] == name }?.all("rect")[0].attributes["fill"]
        }
        XCTAssertEqual(fill("0.1 1e-4"), SVGCanvas.hex(ChartColours.viridis(1)), "highest")
        XCTAssertEqual(fill("0.001 1e-2"), SVGCanvas.hex(ChartColours.viridis(0)), "lowest")
        XCTAssertEqual(fill("0.1 1e-2"), SVGCanvas.hex(ChartColours.missing), "no value")
    }

    func testForALossTheLowestValueIsTheBrightest() throws {
        var map = Self.grid(best: [(0, 1)])
        map.higherIsBetter = false
        let root = try SVGTestSupport.parse(map.svg())
        func fill(_ name: String) -> String? {
            root.all("g", class: "cell").first { $0.attributes["data-name"] == name }?.all("rect")[0].attributes["fill"]
        }
        XCTAssertEqual(fill("0.001 1e-2"), SVGCanvas.hex(ChartColours.viridis(1)))
        XCTAssertEqual(fill("0.1 1e-4"), SVGCanvas.hex(ChartColours.viridis(0)))
        let bar = root.all("g", class: "colour-bar")[0].all("text").map(\.text)
        XCTAssertEqual(Array(bar.prefix(2)), ["0.700", "0.950"], "the bright end of the bar is labelled with the low value")
    }

    func testTheBestCellSitsBottomRightForTheSmallestStrengthAndLargestRate() throws {
        let root = try SVGTestSupport.parse(Self.grid().svg())
        let cells = root.all("g", class: "cell").map { ($0.attributes["data-name"]!, $0.all("rect")[0]) }
        let box = Dictionary(uniqueKeysWithValues: cells)
        XCTAssertGreaterThan(box["0.1 1e-4"]!.number("x"), box["0.001 1e-4"]!.number("x"))
        XCTAssertGreaterThan(box["0.1 1e-4"]!.number("y"), box["0.1 1e-2"]!.number("y"), "larger strengths higher up")
    }

    /// As seaborn draws a grid: the values are chosen points, so each gets the same room however
    /// unevenly they are spaced.
    func testEveryValueGetsAnEqualCellHoweverUnevenlySpaced() {
        for values in [[1e-3, 1e-2, 1e-1], [1e-4, 1e-2, 1e-1], [32, 64, 1024], [-0.5, 0, 0.9]] {
            let axis = HeatmapAxis(label: "k", values: values)
            let widths = (0..<3).map { axis.span($0).end - axis.span($0).start }
            for width in widths { XCTAssertEqual(width, 1.0 / 3, accuracy: 1e-12, "\(values)") }
            XCTAssertEqual(axis.span(0).start, 0)
            XCTAssertEqual(axis.span(2).end, 1)
        }
        let single = HeatmapAxis(label: "lr", values: [0.1])
        XCTAssertEqual(single.span(0).start, 0)
        XCTAssertEqual(single.span(0).end, 1)
        XCTAssertEqual(HeatmapAxis(label: "act", categories: ["relu", "tanh"]).tickLabels, ["relu", "tanh"])
    }

    func testAZeroInTheGridGetsItsOwnCellLabelledZero() throws {
        let regs = HeatmapAxis(label: "reg", values: [0, 1e-4, 1e-3])
        XCTAssertEqual(regs.tickLabels, ["0", "1e-4", "1e-3"])
        let map = Heatmap(title: "t", x: regs, y: HeatmapAxis(label: "", categories: [""]),
                          cells: [[.init(value: 0.5), .init(value: 0.6), .init(value: 0.7)]], best: [(2, 0)], valueLabel: "v")
        let root = try SVGTestSupport.parse(map.svg())
        let cells = root.all("g", class: "cell")
        XCTAssertEqual(cells.map { $0.attributes["data-name"] }, ["0 ", "1e-4 ", "1e-3 "])
        let widths = cells.map { $0.all("rect")[0].number("width") }
        XCTAssertEqual(widths.max()! - widths.min()!, 0, accuracy: 0.02, "equal cells: \(widths)")
        XCTAssertTrue(widths.allSatisfy { $0.isFinite && $0 > 100 }, "\(widths)")
        XCTAssertTrue(root.all("g", class: "axes")[0].all("text").map(\.text).contains("0"))
    }

    func testEachAxisAndTheCellsKeepOneNumberFormat() throws {
        XCTAssertEqual(HeatmapAxis(label: "reg", values: [1e-4, 0.01, 0.1]).tickLabels, ["1e-4", "1e-2", "1e-1"])
        XCTAssertEqual(HeatmapAxis(label: "lr", values: [0.05, 0.5, 5]).tickLabels, ["0.05", "0.5", "5"])
        XCTAssertEqual(HeatmapAxis(label: "reg", values: [0, 2.5e-5, 1e5]).tickLabels, ["0", "2.5e-5", "1e5"])
        let root = try SVGTestSupport.parse(Self.grid().svg())
        let values = root.all("g", class: "cell").flatMap { $0.all("text").map(\.text) }.filter { $0 != "diverged" }
        XCTAssertEqual(values, ["0.800", "0.900", "0.950", "0.700", "0.850"])
        let losses = NumberFormat.measurements([2.31, 0.0512, 12])
        XCTAssertEqual([2.31, 0.0512, 12].map { losses($0) }, ["2.310", "0.051", "12.000"])
        XCTAssertEqual(NumberFormat.measurements([2e-5, 3e-4]).callAsFunction(2e-5), "2e-5")
    }

    func testEveryTrialTiedForTheBestIsOutlinedAndTheTitleCountsThem() throws {
        let rates = HeatmapAxis(label: "lr", values: [0.01, 0.1, 1])
        let map = Heatmap(title: "sweep 2 blobs: val accuracy", x: rates, y: HeatmapAxis(label: "reg", values: [0, 1e-4]),
                          cells: [[.init(value: 0.2), .init(value: 0.9), .init(value: 0.9)],
                                  [.init(value: 0.2), .init(value: 0.8), .init(value: 0.9)]],
                          best: [(1, 0), (2, 0), (2, 1)], valueLabel: "val accuracy")
        let root = try SVGTestSupport.parse(map.svg())
        XCTAssertEqual(root.all("g", class: "best").map { $0.attributes["data-name"] }, ["0.1 0", "1 0", "1 1e-4"])
        XCTAssertTrue(root.all("text").map(\.text).contains("sweep 2 blobs: val accuracy (3 tied for best)"))
        XCTAssertFalse(try SVGTestSupport.parse(Self.grid().svg()).all("text").map(\.text).contains { $0.contains("tied") })
    }

    /// The turned title sits left of the widest value up the side, and still on the canvas.
    func testTheYAxisTitleIsOnTheCanvasAndClearOfTheValues() throws {
        let long = HeatmapAxis(label: "loss", categories: ["softmax_cross_entropy", "sigmoid_cross_entropy"])
        let map = Heatmap(title: "t", x: HeatmapAxis(label: "lr", values: [0.1, 1]), y: long,
                          cells: [[.init(value: 1), .init(value: 2)], [.init(value: 3), .init(value: 4)]],
                          best: [], valueLabel: "v")
        let texts = try SVGTestSupport.parse(map.svg()).all("g", class: "axes")[0].all("text")
        let title = try XCTUnwrap(texts.first { $0.text == "loss" })
        let value = try XCTUnwrap(texts.first { $0.text == "softmax_cross_entropy" })
        let valueStart = value.number("x") - TextWidth.of(value.text)
        XCTAssertNotNil(title.attributes["transform"], "turned")
        XCTAssertGreaterThanOrEqual(title.number("x") - 7, 0, "on the canvas")
        XCTAssertLessThanOrEqual(title.number("x") + 7, valueStart, "clear of the values")
    }

    func testNoBestWhenNothingScored() throws {
        let axis = HeatmapAxis(label: "lr", values: [1, 10])
        let map = Heatmap(title: "t", x: axis, y: HeatmapAxis(label: "", categories: [""]),
                          cells: [[.init(value: nil, note: "diverged"), .init(value: nil, note: "not run")]],
                          best: [], valueLabel: "v")
        let root = try SVGTestSupport.parse(map.svg())
        XCTAssertEqual(root.all("g", class: "cell").count, 2)
        XCTAssertTrue(root.all("g", class: "best").isEmpty)
    }
}
