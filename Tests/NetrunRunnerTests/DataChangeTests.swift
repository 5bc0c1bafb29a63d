import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

/// A run's data files changed between the run and `resume`, `eval` or a re-run sweep.
final class DataChangeTests: XCTestCase {
    private var directory: URL!
    private var csv: URL { directory.appendingPathComponent("data/points.csv") }
    private var configPath: String { directory.appendingPathComponent("configs/points.yaml").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-data-change-\(UUID().uuidString)")
        for folder in ["data", "configs"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try writeCSV(rows: 60)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `rows` points of two features, labelled by the sign of their product (XOR), 3 decimals each;
    /// `flipFirstLabel` edits the file without changing its size.
    private func writeCSV(rows: Int, flipFirstLabel: Bool = false) throws {
        var generator = SplitMix64(seed: 11)
        let lines = (0..<rows).map { row -> String in
            let x = 2 * generator.nextUnit() - 1, y = 2 * generator.nextUnit() - 1
            let label = (x * y < 0) != (flipFirstLabel && row == 0)
            return String(format: "%.3f,%.3f,", x, y) + (label ? "1" : "0")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
    }

    private let configText = """
        name: points
        seed: 3
        data:
          csv: {path: ../data/points.csv, label: -1, header: false}
          split: {val: 10}
        model:
          layers: [{dense: {units: 6, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.3, batch_size: 10, epochs: 6, checkpoint_every: 1}
        """

    /// A run of the points config stopped after `steps` steps, with its checkpoint there.
    private func stoppedRun(_ store: RunStore, steps: Int = 7) throws -> Int64 {
        try configText.write(toFile: configPath, atomically: true, encoding: .utf8)
        var count = 0
        let report = try TrainingRun.run(try PreparedRun(configPath: configPath), store: store,
                                         shouldStop: { count += 1; return count == steps })
        XCTAssertEqual(report.status, .interrupted)
        return report.runID
    }

    private func store() throws -> RunStore {
        try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
    }

    private func refusal(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            XCTFail("expected a refusal")
            return ""
        } catch let error as RunnerError {
            return error.description
        } catch {
            XCTFail("expected a RunnerError, got \(error)")
            return ""
        }
    }

    func testARunRecordsEveryDataFileItReadWithItsConfigFolder() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        let recorded = try XCTUnwrap(try store.recordedData(runID: runID))
        XCTAssertEqual(recorded.configFolder, directory.appendingPathComponent("configs").standardizedFileURL.path)
        let file = try XCTUnwrap(recorded.files.first)
        XCTAssertEqual(recorded.files.count, 1)
        XCTAssertEqual(file.role, "train")
        XCTAssertEqual(file.path, "../data/points.csv")
        XCTAssertEqual(file.absolutePath, csv.standardizedFileURL.path)
        XCTAssertEqual(file.size, Int64(try Data(contentsOf: csv).count))
        XCTAssertEqual(file.sha256.count, 64)
    }

    func testResumeRefusesAShrunkDataFileNamingIt() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        let size = try Data(contentsOf: csv).count
        try writeCSV(rows: 40)
        let message = refusal { try TrainingRun.prepareResume(runID: runID, store: store, as: Float.self) }
        XCTAssertTrue(message.hasPrefix("data file \(csv.standardizedFileURL.path) changed since run \(runID) read it "
                                        + "(size \(size) → \(try Data(contentsOf: csv).count) bytes)"), message)
        XCTAssertTrue(message.hasSuffix("; pass --allow-changed-data to continue anyway"), message)
    }

    func testResumeRefusesASameSizeEdit() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        let before = try Data(contentsOf: csv)
        try writeCSV(rows: 60, flipFirstLabel: true)  // one label changed: same size, other samples
        XCTAssertEqual(try Data(contentsOf: csv).count, before.count)
        let message = refusal { try TrainingRun.prepareResume(runID: runID, store: store, as: Float.self) }
        XCTAssertTrue(message.contains("data file \(csv.standardizedFileURL.path) changed since run \(runID) read it "
                                       + "(content differs"), message)
    }

    func testResumeRefusesAMissingDataFile() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        try FileManager.default.removeItem(at: csv)
        let message = refusal { try TrainingRun.prepareResume(runID: runID, store: store, as: Float.self) }
        XCTAssertTrue(message.hasPrefix("data file \(csv.standardizedFileURL.path) changed since run \(runID) read it "
                                        + "(it is gone)"), message)
    }

    func testAllowingAShrunkFileStillRefusesACheckpointWhoseSampleOrderNoLongerFits() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        try writeCSV(rows: 40)
        let message = refusal { try TrainingRun.prepareResume(runID: runID, store: store, allowChangedData: true, as: Float.self) }
        XCTAssertEqual(message, "run \(runID)'s checkpoint does not fit its training data: its sample order has 50 samples, "
                       + "the training data 30; the data changed since the run read it, so it cannot continue from "
                       + "this checkpoint — train it again instead")
    }

    func testUnchangedOrOnlyTouchedDataResumesToTheEnd() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: csv.path)
        let report = try TrainingRun.resume(runID: runID, store: store)
        XCTAssertEqual(report.status, .finished)
    }

    func testARunFromBeforeFingerprintsResumesUnchecked() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        try sqlite(store.path, "UPDATE runs SET config_folder = NULL; DELETE FROM data_files;")
        XCTAssertNil(try store.recordedData(runID: runID))
        try writeCSV(rows: 60, flipFirstLabel: true)  // nothing to compare with: continues on what it finds
        XCTAssertEqual(try TrainingRun.resume(runID: runID, store: store).status, .finished)
    }

    func testEvalRefusesChangedDataUnlessAllowed() throws {
        let store = try store()
        let runID = try stoppedRun(store)
        XCTAssertEqual(try StoredModel(runID: runID, store: store).evaluate(split: "val").count, 10)
        try writeCSV(rows: 40)
        let model = try StoredModel(runID: runID, store: store)
        let message = refusal { try model.evaluate(split: "val") }
        XCTAssertTrue(message.hasPrefix("data file \(csv.standardizedFileURL.path) changed since run \(runID)"), message)
        XCTAssertEqual(try model.evaluate(split: "val", allowChangedData: true).count, 10)
    }

    func testARerunSweepRefusesToContinueATrialWhoseDataChanged() throws {
        let sweepText = configText + "\nsweep:\n  grid:\n    training.learning_rate: [0.1, 0.3]\n"
        try sweepText.write(toFile: configPath, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(config: try ConfigLoader.load(path: configPath))
        let store = try store()
        let steps = Counter()
        let first = try SweepRun.run(plan, store: store, jobs: 1, shouldStop: { steps.tick() >= 9 })
        XCTAssertTrue(first.interrupted)
        try writeCSV(rows: 60, flipFirstLabel: true)
        let again = try SweepPlan(config: try ConfigLoader.load(path: configPath))
        let message = refusal { try SweepRun.run(again, store: store, jobs: 1) }
        XCTAssertTrue(message.contains("data file \(csv.standardizedFileURL.path) changed since run"), message)
    }

    private func sqlite(_ database: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}

/// Counts calls from any thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func tick() -> Int { lock.withLock { count += 1; return count } }
}
