import Foundation
import NetrunConfig
import NetrunCore
@testable import NetrunRunner
import NetrunStore
import XCTest

/// A diverged run's message names the likely cause: the regularisation, the input scale, large
/// inputs, or else the learning rate.
final class DivergenceMessageTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The message of a run of a one-output linear model on `inputs` with `training` and `preprocess`.
    private func divergence(inputs: String = "[[0, 1], [1, 0], [1, 1]]", training: String,
                            preprocess: String = "") throws -> String {
        let config = try ConfigLoader.decode(text: """
            data:
              inputs: \(inputs)
              targets: [[1], [2], [3]]
              \(preprocess)
            model: {layers: [{dense: 1}]}
            loss: mse
            training: {\(training), epochs: 50}
            """, path: "d.yaml")
        let store = try RunStore(path: directory.appendingPathComponent("d.sqlite").path)
        let report = try TrainingRun.run(try PreparedRun<Float>(config: config), store: store)
        XCTAssertEqual(report.status, .diverged)
        XCTAssertEqual(try store.summary(runID: report.runID)?.message, report.message)
        return report.message ?? ""
    }

    func testRegBeyondFloatIsNamed() throws {
        let message = try divergence(training: "learning_rate: 0.01, reg: 1.0e308")
        XCTAssertTrue(message.hasSuffix("reg 1e+308 is beyond Float's range (3.4e38), so the weight decay overflows; "
                                        + "use a much smaller reg"), message)
    }

    func testWeightDecayThatGrowsTheWeightsIsNamed() throws {
        let message = try divergence(training: "learning_rate: 0.01, reg: 1000")
        XCTAssertTrue(message.hasSuffix("learning_rate × reg (plus weight_decay) is above 2 (2·(1 + momentum) with momentum), "
                                        + "so each step's weight decay (w ← w·(1 − learning_rate·reg)) flips and grows the weights; "
                                        + "use a smaller reg than 1000.0 (or a smaller learning rate or weight_decay)"), message)
    }

    /// SGD's weight_decay is reg by another name; AdamW's decays apart from the gradient (bound 2);
    /// Adam scales its decay with the gradient, so no decay bound applies to it.
    func testOptimizerWeightDecayIsCountedWhereItGrowsTheWeights() throws {
        for optimizer in ["{sgd: {weight_decay: 1000}}", "{adamw: {weight_decay: 1000}}"] {
            let message = try divergence(training: "learning_rate: 0.01, optimizer: \(optimizer)")
            XCTAssertTrue(message.contains("learning_rate × reg (plus weight_decay) is above 2"), "\(optimizer): \(message)")
        }
        func settings(_ training: String) throws -> TrainingSettings {
            try ConfigLoader.decode(text: "data: {inputs: [[0]], targets: [[1]]}\nmodel: {layers: [{dense: 1}]}\nloss: mse\n"
                                    + "training: {\(training), epochs: 1}", path: "d.yaml").training
        }
        XCTAssertFalse(DivergenceCause.decayOverflows(try settings("learning_rate: 0.01, optimizer: {adam: {weight_decay: 1000}}")))
        XCTAssertFalse(DivergenceCause.decayOverflows(try settings("learning_rate: 0.01, optimizer: {adamw: {weight_decay: 100}}")))
        XCTAssertFalse(DivergenceCause.decayOverflows(try settings("learning_rate: 0.01, momentum: 0.9, reg: 100, optimizer: "
                                                                  + "{sgd: {weight_decay: 200}}")), "3 < 2·1.9")
        XCTAssertTrue(DivergenceCause.decayOverflows(try settings("learning_rate: 0.01, reg: 100, optimizer: {sgd: {weight_decay: 200}}")))
    }

    func testHugeScaleIsNamed() throws {
        let message = try divergence(training: "learning_rate: 0.01", preprocess: "preprocess: {scale: 1.0e20}")
        XCTAssertTrue(message.hasSuffix("preprocess.scale 1e+20 makes inputs as large as 1e+20, and products of them "
                                        + "overflow; use a smaller scale (1/255 for pixels) or standardize: true"), message)
    }

    func testLargeUnscaledInputsAreNamed() throws {
        let message = try divergence(inputs: "[[0, 100000], [100000, 0], [1, 1]]", training: "learning_rate: 0.01")
        XCTAssertTrue(message.hasSuffix("inputs are as large as 100000.0; scale them (data.preprocess: {standardize: true}, "
                                        + "or a scale) or use a much smaller learning rate"), message)
    }

    func testOtherwiseTheLearningRateIsNamed() throws {
        let message = try divergence(training: "learning_rate: 10")
        XCTAssertTrue(message.hasPrefix("training diverged at step "), message)
        XCTAssertTrue(message.hasSuffix("the loss became NaN or infinite; try a smaller learning rate than 10.0"), message)
    }
}
