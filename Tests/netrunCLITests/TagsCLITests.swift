import Foundation
import NetrunStore
import XCTest

/// `--tag` and `--note` on train and sweep, `netrun tag`, `netrun runs --tag`, and `show` listing them.
final class TagsCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-tags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func netrun(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--db", database])
    }

    private func listed(_ arguments: [String]) throws -> [Int] {
        let result = try netrun(["runs", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
        return runs.compactMap { $0["id"] as? Int }
    }

    func testTrainTagsAndNotesARunAndRunsFiltersByTag() throws {
        let first = try netrun(["configs/xor-tanh.yaml", "training.epochs=3", "--quiet", "--tag", "team=vision", "--tag", "stage=baseline",
                                "--note", "first try"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try netrun(["configs/xor-tanh.yaml", "training.epochs=3", "--quiet", "--tag", "team=audio"]).status, 0)
        XCTAssertEqual(try netrun(["configs/xor-tanh.yaml", "training.epochs=3", "--quiet"]).status, 0)

        XCTAssertEqual(try listed(["--tag", "team=vision"]), [1])
        XCTAssertEqual(try listed(["--tag", "team"]), [2, 1])
        XCTAssertEqual(try listed(["--tag", "team", "--tag", "stage=baseline"]), [1])
        XCTAssertEqual(try listed(["--tag", "team=none"]), [])
        let none = try netrun(["runs", "--tag", "team=none"])
        XCTAssertTrue(none.stdout.hasPrefix("no runs in ") && none.stdout.contains(" match"), none.stdout)

        let shown = try netrun(["show", "1"])
        XCTAssertTrue(shown.stdout.contains("\n  tags: stage=baseline, team=vision\n"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("\n  note: first try\n"), shown.stdout)
        let json = try netrun(["show", "1", "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["tags"] as? [String: String], ["team": "vision", "stage": "baseline"])
        XCTAssertEqual(object["note"] as? String, "first try")

        let bad = try netrun(["configs/xor-tanh.yaml", "--quiet", "--tag", "=x"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("'=x' is not a tag; write key=value"), bad.stderr)
        XCTAssertEqual(try RunStore(readingAt: database).summaries().count, 3, "nothing recorded for a bad tag")
    }

    /// Tags are written when the run starts: a run killed mid-training keeps them.
    func testAKilledRunKeepsItsTags() throws {
        let killed = try CLIRunner.run(["configs/xor-tanh.yaml", "training.epochs=20", "--quiet", "--tag", "stage=probe",
                                        "--db", database], environment: ["NETRUN_TEST_STOP_AT_STEP": "3:KILL"])
        XCTAssertNotEqual(killed.status, 0)
        XCTAssertEqual(try listed(["--tag", "stage=probe"]), [1])
    }

    func testTagCommandSetsReplacesAndRemovesTagsAndTheNote() throws {
        XCTAssertEqual(try netrun(["configs/xor-tanh.yaml", "training.epochs=3", "--quiet", "--tag", "stage=draft"]).status, 0)
        let tagged = try netrun(["tag", "1", "stage=final", "owner=ana", "--note", "the one to keep"])
        XCTAssertEqual(tagged.status, 0, tagged.stderr)
        let store = try RunStore(readingAt: database)
        XCTAssertEqual(try store.tags(runID: 1).map { "\($0.key)=\($0.value)" }, ["owner=ana", "stage=final"])
        XCTAssertEqual(try store.summary(runID: 1)?.note, "the one to keep")

        XCTAssertEqual(try netrun(["tag", "1", "--remove", "owner", "--note", ""]).status, 0)
        let after = try RunStore(readingAt: database)  // a reading store sees the file as it was opened
        XCTAssertEqual(try after.tags(runID: 1).map(\.key), ["stage"])
        XCTAssertNil(try after.summary(runID: 1)?.note)

        let missing = try netrun(["tag", "9", "a=b"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no run 9 in "), missing.stderr)
        let noDatabase = try CLIRunner.run(["tag", "1", "a=b", "--db", directory.appendingPathComponent("none/x.sqlite").path])
        XCTAssertEqual(noDatabase.status, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("none").path))
    }

    func testSweepTagsEveryTrialsRun() throws {
        let config = directory.appendingPathComponent("sweep.yaml").path
        try TinyConfigs.blobsSweep.write(toFile: config, atomically: true, encoding: .utf8)
        let swept = try netrun(["sweep", config, "--quiet", "--jobs", "1", "--tag", "study=lr", "--note", "lr scan"])
        XCTAssertEqual(swept.status, 0, swept.stderr)
        XCTAssertEqual(try listed(["--tag", "study=lr"]).sorted(), [1, 2])
        XCTAssertEqual(try RunStore(readingAt: database).summary(runID: 2)?.note, "lr scan")
    }

    /// A trial's run is labelled as it starts, so the runs of a killed sweep keep the labels.
    func testAKilledSweepsTrialRunsKeepTheirTags() throws {
        let config = directory.appendingPathComponent("sweep.yaml").path
        try TinyConfigs.blobsSweep.write(toFile: config, atomically: true, encoding: .utf8)
        let killed = try CLIRunner.run(["sweep", config, "--quiet", "--jobs", "1", "--tag", "study=lr", "--db", database],
                                       environment: ["NETRUN_TEST_STOP_AT_STEP": "3:KILL"])
        XCTAssertNotEqual(killed.status, 0)
        XCTAssertEqual(try listed(["--tag", "study=lr"]), [1])
    }
}
