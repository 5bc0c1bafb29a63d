import Foundation
import GRDB
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// What `netrun plot` draws for a sweep and its runs: equal cells with a zero among the values, ties,
/// a diverged trial, legends by swept value, a log-scale loss, and a one-key sweep as a line.
final class ChartsCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-charts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func sweep(_ config: String) throws {
        let url = directory.appendingPathComponent("sweep.yaml")
        try config.write(to: url, atomically: true, encoding: .utf8)
        // One job: trial i is run i + 1.
        let result = try CLIRunner.run(["sweep", url.path, "--db", database, "--quiet", "--jobs", "1"])
        XCTAssertNotEqual(result.stderr.contains("error"), true, result.stderr)
    }

    private func plot(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> (svg: XMLDocument, stderr: String) {
        let output = directory.appendingPathComponent("chart.svg").path
        let result = try CLIRunner.run(["plot"] + arguments + ["-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return (try XMLDocument(contentsOf: URL(fileURLWithPath: output), options: []), result.stderr)
    }

    private func values(_ xpath: String, in document: XMLDocument) throws -> [String] {
        try document.nodes(forXPath: xpath).compactMap(\.stringValue)
    }

    private func groups(_ kind: String, in document: XMLDocument) throws -> [String] {
        try values("//*[local-name()='g'][@class='\(kind)']/@data-name", in: document)
    }

    /// Learning rates 1 and 1e30 by strengths 0 and 1e-4: at rate 1 both strengths score the same,
    /// at 1e30 with a strength the run diverges.
    static let zeroTiesAndDivergence = TinyConfigs.blobsSweep.replacingOccurrences(
        of: "    training.learning_rate: [0.01, 0.1]\n",
        with: "    training.learning_rate: [1, 1e30]\n    training.reg: [0, 0.0001]\n")

    func testSweepHeatmapGivesZeroAnEqualCellAndMarksEveryTieAndItsRunsAreNamedBySweptValues() throws {
        try sweep(Self.zeroTiesAndDivergence)
        let map = try plot(["--sweep", "1"]).svg
        XCTAssertEqual(try groups("cell", in: map), ["1e0 0", "1e30 0", "1e0 1e-4", "1e30 1e-4"])
        let widths = try values("//*[local-name()='g'][@class='cell']/*[local-name()='rect']/@width", in: map)
        XCTAssertEqual(Set(widths).count, 1, "equal cells: \(widths)")
        XCTAssertEqual(try groups("best", in: map), ["1e0 0", "1e0 1e-4"])
        XCTAssertTrue(try values("//*[local-name()='text']", in: map).contains("sweep 1 blobs: val accuracy (2 tied for best)"))

        let runs = try plot(["1", "2", "3", "4", "--log-y"])
        XCTAssertEqual(runs.stderr, "")
        let names = ["lr=1 reg=0", "lr=1 reg=1e-4", "lr=1e30 reg=0", "lr=1e30 reg=1e-4"]
        let curves = names.flatMap { ["\($0) train", "\($0) val"] }
        XCTAssertEqual(try groups("series", in: runs.svg), curves + curves, "loss, then accuracy")
        XCTAssertEqual(try groups("diverged", in: runs.svg), Array(repeating: ["lr=1e30 reg=1e-4 train", "lr=1e30 reg=1e-4 val"],
                                                                    count: 2).flatMap { $0 })
        let texts = try values("//*[local-name()='text']", in: runs.svg)
        XCTAssertTrue(texts.contains("lr=1e30 reg=1e-4 train (diverged)"), "\(texts)")
        XCTAssertTrue(texts.contains("loss (data, without regularisation) (log scale)"))
        XCTAssertFalse(texts.contains("accuracy (log scale)"), "--log-y is for the loss")

        // A loss of exactly 0 has no place on a log scale: left out, with a word.
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "UPDATE metrics SET value = 0 WHERE run_id = 1 AND split = 'train' AND name = 'loss' AND step = 0")
        }
        XCTAssertEqual(try plot(["1", "--log-y"]).stderr,
                       "netrun: warning: --log-y leaves out 1 loss value at or below 0 of run 1 train (a log scale has no place for them)\n")
        let refused = try CLIRunner.run(["plot", "--sweep", "1", "--log-y", "-o", "x.svg", "--db", database])
        XCTAssertEqual(refused.status, 64, refused.stderr)

        // --metric charts share the scale (a learning rate decays in powers of ten); accuracy never.
        let rate = try plot(["1", "--metric", "lr", "--log-y"])
        let labels = try values("//*[local-name()='text']", in: rate.svg)
        XCTAssertTrue(labels.contains("learning rate (the next step's) (log scale)"), "\(labels)")
        XCTAssertFalse(labels.contains("accuracy (log scale)"))
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: "UPDATE metrics SET value = 0 WHERE run_id = 1 AND name = 'lr'")
        }
        let none = try CLIRunner.run(["plot", "1", "--metric", "lr", "--log-y", "-o", "x.svg", "--db", database])
        XCTAssertEqual(none.status, 2, none.stderr)
        XCTAssertTrue(none.stderr.contains("--log-y: no lr of run 1 is above 0; plot it without --log-y"), none.stderr)
    }

    func testOneKeySweepIsALineOfTheMetricAgainstItsValues() throws {
        try sweep(TinyConfigs.blobsSweep)
        let chart = try plot(["--sweep", "1"]).svg
        XCTAssertEqual(try groups("cell", in: chart), [], "no one-row heatmap")
        XCTAssertEqual(try groups("series", in: chart), ["val accuracy"])
        XCTAssertEqual(try groups("markers", in: chart), ["circle"], "a marker on each trial")
        let texts = try values("//*[local-name()='text']", in: chart)
        XCTAssertTrue(texts.contains("learning rate (log scale)"), "0.01 and 0.1 span a factor of ten: \(texts)")
        // The best trial is ringed, as the heatmap outlines its best cell, and the legend says so.
        XCTAssertEqual(try groups("best", in: chart), ["best"])
        XCTAssertEqual(try values("//*[local-name()='g'][@class='best']/*", in: chart).count, 1, "one ring")
        XCTAssertTrue(texts.contains("best"), "\(texts)")
    }
}
