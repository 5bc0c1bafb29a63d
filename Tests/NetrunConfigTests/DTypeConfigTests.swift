@testable import NetrunConfig
import NetrunCore
import XCTest

/// `training.dtype`: float32 by default, float64 when asked, anything else refused where it is written.
final class DTypeConfigTests: XCTestCase {
    private func decode(training: String) throws -> Config {
        try ConfigLoader.decode(text: """
            data: {csv: d.csv}
            model: {layers: [{dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1\(training)}
            """, path: "t.yaml")
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testFloat32IsAcceptedAndTrainsAsWithoutDType() throws {
        XCTAssertEqual(try decode(training: ", dtype: float32").training, try decode(training: "").training)
    }

    func testFloat64Decodes() throws {
        XCTAssertEqual(try decode(training: ", dtype: float64").training.dtype, .float64)
        XCTAssertEqual(try decode(training: "").training.dtype, .float32)
    }

    func testAnUnknownDTypeIsLocatedWithASuggestion() {
        XCTAssertEqual(error { try self.decode(training: ", dtype: float23") },
                       "t.yaml:4:50: training.dtype: unknown dtype 'float23' (did you mean 'float32'?); "
                       + "expected one of: float32, float64")
    }
}
