import NetrunCore
import XCTest

final class DatasetTests: XCTestCase {
    private func numbered(_ rows: Int) -> Dataset<Float> {
        Dataset(inputs: Matrix(rows: rows, cols: 3, values: (0..<rows * 3).map(Float.init)),
                targets: Matrix(rows: rows, cols: 1, values: (0..<rows).map { Float(-$0) }), kind: .real)
    }

    func testCompactedKeepsTheChosenRowsInOrderWithinTheSameStorage() {
        let data = numbered(6)
        let storage = data.inputs.storage
        let kept = data.compacted(keeping: [1, 2, 4])
        XCTAssertEqual(kept.inputs.rowValues, [[3, 4, 5], [6, 7, 8], [12, 13, 14]])
        XCTAssertEqual(kept.targets.values, [-1, -2, -4])
        XCTAssertEqual(kept.inputs.storage, storage, "moved in place, not copied")
    }

    func testCompactedMatchesSubset() {
        let indices = [0, 3, 5, 6, 9]
        XCTAssertEqual(numbered(10).compacted(keeping: indices).inputs.values, numbered(10).subset(indices).inputs.values)
        XCTAssertEqual(numbered(4).compacted(keeping: [0, 1, 2, 3]).inputs.values, numbered(4).inputs.values)
    }
}
