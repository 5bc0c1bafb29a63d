import XCTest
@testable import NetrunPlot

final class AxisTicksTests: XCTestCase {
    func testTicksAreRoundAndCoverTheData() {
        let axis = AxisTicks.nice(low: 0.12, high: 0.93, target: 5)
        XCTAssertEqual(axis.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        XCTAssertEqual(axis.low, 0)
        XCTAssertEqual(axis.high, 1)
        XCTAssertEqual(AxisTicks.labels(axis.ticks), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    func testCountsGetWholeNumberTicks() {
        let axis = AxisTicks.nice(low: 0, high: 3, target: 8, minimumStep: 1)
        XCTAssertEqual(axis.ticks, [0, 1, 2, 3])
        XCTAssertEqual(AxisTicks.labels(axis.ticks), ["0", "1", "2", "3"])
        XCTAssertEqual(AxisTicks.nice(low: 0, high: 2000, target: 4).ticks, [0, 500, 1000, 1500, 2000])
    }

    func testFlatAndReversedRangesStillGetAnAxis() {
        let flat = AxisTicks.nice(low: 0.5, high: 0.5)
        XCTAssertLessThan(flat.low, 0.5)
        XCTAssertGreaterThan(flat.high, 0.5)
        XCTAssertEqual(AxisTicks.nice(low: 1, high: 0).ticks.first, 0)
        XCTAssertEqual(AxisTicks.nice(low: .nan, high: 1).ticks, AxisTicks.nice(low: 0, high: 1).ticks)
    }

    func testTinyStepsUseExponents() {
        let axis = AxisTicks.nice(low: 0, high: 3e-5, target: 3)
        XCTAssertEqual(AxisTicks.labels(axis.ticks), ["0", "1e-5", "2e-5", "3e-5"])
    }

    func testANearlyFlatLineKeepsDistinctLabels() {
        let axis = AxisTicks.nice(low: 0.95121, high: 0.95125, target: 4)
        let labels = AxisTicks.labels(axis.ticks)
        XCTAssertEqual(Set(labels).count, labels.count, "\(labels)")
        XCTAssertEqual(labels.first, "0.95120")
    }

    func testSweepValuesAreWrittenShort() {
        XCTAssertEqual(AxisTicks.compact(0.001), "0.001")
        XCTAssertEqual(AxisTicks.compact(1e-4), "1e-4")
        XCTAssertEqual(AxisTicks.compact(2.5e-7), "2.5e-7")
        XCTAssertEqual(AxisTicks.compact(0.5), "0.5")
        XCTAssertEqual(AxisTicks.compact(5), "5")
        XCTAssertEqual(AxisTicks.compact(12345), "12345")
        XCTAssertEqual(AxisTicks.compact(2e5), "2e5")
    }
}
