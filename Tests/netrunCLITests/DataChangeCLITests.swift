import Foundation
import XCTest

/// `netrun resume` and `netrun eval` after a run's data file changed, and from another folder.
final class DataChangeCLITests: XCTestCase {
    private var directory: URL!
    private var csv: URL { directory.appendingPathComponent("data/points.csv") }
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-data-\(UUID().uuidString)")
            .standardizedFileURL
        for folder in ["data", "configs", "elsewhere"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try writeCSV(rows: 60)
        try """
            name: points
            seed: 3
            data:
              csv: {path: ../data/points.csv, label: -1, header: false}
              split: {val: 10}
            model:
              layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
            loss: softmax_cross_entropy
            training: {learning_rate: 0.3, batch_size: 10, epochs: 6, checkpoint_every: 1}
            """.write(to: directory.appendingPathComponent("configs/points.yaml"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `rows` XOR points; `flipFirstLabel` edits the file without changing its size.
    private func writeCSV(rows: Int, flipFirstLabel: Bool = false) throws {
        let lines = (0..<rows).map { row -> String in
            let x = Double((row * 37) % 100) / 50 - 1, y = Double((row * 61 + 13) % 100) / 50 - 1
            let label = (x * y < 0) != (flipFirstLabel && row == 0)
            return String(format: "%.2f,%.2f,", x, y) + (label ? "1" : "0")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
    }

    /// Runs netrun in `folder` (a subfolder of the test's), with `environment` added to its own.
    private func netrun(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory.appendingPathComponent(folder)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Trains from the test's folder with the config given by a relative path, stopped after step 7.
    private func stoppedRun() throws {
        let stopped = try netrun(["configs/points.yaml", "--db", database, "--quiet"], in: "",
                                 environment: ["NETRUN_TEST_STOP_AT_STEP": "7"])
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
    }

    func testResumeRefusesAShrunkFileThenItsIndicesThenContinuesOnceItIsBack() throws {
        try stoppedRun()
        let original = try Data(contentsOf: csv)
        try writeCSV(rows: 40)
        let shrunk = try Data(contentsOf: csv)

        let refused = try netrun(["resume", "1", "--db", database, "--quiet"], in: "")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertEqual(refused.stderr, "netrun: data file \(csv.path) changed since run 1 read it "
                       + "(size \(original.count) → \(shrunk.count) bytes); pass --allow-changed-data to continue anyway\n")

        let allowed = try netrun(["resume", "1", "--db", database, "--quiet", "--allow-changed-data"], in: "")
        XCTAssertEqual(allowed.status, 2, allowed.stderr)
        XCTAssertTrue(allowed.stderr.hasPrefix("netrun: run 1's checkpoint does not fit its training data: "
                                               + "its sample order has 50 samples, the training data 30"), allowed.stderr)

        try original.write(to: csv)
        let resumed = try netrun(["resume", "1", "--db", database, "--quiet"], in: "elsewhere")
        XCTAssertEqual(resumed.status, 0, "relative data paths resolve against the config's folder: \(resumed.stderr)")
    }

    func testResumeRefusesASameSizeEdit() throws {
        try stoppedRun()
        try writeCSV(rows: 60, flipFirstLabel: true)
        let refused = try netrun(["resume", "1", "--db", database], in: "")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("data file \(csv.path) changed since run 1 read it (content differs"),
                      refused.stderr)
        let allowed = try netrun(["resume", "1", "--db", database, "--quiet", "--allow-changed-data"], in: "")
        XCTAssertEqual(allowed.status, 0, "the same number of samples: the checkpoint still fits. \(allowed.stderr)")
    }

    func testEvalRefusesChangedDataAndResolvesPathsFromAnyFolder() throws {
        try stoppedRun()
        let fromElsewhere = try netrun(["eval", "1", "--db", database, "--split", "val"], in: "elsewhere")
        XCTAssertEqual(fromElsewhere.status, 0, fromElsewhere.stderr)
        XCTAssertTrue(fromElsewhere.stdout.contains("on val: 10 samples"), fromElsewhere.stdout)

        try writeCSV(rows: 40)
        let refused = try netrun(["eval", "1", "--db", database], in: "elsewhere")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.hasPrefix("netrun: data file \(csv.path) changed since run 1 read it (size"), refused.stderr)
        let allowed = try netrun(["eval", "1", "--db", database, "--split", "val", "--allow-changed-data"], in: "elsewhere")
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
    }
}
