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

    func testACommandAfterAnOptionIsNamedAsMisplacedNotAsAMissingConfig() throws {
        for (arguments, message) in [
            (["--db", database, "runs"], "'runs' is a command, not a config: put the command first and its options after it "
                + "(netrun runs --db PATH …)"),
            (["--quiet", "trian"], "unknown command 'trian' (did you mean 'train'?)"),
        ] {
            let result = try CLIRunner.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr, "netrun: \(message)\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing is written for a misplaced command")
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

extension ForgivingCLITests {
    private func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func xorConfig(replacing old: String = "", with new: String = "") throws -> String {
        let text = try String(contentsOfFile: CLIRunner.repository.appendingPathComponent("configs/xor-softmax.yaml").path,
                              encoding: .utf8)
        return old.isEmpty ? text : text.replacingOccurrences(of: old, with: new)
    }

    func testMisspelledConfigKeyIsReportedAsUnknownBeforeTheMissingOne() throws {
        let path = try write(try xorConfig(replacing: "learning_rate: 0.5", with: "learing_rate: 0.5"), to: "c.yaml")
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: \(path):21:3: training: unknown key 'learing_rate' (did you mean 'learning_rate'?)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testMisspelledOverrideKeyGetsASuggestionEvenWhenTheKeyIsInTheFile() throws {
        let result = try CLIRunner.run(["configs/xor-softmax.yaml", "training.learing_rate=0.1", "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: command line (training.learing_rate=0.1):1:1: training: "
                       + "unknown key 'learing_rate' (did you mean 'learning_rate'?)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testMisspelledSweepGridKeyGetsASuggestion() throws {
        let path = try write(try xorConfig() + """

            sweep:
              grid:
                training.learing_rate: [0.1, 0.5]
            """, to: "s.yaml")
        let result = try CLIRunner.run(["sweep", path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("unknown key 'learing_rate' (did you mean 'learning_rate'?)"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testGradcheckTakesOverridesAndSuggestsForMisspelledOnes() throws {
        let checked = try CLIRunner.run(["gradcheck", "configs/xor-softmax.yaml", "training.reg=0.01", "--samples", "2"])
        XCTAssertEqual(checked.status, 0, checked.stderr)
        XCTAssertTrue(checked.stdout.contains("reg 0.01"), checked.stdout)
        let typo = try CLIRunner.run(["gradcheck", "configs/xor-softmax.yaml", "training.reg=0.01", "training.momentun=0.9"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertEqual(typo.stderr, "netrun: command line (training.momentun=0.9):1:1: training: "
                       + "unknown key 'momentun' (did you mean 'momentum'?)\n")
    }
}

extension ForgivingCLITests {
    func testStatusAndSplitAreTypedArgumentsListingTheirValues() throws {
        let status = try CLIRunner.run(["runs", "--status", "finshed", "--db", database])
        XCTAssertEqual(status.status, 64)
        XCTAssertTrue(status.stderr.contains("The value 'finshed' is invalid for '--status <status>'"), status.stderr)
        for name in ["running", "finished", "failed", "diverged", "interrupted", "stale"] {
            XCTAssertTrue(status.stderr.contains("- \(name)\n"), "\(name) not listed: \(status.stderr)")
        }
        let split = try CLIRunner.run(["eval", "1", "--split", "vall", "--db", database])
        XCTAssertEqual(split.status, 64)
        XCTAssertTrue(split.stderr.contains("The value 'vall' is invalid for '--split <split>'. Please provide one of 'train', 'val' or 'test'."),
                      split.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "a usage error opens nothing")
    }

    func testCompletionScriptsOfferCommandsStatusesAndSplits() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLIRunner.run(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, "\(shell): \(script.stderr)")
            for word in ["gradcheck", "interrupted", "stale"] {
                XCTAssertTrue(script.stdout.contains(word), "\(shell) completion lacks \(word)")
            }
        }
        // bash's script has no help text: the values are there because the arguments are typed.
        let bash = try CLIRunner.run(["--generate-completion-script", "bash"]).stdout
        XCTAssertTrue(bash.contains("'diverged'$'\\n''interrupted'$'\\n''stale'"), "bash completion lacks the statuses")
        XCTAssertTrue(bash.contains("'train'$'\\n''val'$'\\n''test'"), "bash completion lacks the splits")
    }
}
