import XCTest
@testable import NetrunPlot

final class ScatterTests: XCTestCase {
    /// Five trials over a log-scaled learning rate and a linear strength; one diverged.
    static func scatter() -> Scatter {
        let points = [(1e-4, 0.1, 0.5), (3e-3, 0.4, 0.8), (2e-2, 0.2, 0.9), (0.08, 0.9, nil), (5e-4, 0.7, 0.6)].enumerated().map {
            Scatter.Point(x: $1.0, y: $1.1, value: $1.2, name: "trial \($0)")
        }
        return Scatter(title: "sweep 1", x: Scatter.Axis(label: "learning rate", log: true),
                       y: Scatter.Axis(label: "training.reg", log: false), points: points, best: 2,
                       valueLabel: "val accuracy", caption: "best: trial 2")
    }

    func testEachTrialIsAPointColouredByItsValueAndTheBestIsMarked() throws {
        let root = try SVGTestSupport.parse(Self.scatter().svg())
        let points = root.all("g", class: "point")
        XCTAssertEqual(points.compactMap { $0.attributes["data-name"] }, (0..<5).map { "trial \($0)" })
        func fill(_ index: Int) -> String? { points[index].all("rect")[0].attributes["fill"] }
        XCTAssertEqual(fill(2), SVGCanvas.hex(ChartColours.viridis(1)), "the highest value the brightest")
        XCTAssertEqual(fill(0), SVGCanvas.hex(ChartColours.viridis(0)))
        XCTAssertEqual(fill(3), SVGCanvas.hex(ChartColours.missing), "no value")
        XCTAssertEqual(root.all("g", class: "best").map { $0.attributes["data-name"] }, ["trial 2"])
        XCTAssertEqual(root.all("g", class: "colour-bar").count, 1)
        let texts = root.all("text").map(\.text)
        for label in ["learning rate (log scale)", "training.reg", "val accuracy", "1e-4", "0.001", "0.01", "0.1", "0.9", "0.5"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
    }

    func testPointsArePlacedOnTheLogAndLinearScales() throws {
        let root = try SVGTestSupport.parse(Self.scatter().svg())
        let boxes = root.all("g", class: "point").map { $0.all("rect")[0] }
        let x = boxes.map { $0.number("x") }, y = boxes.map { $0.number("y") }
        XCTAssertLessThan(x[0], x[4]); XCTAssertLessThan(x[4], x[1]); XCTAssertLessThan(x[1], x[2]); XCTAssertLessThan(x[2], x[3])
        // One decade spans the same width wherever it lies: 1e-4 → 1e-3 as 1e-3 → 1e-2.
        let decade = (x[1] - x[0]) / log10(3e-3 / 1e-4)
        XCTAssertEqual((x[2] - x[1]) / log10(2e-2 / 3e-3), decade, accuracy: 0.05, "SVG numbers are rounded")
        XCTAssertGreaterThan(y[0], y[2], "larger strengths higher up")
        XCTAssertEqual((y[0] - y[2]) / 0.1, (y[2] - y[1]) / 0.2, accuracy: 0.05, "linear")
    }

    func testThePNGIsDrawn() throws {
        let png = try Self.scatter().png()
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testSpearmanIsTheCorrelationOfRanksWithTiesAveraged() throws {
        XCTAssertEqual(RankCorrelation.ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5])
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, 2, 3, 4], [1, 8, 27, 64])), 1, accuracy: 1e-12, "monotone, not linear")
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1e-4, 1e-3, 1e-2], [0.9, 0.5, 0.1])), -1, accuracy: 1e-12)
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).statistic == 0.8
        XCTAssertEqual(try XCTUnwrap(RankCorrelation.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])), 0.8, accuracy: 1e-12)
        XCTAssertNil(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]), "a constant key has no correlation")
        XCTAssertNil(RankCorrelation.spearman([1], [1]))
    }
}
