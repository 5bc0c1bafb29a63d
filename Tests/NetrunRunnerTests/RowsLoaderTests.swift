import NetrunConfig
import NetrunCore
import Foundation
import NetrunData
import NetrunRunner
import NetrunStore
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

    func testRowsOfOneFileRecordItsFingerprintForEachPartAndResumeStillChecksIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("points.csv")
        try ((0..<50).map { "\(Double($0) / 50),\($0 % 2)" }.joined(separator: "\n") + "\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("rows.yaml").path
        try """
            data:
              csv: {path: points.csv, header: false}
              rows: [0, 40]
              val: {csv: {path: points.csv, header: false}, rows: [40, 50]}
            model: {layers: [{dense: 2}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, batch_size: 10, epochs: 4, checkpoint_every: 1}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        var steps = 0
        let report = try TrainingRun.run(try PreparedRun(configPath: config), store: store,
                                         shouldStop: { steps += 1; return steps == 5 })
        XCTAssertEqual(report.status, .interrupted)
        let recorded = try XCTUnwrap(try store.recordedData(runID: report.runID))
        XCTAssertEqual(recorded.files.map { "\($0.role) \($0.path)" }, ["train points.csv", "val points.csv"])

        try "0.5,1\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingRun.prepareResume(runID: report.runID, store: store, as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("changed since run \(report.runID) read it"), "\(error)")
        }
    }
}
