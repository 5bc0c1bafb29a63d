import NetrunConfig
import NetrunCore
import NetrunData
import XCTest

/// `rows: [START, END]` beside a source keeps samples START..<END (numpy's `X[START:END]`).
final class RowsLoaderTests: XCTestCase {
    private let samples = "  inputs: [[0], [1], [2], [3], [4], [5], [6], [7]]\n  targets: [0, 1, 0, 1, 0, 1, 0, 1]"

    private func load(_ data: String) throws -> Datasets<Float> {
        try DataLoader.load(try ConfigLoader.decode(text: """
            seed: 5
            data:
            \(data)
            model: {layers: [{dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """, path: "r.yaml"))
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testRowsKeepTheirSamplesOnTheMainAndHeldOutSources() throws {
        let data = try load(samples + "\n  rows: [0, 5]\n  val:\n  " + samples.replacingOccurrences(of: "\n", with: "\n  ")
                            + "\n    rows: [5, 8]")
        XCTAssertEqual(data.train.inputs.values, [0, 1, 2, 3, 4], "cs231n's X[range(0, 5)], in order, no shuffle")
        XCTAssertEqual(data.validation?.inputs.values, [5, 6, 7])
        XCTAssertEqual(data.validation?.targets.rowValues, [[0, 1], [1, 0], [0, 1]])
    }

    func testRowsApplyBeforeTheSplit() throws {
        let data = try load(samples + "\n  rows: [2, 8]\n  split: {val: 2}")
        XCTAssertEqual(data.train.count + (data.validation?.count ?? 0), 6)
        let all = Set(data.train.inputs.values + (data.validation?.inputs.values ?? []))
        XCTAssertEqual(all, [2, 3, 4, 5, 6, 7])
    }

    func testRowsPastTheSourceNameItsSize() {
        XCTAssertEqual(error { try self.load(self.samples + "\n  rows: [4, 9]") },
                       "r.yaml:5:9: data.rows: rows [4, 9] reach past the end of data: it has 8 samples, rows 0 to 7")
    }
}
