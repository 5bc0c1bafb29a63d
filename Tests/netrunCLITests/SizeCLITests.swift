import Foundation
import XCTest

/// Sizes too large for memory or for the step counter are refused as bad input, at once, with
/// the estimate, and nothing is written.
final class SizeCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testHugeUnitsOverrideExitsTwoQuicklyWithTheEstimate() throws {
        let start = ContinuousClock.now
        let result = try CLIRunner.run(["configs/xor-tanh.yaml", "model.layers[0].dense.units=9223372036854775807",
                                        "--db", database])
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("netrun: configs/xor-tanh.yaml:12:7: model.layers[0]: the run needs more "
                                              + "than 8 EiB of memory — model more than 8 EiB"), result.stderr)
        XCTAssertTrue(result.stderr.contains("more than the memory budget of"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing is written for a refused config")

        let large = try CLIRunner.run(["configs/xor-tanh.yaml", "model.layers[0].dense.units=4294967296", "--db", database])
        XCTAssertEqual(large.status, 2, large.stderr)
        XCTAssertTrue(large.stderr.contains("model.layers[0]: the run needs about 512.0 GiB of memory"), large.stderr)
    }

    func testEpochsOverflowingTheStepCountLeaveNoRun() throws {
        let result = try CLIRunner.run(["configs/xor-tanh.yaml", "training.epochs=9223372036854775807", "--db", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "netrun: command line (training.epochs=9223372036854775807):1:1: training.epochs: "
                       + "9223372036854775807 epochs of 1 step is more than the 9007199254740992 (2^53) steps a run can count\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "no run row")
    }
}
