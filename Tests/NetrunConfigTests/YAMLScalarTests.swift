import NetrunConfig
import XCTest

/// The YAML 1.2 core schema as the loader resolves plain scalars.
final class YAMLScalarTests: XCTestCase {
    private func resolve(_ text: String) throws -> YAMLScalar.Value {
        let node = try YAMLLoader.parse("value: \(text)\n", file: "scalar.yaml")
        guard case .mapping(let entries) = node.kind, case .scalar(let scalar) = entries[0].value.kind else {
            XCTFail("expected a mapping of one scalar for \(text)")
            return .null
        }
        return scalar.value
    }

    func testNullSpellings() throws {
        for text in ["~", "null", "Null", "NULL", ""] {
            XCTAssertEqual(try resolve(text), .null, text)
        }
    }

    func testBoolSpellingsAndNearMissesStayStrings() throws {
        for text in ["true", "True", "TRUE"] { XCTAssertEqual(try resolve(text), .bool(true), text) }
        for text in ["false", "False", "FALSE"] { XCTAssertEqual(try resolve(text), .bool(false), text) }
        // YAML 1.1's yes/no/on/off are strings in 1.2.
        for text in ["yes", "no", "on", "off", "tRUE"] { XCTAssertEqual(try resolve(text), .string(text), text) }
    }

    func testIntegers() throws {
        XCTAssertEqual(try resolve("12"), .int(12))
        XCTAssertEqual(try resolve("-7"), .int(-7))
        XCTAssertEqual(try resolve("+3"), .int(3))
        XCTAssertEqual(try resolve("007"), .int(7))
        XCTAssertEqual(try resolve("0x1F"), .int(31))
        XCTAssertEqual(try resolve("0xff"), .int(255))
        XCTAssertEqual(try resolve("0o17"), .int(15))
        XCTAssertEqual(try resolve("-9223372036854775808"), .int(Int.min))
    }

    func testIntegerThatOverflowsBecomesDouble() throws {
        XCTAssertEqual(try resolve("99999999999999999999"), .double(1e20))
        XCTAssertEqual(try resolve("0x10000000000000000"), .double(18446744073709551616.0))
    }

    func testFloats() throws {
        XCTAssertEqual(try resolve("1e-3"), .double(0.001))
        XCTAssertEqual(try resolve("0.5"), .double(0.5))
        XCTAssertEqual(try resolve("-.5"), .double(-0.5))
        XCTAssertEqual(try resolve("1."), .double(1))
        XCTAssertEqual(try resolve("2.5E+2"), .double(250))
        XCTAssertEqual(try resolve(".inf"), .double(.infinity))
        XCTAssertEqual(try resolve("+.Inf"), .double(.infinity))
        XCTAssertEqual(try resolve("-.INF"), .double(-.infinity))
        for text in [".nan", ".NaN", ".NAN"] {
            guard case .double(let value) = try resolve(text) else { return XCTFail(text) }
            XCTAssertTrue(value.isNaN, text)
        }
    }

    func testNearNumbersStayStrings() throws {
        for text in ["1_000", "0x", "0xZZ", "0o8", "1e", "e3", ".", "+", "1.2.3", "0b101", "inf", "nan", ".infinity", "12abc", "1e3.5"] {
            XCTAssertEqual(try resolve(text), .string(text), text)
        }
    }

    func testQuotedLiteralAndFoldedScalarsStayStrings() throws {
        XCTAssertEqual(try resolve("'12'"), .string("12"))
        XCTAssertEqual(try resolve("\"true\""), .string("true"))
        XCTAssertEqual(try resolve("''"), .string(""))
        XCTAssertEqual(try resolve("\"~\""), .string("~"))
        let node = try YAMLLoader.parse("a: |\n  12\nb: >\n  null\n", file: "block.yaml")
        guard case .mapping(let entries) = node.kind else { return XCTFail("expected a mapping") }
        let values = entries.map { entry -> YAMLScalar.Value? in
            if case .scalar(let scalar) = entry.value.kind { return scalar.value }
            return nil
        }
        XCTAssertEqual(values, [.string("12\n"), .string("null\n")])
    }

    func testTextKeepsTheScalarAsWritten() throws {
        let node = try YAMLLoader.parse("rate: 1.50e-3\n", file: "text.yaml")
        guard case .mapping(let entries) = node.kind, case .scalar(let scalar) = entries[0].value.kind else {
            return XCTFail("expected a mapping of one scalar")
        }
        XCTAssertEqual(scalar, YAMLScalar(.double(0.0015), text: "1.50e-3"))
    }
}
