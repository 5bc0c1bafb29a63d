import Foundation
import NetrunStore
import XCTest

/// Schedules, early stopping and keep_best from the command line: what `train` and `show` say,
/// and a bad value refused with a located error and nothing written.
final class ScheduleCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Six noisy points fitted by a big network: validation loss is lowest at step 210.
    private func write(_ training: String) throws -> String {
        let url = directory.appendingPathComponent("overfit.yaml")
        try """
            name: overfit
            seed: 3
            data:
              inputs:  [[-1], [-0.6], [-0.2], [0.2], [0.6], [1]]
              targets: [[-0.4], [-1.2], [0.4], [-0.4], [1.2], [0.4]]
              val:
                inputs:  [[-0.8], [-0.4], [0], [0.4], [0.8]]
                targets: [[-0.8], [-0.4], [0], [0.4], [0.8]]
            model:
              layers: [{dense: {units: 64, activation: tanh}}, {dense: {units: 64, activation: tanh}}, {dense: 1}]
            loss: mse
            training: {learning_rate: 0.3, epochs: 600, log_every: 30, \(training)}
            """.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testTrainAndShowSayWhereTheRunStoppedAndWhichStepIsTheModel() throws {
        let path = try write("early_stopping: {patience: 3}, keep_best: val_loss, schedule: {warmup: {steps: 10}}")
        let result = try CLIRunner.run([path, "--db", database, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The message is wrapped at 80 columns.
        XCTAssertTrue(result.stdout.replacingOccurrences(of: "\n  ", with: " ")
                        .contains("stopped early at step 300: val_loss did not improve by more than 0.0 for 3 log points"),
                      result.stdout)
        XCTAssertTrue(result.stdout.contains("keep_best: the model is the weights of step 210"), result.stdout)
        let show = try CLIRunner.run(["show", "1", "--db", database])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("run 1: overfit, finished"), show.stdout)
        XCTAssertTrue(show.stdout.contains("model: the weights of step 210 (keep_best)"), show.stdout)
        XCTAssertEqual(try RunStore(path: database).summary(runID: 1)?.bestStep, 210)
    }

    func testABadScheduleIsALocatedErrorAndNothingIsWritten() throws {
        let path = try write("schedule: {cosine: {min_lr: 0}, plateu: {patience: 2}}")
        let result = try CLIRunner.run([path, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("\(path):12:92: training.schedule: unknown key 'plateu' (did you mean 'plateau'?)"),
                      result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database))
    }

    func testAnOverrideCanSetTheSchedule() throws {
        let path = try write("reg: 0")
        let result = try CLIRunner.run([path, "--db", database, "--quiet", "training.schedule={cosine: {min_lr: 0.01}}",
                                        "training.epochs=20"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rates = try RunStore(path: database).metrics(runID: 1).filter { $0.name == "lr" }
        XCTAssertEqual(rates.map(\.step), [0, 20])
        XCTAssertEqual(rates.last?.value, 0.01, "cosine ends the run at min_lr")
    }
}
