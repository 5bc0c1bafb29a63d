import Foundation
import NetrunStore
import XCTest

final class DataFilesStoreTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-data-files-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(_ files: [DataFingerprint], folder configFolder: String? = "/work/configs") -> NewRun {
        NewRun(name: "digits", configPath: "configs/digits.yaml", configText: "abc", seed: 1, netrunVersion: "0.1.0",
               configFolder: configFolder, dataFiles: files)
    }

    private let digits = DataFingerprint(role: "train", path: "../data/digits.csv", absolutePath: "/work/data/digits.csv",
                                         size: 1234, modified: 1_700_000_000.25, sha256: String(repeating: "ab", count: 32))

    func testDataFilesAndConfigFolderAreRecordedWithTheRun() throws {
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        var test = digits
        test.role = "test"
        test.path = "/elsewhere/test.csv"
        test.absolutePath = "/elsewhere/test.csv"
        let id = try store.beginRun(run([test, digits]))
        let recorded = try XCTUnwrap(try store.recordedData(runID: id))
        XCTAssertEqual(recorded.configFolder, "/work/configs")
        XCTAssertEqual(recorded.files, [digits, test], "in reading order: train, val, test")
    }

    func testARunWithoutAConfigFolderHasNoRecordedData() throws {
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        let id = try store.beginRun(run([], folder: nil))
        XCTAssertNil(try store.recordedData(runID: id), "as for runs recorded before fingerprints")
        let synthetic = try store.beginRun(run([]))
        XCTAssertEqual(try store.recordedData(runID: synthetic), RecordedData(configFolder: "/work/configs", files: []))
    }

    func testAFingerprintTheSchemaRefusesLeavesNoRun() throws {
        let store = try RunStore(path: folder.appendingPathComponent("n.sqlite").path)
        var broken = digits
        broken.sha256 = "abc"
        XCTAssertThrowsError(try store.beginRun(run([digits, broken])))
        XCTAssertEqual(try store.summaries().count, 0, "the run and its files are one transaction")
    }
}
