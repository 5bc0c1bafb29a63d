import NetrunData
import XCTest

final class DataErrorTests: XCTestCase {
    func testDescriptionIsFileRowColumnThenMessage() {
        XCTAssertEqual(DataError("bad", file: "a.csv", row: 3, column: 2).description, "a.csv:3:2: bad")
        XCTAssertEqual(DataError("bad", file: "a.csv", row: 3).description, "a.csv:3: bad")
        XCTAssertEqual(DataError("bad", file: "a.idx").description, "a.idx: bad")
        XCTAssertEqual(DataError("bad", file: "").description, "bad")
    }
}
