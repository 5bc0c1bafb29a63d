import Foundation
import XCTest

/// What train and sweep show while they run. On a terminal the table stays and a status line under
/// it is rewritten in place, cut to the width, and erased at the end; anywhere else, plain lines.
final class ProgressCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ text: String, _ name: String = "blobs.yaml") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testOutputWithoutATerminalHasNoEscapeCodes() throws {
        let result = try CLIRunner.run([try write(TinyConfigs.blobs), "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.contains("\u{1B}"), "escape codes in piped output")
        XCTAssertFalse(result.stdout.contains("\r"), "carriage returns in piped output")
        XCTAssertTrue(result.stdout.contains("   epoch     step  train loss"), result.stdout)
    }

    /// As Keras leaves its history: every log point's row stays on screen, the progress line does not.
    func testOnATerminalTheTableStaysAndTheProgressLineIsErased() throws {
        let result = try PseudoTerminal.run([try write(TinyConfigs.blobs), "--db", database], columns: 120)
        XCTAssertEqual(result.status, 0, result.transcript)
        XCTAssertTrue(result.transcript.contains("\r\u{1B}[Kepoch 2/2  step 10/10  train "), result.transcript)
        XCTAssertTrue(result.transcript.contains("steps/s  ETA 0:00"), result.transcript)

        let screen = result.screen
        let header = try XCTUnwrap(screen.firstIndex { $0.hasPrefix("   epoch     step  train loss") }, "\(screen)")
        XCTAssertEqual(screen[(header + 1)...].prefix(3).map { $0.split(separator: " ").prefix(2).joined(separator: " ") },
                       ["0 0", "1 5", "2 10"], "every row stays, in order: \(screen)")
        XCTAssertTrue(screen[header + 4].hasPrefix("finished: train loss "), "\(screen)")
        XCTAssertFalse(screen.contains { $0.contains("steps/s") }, "the progress line is erased: \(screen)")
    }

    /// On a narrow terminal the progress line is cut to its width, never wrapped.
    func testTheProgressLineIsCutToTheTerminalsWidth() throws {
        let result = try PseudoTerminal.run([try write(TinyConfigs.blobs), "--db", database], columns: 40)
        XCTAssertEqual(result.status, 0, result.transcript)
        let drawn = result.transcript.components(separatedBy: "\r\u{1B}[K").dropFirst()
            .map { $0.prefix { $0 != "\r" && $0 != "\n" && $0 != "\r\n" } }
            .filter { $0.hasPrefix("epoch ") }
        XCTAssertFalse(drawn.isEmpty, result.transcript)
        for line in drawn { XCTAssertLessThanOrEqual(line.count, 39, "\(line)") }
        XCTAssertTrue(drawn.contains { $0.count == 39 }, "the line fills the width: \(drawn)")
    }

    /// A long name (some of it two columns a character), a deep model, three splits, a long
    /// database path and a resumed run's two durations: every line still fits 80 columns.
    func testEveryLineATrainingRunPrintsFitsEightyColumns() throws {
        let name = "a run whose name goes on and on, 名前がとても長い実験 " + String(repeating: "x", count: 60)
        let layers = Array(repeating: "{dense: {units: 4, activation: tanh}}", count: 12) + ["{dense: 3}"]
        let config = try write(TinyConfigs.blobs
            .replacingOccurrences(of: "name: blobs", with: "name: \(name)")
            .replacingOccurrences(of: "split: {val: 15}", with: "split: {val: 15, test: 15}")
            .replacingOccurrences(of: "{layers: [{dense: 3}]}", with: "{layers: [\(layers.joined(separator: ", "))]}"))
        let db = directory.appendingPathComponent(String(repeating: "a-folder-with-a-long-name/", count: 4) + "runs.sqlite").path

        let stopped = try CLIRunner.run([config, "--db", db], environment: ["NETRUN_TEST_STOP_AT_STEP": "3"])
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let resumed = try CLIRunner.run(["resume", "1", "--db", db])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("test accuracy"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains(" wall-clock)"), resumed.stdout)

        let lines = (stopped.stdout + resumed.stdout).split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 10)
        for line in lines {
            // Counted here on their own: the CJK ideographs and kana take two columns, the rest one.
            let columns = line.unicodeScalars.reduce(0) { $0 + ((0x3040...0x9FFF).contains($1.value) ? 2 : 1) }
            XCTAssertLessThanOrEqual(columns, 80, "\(line)")
        }
        XCTAssertTrue(lines[0].hasPrefix("netrun a run whose name goes on and on, 名前"), "\(lines)")
    }

    /// A sweep on a terminal counts its trials under their rows, and the rows stay intact once the
    /// count is erased; with `--quiet` it shows no count at all (piped, neither: SweepCLITests).
    func testASweepOnATerminalCountsItsTrialsUnderTheRows() throws {
        let config = try write(TinyConfigs.blobsSweep)
        let result = try PseudoTerminal.run(["sweep", config, "--jobs", "1", "--db", database])
        XCTAssertEqual(result.status, 0, result.transcript)
        XCTAssertTrue(result.transcript.contains("\r\u{1B}[Ktrials: 0 done, 1 running, 1 left  ETA --:--"), result.transcript)
        XCTAssertTrue(result.transcript.contains("\r\u{1B}[Ktrials: 1 done, 1 running, 0 left  ETA "), result.transcript)

        let screen = result.screen
        let header = try XCTUnwrap(screen.firstIndex { $0.hasPrefix(" trial  learning_rate") }, "\(screen)")
        XCTAssertTrue(screen[header + 1].hasPrefix("     0           0.01 "), "\(screen)")
        XCTAssertTrue(screen[header + 1].hasSuffix("finished (run 1)"), "\(screen)")
        XCTAssertTrue(screen[header + 2].hasSuffix("finished (run 2)"), "\(screen)")
        XCTAssertTrue(screen[header + 3].hasPrefix("best: trial "), "\(screen)")
        XCTAssertFalse(screen.contains { $0.contains("trials:") }, "the count is erased: \(screen)")

        let quiet = try PseudoTerminal.run(["sweep", config, "--jobs", "1", "--quiet", "--db", database + "-quiet"])
        XCTAssertEqual(quiet.status, 0, quiet.transcript)
        XCTAssertFalse(quiet.transcript.contains("trials:"), quiet.transcript)
    }
}
