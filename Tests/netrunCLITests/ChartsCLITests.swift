import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// What `netrun plot` draws for a sweep: a one-key sweep as a line.
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

    func testOneKeySweepIsALineOfTheMetricAgainstItsValues() throws {
        try sweep(TinyConfigs.blobsSweep)
        let chart = try plot(["--sweep", "1"]).svg
        XCTAssertEqual(try groups("cell", in: chart), [], "no one-row heatmap")
        XCTAssertEqual(try groups("series", in: chart), ["val accuracy"])
        XCTAssertEqual(try groups("markers", in: chart), ["circle"], "a marker on each trial")
        let texts = try values("//*[local-name()='text']", in: chart)
        XCTAssertTrue(texts.contains("learning rate (log scale)"), "0.01 and 0.1 span a factor of ten: \(texts)")
    }
}
