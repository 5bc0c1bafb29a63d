@testable import NetrunConfig
import NetrunCore
import XCTest

/// cs231n's data protocols in a config: `rows` beside a source, `training.sampling`.
final class ProtocolConfigTests: XCTestCase {
    private func decode(data: String = "  csv: d.csv", training: String = "") throws -> Config {
        try ConfigLoader.decode(text: """
            data:
            \(data)
            model: {layers: [{dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1\(training)}
            """, path: "p.yaml")
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testRowsAreAHalfOpenRangeOnAnySource() throws {
        let data = try decode(data: "  csv: d.csv\n  rows: [0, 49000]\n  val: {csv: d.csv, rows: [49000, 50000]}").data
        XCTAssertEqual(data.source.rows?.value, 0..<49000)
        XCTAssertEqual(data.validation?.rows?.value, 49000..<50000)
        XCTAssertEqual(data.validation?.rows?.path, "data.val.rows")
    }

    func testRowsMistakesAreLocated() {
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  rows: [10, 5]") },
                       "p.yaml:3:9: data.rows: rows [10, 5] is reversed: write [START, END] with START < END")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  rows: [5, 5]") },
                       "p.yaml:3:9: data.rows: rows [5, 5] is empty: END is not included, so [5, 6] is one sample")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  rows: [-1, 5]") },
                       "p.yaml:3:10: data.rows[0]: rows count from 0, got -1")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  rows: [5]") },
                       "p.yaml:3:9: data.rows: rows is [START, END] (from 0, END not included), e.g. [49000, 50000]; got 1 numbers")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  rows: [0, 1.5]") },
                       "p.yaml:3:13: data.rows[1]: expected an integer, got 1.5")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  limit: 10\n  rows: [0, 5]") },
                       "p.yaml:4:9: data.rows: give either rows or limit, not both (limit: N is rows: [0, N])")
    }

    func testSamplingIsWithoutReplacementUnlessSaid() throws {
        XCTAssertEqual(try decode().training.sampling, .withoutReplacement)
        XCTAssertEqual(try decode(training: ", sampling: with_replacement, batch_size: 2").training.sampling, .withReplacement)
        XCTAssertEqual(try decode(training: ", sampling: without_replacement, shuffle: false").training.shuffle, false)
    }

    func testSamplingMistakesAreLocated() {
        XCTAssertEqual(error { try self.decode(training: ", sampling: with_replacment") },
                       "p.yaml:5:53: training.sampling: unknown sampling 'with_replacment' (did you mean 'with_replacement'?); "
                       + "expected one of: without_replacement, with_replacement")
        XCTAssertEqual(error { try self.decode(training: ", shuffle: true, sampling: with_replacement") },
                       "p.yaml:5:52: training.shuffle: shuffle orders the epochs of sampling: without_replacement; "
                       + "with_replacement draws every batch at random, so remove shuffle")
    }
}
