import Foundation
import XCTest

/// A command line that forgives: typos of commands, config keys and override keys are named as
/// typos with a suggestion, and a usage mistake exits 64 (ExitStatus.usage).
final class ForgivingCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-forgiving-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testMistypedCommandIsRefusedWithASuggestion() throws {
        for (arguments, typed, meant) in [(["trian", "configs/xor-softmax.yaml"], "trian", "train"), (["run"], "run", "runs"),
                                          (["swep", "configs/digits-sweep.yaml"], "swep", "sweep"),
                                          (["gradchek", "configs/xor-softmax.yaml"], "gradchek", "gradcheck")] {
            let result = try CLIRunner.run(arguments + ["--db", database])
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr, "netrun: unknown command '\(typed)' (did you mean '\(meant)'?)\n")
            XCTAssertEqual(result.stdout, "")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing is written for a typo")
    }

    func testTrainWithoutAConfigIsAUsageError() throws {
        let result = try CLIRunner.run(["train"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, "netrun: train needs a config: netrun train CONFIG [key.path=value …] (netrun train --help)\n")
        XCTAssertEqual(result.stdout, "")
        let bare = try CLIRunner.run([])
        XCTAssertEqual(bare.status, 0, "bare netrun keeps printing the help")
        XCTAssertTrue(bare.stdout.contains("USAGE: netrun"), bare.stdout)
    }
}
