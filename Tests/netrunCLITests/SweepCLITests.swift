import Foundation
import NetrunStore
import XCTest

/// `netrun sweep` and `netrun gradcheck`, run as the built binary.
final class SweepCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let sweep = """
        name: blobs
        seed: 3
        data:
          synthetic: {kind: blobs, classes: 3, per_class: 40, dimensions: 2, spread: 2}
          split: {val: 30}
          preprocess: {standardize: true}
        model: {layers: [{dense: 3}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, batch_size: 10, epochs: 5}
        sweep:
          grid:
            training.learning_rate: [0.01, 0.1]
            training.reg: [0, 0.01]

        """

    private func write(_ text: String) throws -> String {
        let url = directory.appendingPathComponent("sweep.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testSweepPrintsATrialTableAndTheBestAndResumes() throws {
        let path = try write(sweep)
        let result = try CLIRunner.run(["sweep", path, "--db", database, "--jobs", "2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("netrun sweep blobs: 4 trials over training.learning_rate × training.reg, "
                                         + "ranked by val_accuracy; sweep 1 in"), lines[0])
        XCTAssertEqual(lines[1], " trial  learning_rate         reg  train acc   val acc     time  status")
        let rows = lines.filter { $0.contains("finished (run") }
        XCTAssertEqual(rows.count, 4)
        XCTAssertFalse(result.stdout.contains("trials:") || result.stdout.contains("\u{1B}"), "no status line in a pipe")
        let best = try XCTUnwrap(lines.first { $0.hasPrefix("best: trial ") }, result.stdout)
        XCTAssertTrue(lines.last!.contains("its final checkpoint is kept; export it with: netrun export "), result.stdout)

        let again = try CLIRunner.run(["sweep", path, "--db", database])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("resuming: 4 of 4 trials done earlier are not run again"), again.stdout)
        XCTAssertTrue(again.stdout.contains(best), again.stdout)
        XCTAssertEqual(try RunStore(path: database).summaries().count, 4, "nothing re-ran")
    }

    func testSweepRanksByMacroF1WhichEveryTrialLogs() throws {
        let path = try write(sweep.replacingOccurrences(of: "epochs: 5}", with: "epochs: 2, metrics: [top2]}")
            .replacingOccurrences(of: "    training.reg: [0, 0.01]\n", with: "  metric: val_macro_f1\n"))
        let result = try CLIRunner.run(["sweep", path, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("ranked by val_macro_f1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("best: trial "), result.stdout)
        let store = try RunStore(path: database)
        let runs = try store.summaries()
        XCTAssertEqual(runs.count, 2)
        for run in runs {
            let metrics = try store.metrics(runID: run.id)
            let final = metrics.filter { $0.step == metrics.last!.step }.map { "\($0.split)_\($0.name)" }
            XCTAssertEqual(final, ["train_accuracy", "train_loss", "train_lr", "train_macro_f1", "train_top2",
                                   "val_accuracy", "val_loss", "val_macro_f1", "val_top2"])
        }
        let unknown = try CLIRunner.run(["sweep", try write(sweep + "  metric: val_f1\n"), "--db", database])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("sweep.metric: unknown metric 'val_f1'"), unknown.stderr)
    }

    func testSweepWithoutAGridIsABadInputError() throws {
        let path = try write(sweep.components(separatedBy: "sweep:")[0])
        let result = try CLIRunner.run(["sweep", path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("no 'sweep:' block"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testGradcheckPrintsTheErrorsAndTheCriterionPerParameter() throws {
        let result = try CLIRunner.run(["gradcheck", "configs/digits-mlp.yaml", "--entries", "5"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("centered differences with h = 1e-06 in Float64; an entry passes when "
                                          + "|a − n| ≤ 1e-05 + 0.001·|n| (a analytic, n numeric)"), lines[0])
        XCTAssertEqual(lines[1].split(separator: " ").joined(separator: " "),
                       "parameter shape checked max abs error max rel error error/tol")
        let weight = try XCTUnwrap(lines.first { $0.hasPrefix("layers[0].weight") }).split(separator: " ")
        // name, shape (2 words), checked, abs, rel, error/tol, ok
        XCTAssertEqual(weight.count, 8, "\(weight)")
        XCTAssertEqual(weight[1...3].joined(separator: " "), "[64, 64] 5")
        for number in weight[4...6] { XCTAssertNotNil(Double(number), "\(weight)") }
        XCTAssertEqual(weight[7], "ok")
        XCTAssertTrue(result.stdout.hasSuffix("all 4 parameters within |a − n| ≤ 1e-05 + 0.001·|n|\n"), result.stdout)
    }

    func testGradcheckFailsOutsideTheTolerance() throws {
        let result = try CLIRunner.run(["gradcheck", "configs/digits-mlp.yaml", "--atol", "0", "--rtol", "1e-15"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("netrun: gradient check failed: layers[0].weight ("), result.stderr)
        XCTAssertTrue(result.stderr.contains("outside |a − n| ≤ 0.0 + 1e-15·|n|"), result.stderr)
    }

    func testGradcheckThresholdKeepsTheRelativeTest() throws {
        let passing = try CLIRunner.run(["gradcheck", "configs/digits-mlp.yaml", "--entries", "5", "--threshold", "1e-6"])
        XCTAssertEqual(passing.status, 0, passing.stderr)
        XCTAssertTrue(passing.stdout.contains("h = 1e-05 in Float64; an entry passes when |a − n| ≤ 1e-06·max(|a|, |n|, 0.0001)"),
                      passing.stdout)
        let failing = try CLIRunner.run(["gradcheck", "configs/digits-mlp.yaml", "--threshold", "1e-15"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stderr.hasPrefix("netrun: gradient check failed: layers[0].weight"), failing.stderr)
        let both = try CLIRunner.run(["gradcheck", "configs/digits-mlp.yaml", "--threshold", "1e-6", "--rtol", "1e-3"])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--threshold selects the relative test; give it or --atol/--rtol, not both"), both.stderr)
    }

    /// cs231n's inputs (raw pixels minus the mean image, about ±128) with its tiny weights and
    /// reg 5e4: a correct backward once failed at a relative error of ~2e-6 against 1e-6.
    private let rawPixels = """
        name: raw-pixels
        seed: 1
        data:
          synthetic: {kind: blobs, classes: 10, per_class: 2, dimensions: 64, spread: 1}
          preprocess: {scale: 12.8, subtract_mean: true}
        model:
          layers:
            - dense: {units: 10, init: {normal: 0.0001}}
        loss: softmax_cross_entropy
        training: {learning_rate: 1.0e-7, reg: 5.0e4, epochs: 1}
        """

    func testGradcheckPassesACorrectBackwardOnRawPixelScaleInputs() throws {
        let path = try write(rawPixels)
        let result = try CLIRunner.run(["gradcheck", path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("all 2 parameters within |a − n| ≤ 1e-05 + 0.001·|n|\n"), result.stdout)
        // The old test flags it.
        let relative = try CLIRunner.run(["gradcheck", path, "--threshold", "1e-6"])
        XCTAssertEqual(relative.status, 1, relative.stdout)
        XCTAssertTrue(relative.stderr.hasPrefix("netrun: gradient check failed: layers[0].weight ("), relative.stderr)
    }

    func testMissingDataSetSaysWhereToGetIt() throws {
        // The shipped config's data folder with a name that cannot exist, so a machine that has
        // downloaded CIFAR-10 does not start training here.
        let shipped = try String(contentsOf: CLIRunner.repository.appendingPathComponent("configs/cs231n.yaml"), encoding: .utf8)
        let path = try write(shipped.replacingOccurrences(of: "../data/cifar-10-batches-bin", with: "absent-cifar"))
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "nothing written for data that is not there")
    }
}
