import Foundation
import NetrunConfig
import NetrunData
import XCTest

final class MemoryBudgetTests: XCTestCase {
    /// The budget `NETRUN_MEMORY_LIMIT=text` sets.
    func budget(_ text: String) throws -> MemoryBudget {
        setenv(MemoryBudget.variable, text, 1)
        defer { unsetenv(MemoryBudget.variable) }
        return try MemoryBudget.fromEnvironment()
    }

    func testEnvironmentSetsTheBudgetInBinaryUnits() throws {
        XCTAssertEqual(try budget("8G").bytes, ByteCount(8 << 30))
        XCTAssertEqual(try budget("512MiB").bytes, ByteCount(512 << 20))
        XCTAssertEqual(try budget("1.5k").bytes, ByteCount(1536))
        XCTAssertEqual(try budget("2000000000").bytes, ByteCount(2_000_000_000))
        XCTAssertEqual(try budget("none").bytes, ByteCount(.max))
        XCTAssertEqual(try budget("8G").description, "8.0 GiB (NETRUN_MEMORY_LIMIT=8G)")
    }

    func testPercentIsAShareOfTheMachineAndTheDefaultIsFourFifths() throws {
        let whole = try budget("100%").bytes.value, half = try budget("50%").bytes.value
        XCTAssertGreaterThan(whole, 0)
        XCTAssertEqual(Double(half), Double(whole) / 2, accuracy: 1)
        let standard = MemoryBudget.current
        XCTAssertEqual(Double(standard.bytes.value), Double(whole) * 0.8, accuracy: 1)
        XCTAssertTrue(standard.description.contains("80% of this machine's"), standard.description)
        XCTAssertTrue(standard.description.hasSuffix("; set NETRUN_MEMORY_LIMIT to change it)"), standard.description)
    }

    func testUnreadableLimitIsAnErrorThatSaysWhatIsExpected() throws {
        for text in ["lots", "-1G", "0", "150%", "8X"] {
            XCTAssertThrowsError(try budget(text), text) { error in
                XCTAssertEqual("\(error)", "NETRUN_MEMORY_LIMIT=\(text): expected a size such as 8G, 512M or 2000000000 "
                               + "(bytes), a share of this machine's memory such as 50%, or none")
            }
        }
    }

    func testSizesSaturateInsteadOfOverflowing() {
        XCTAssertEqual(ByteCount.product([Int.max, 2]), .max)
        XCTAssertEqual(ByteCount.product([1 << 32, 1 << 32]), .max)
        XCTAssertEqual(ByteCount.product([Int.max, 0]), 0)
        XCTAssertEqual(ByteCount.floats(1 << 62), ByteCount(.max))
        XCTAssertEqual(ByteCount(.max) + ByteCount(1), ByteCount(.max))
        XCTAssertEqual(ByteCount.floats(3, 5), ByteCount(60))
        XCTAssertEqual("\(ByteCount(.max))", "more than 8 EiB")
        XCTAssertEqual("\(ByteCount(1))", "1 byte")
        XCTAssertEqual("\(ByteCount(1000))", "1000 bytes")
        XCTAssertEqual("\(ByteCount(3 << 29))", "1.5 GiB")
    }
}
