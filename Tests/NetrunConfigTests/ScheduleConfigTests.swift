import NetrunConfig
import NetrunCore
import XCTest

/// `training.schedule`, `early_stopping` and `keep_best`: decoding, defaults, and located errors.
final class ScheduleConfigTests: XCTestCase {
    private func text(_ training: String, validation: Bool = true) -> String {
        """
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.8]]
          targets: [0, 1, 1, 0, 1, 0]
        \(validation ? "  split: {val: 2}" : "")
        model: {inputs: 2, layers: [{dense: 2}]}
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, epochs: 4, \(training)}
        """
    }

    private func decode(_ training: String, validation: Bool = true) throws -> TrainingSettings {
        try ConfigLoader.decode(text: text(training, validation: validation), path: "s.yaml").training
    }

    private func assertError(_ training: String, _ expected: String, validation: Bool = true,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decode(training, validation: validation), file: file, line: line) { error in
            XCTAssertTrue(error is ConfigError, "\(error)", file: file, line: line)
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testSchedulesDecodeWithPyTorchsDefaults() throws {
        XCTAssertEqual(try decode("schedule: cosine").schedule, ScheduleSettings(main: CosineSchedule(minRate: 0)))
        XCTAssertEqual(try decode("schedule: {cosine: {min_lr: 0.001}, warmup: {steps: 100}}").schedule,
                       ScheduleSettings(main: CosineSchedule(minRate: 0.001), warmupSteps: 100))
        XCTAssertEqual(try decode("schedule: {warmup: {steps: 3}}").schedule, ScheduleSettings(warmupSteps: 3))
        XCTAssertEqual(try decode("schedule: {step: {every: 10}}").schedule,
                       ScheduleSettings(main: StepSchedule(every: 10, factor: 0.1)))
        XCTAssertEqual(try decode("schedule: plateau").schedule,
                       ScheduleSettings(main: PlateauSchedule(metric: Monitor(split: "val", name: "loss"), patience: 10, factor: 0.1)))
        XCTAssertEqual(try decode("schedule: {exponential: {factor: 0.9}}"), try decode("learning_rate_decay: 0.9"),
                       "learning_rate_decay is the exponential schedule")
        XCTAssertEqual(try decode("learning_rate_decay: 1").schedule, ScheduleSettings(), "a factor of 1 is no schedule")
    }

    func testEarlyStoppingAndKeepBestDecodeAndLogTheirMetric() throws {
        let settings = try decode("early_stopping: {metric: val_macro_f1, patience: 5, min_delta: 0.001}, keep_best: val_accuracy")
        XCTAssertEqual(settings.earlyStopping, EarlyStopping(metric: Monitor(split: "val", name: "macro_f1"), patience: 5, minDelta: 0.001))
        XCTAssertEqual(settings.earlyStopping?.metric.maximize, true)
        XCTAssertEqual(settings.keepBest, Monitor(split: "val", name: "accuracy"))
        XCTAssertEqual(settings.metrics, [.macroF1], "a watched metric is logged")
        XCTAssertEqual(try decode("early_stopping: {patience: 2}").earlyStopping?.metric, Monitor(split: "val", name: "loss"))
    }

    func testBadSchedulesAreLocatedErrorsWithSuggestions() {
        assertError("schedule: cosin", "s.yaml:7:53: training.schedule: unknown schedule 'cosin' (did you mean 'cosine'?); expected one of: exponential, step, cosine, plateau, warmup")
        assertError("schedule: {cosine: {min_rl: 0}}", "s.yaml:7:63: training.schedule.cosine: unknown key 'min_rl' (did you mean 'min_lr'?)")
        assertError("schedule: {warmpu: {steps: 3}}", "s.yaml:7:54: training.schedule: unknown key 'warmpu' (did you mean 'warmup'?)")
        assertError("schedule: {cosine: {min_lr: -1}}", "s.yaml:7:71: training.schedule.cosine.min_lr: must be a finite number ≥ 0, got -1.0")
        assertError("schedule: {cosine: null, step: {every: 2}}", "s.yaml:7:74: training.schedule.step: give one main schedule, not cosine and step (warmup combines with any)")
        assertError("schedule: {warmup: {steps: 0}}", "s.yaml:7:70: training.schedule.warmup.steps: must be a positive integer, got 0")
        assertError("schedule: exponential", "s.yaml:7:53: training.schedule: exponential needs its factor: write '{exponential: {factor: 0.95}}'")
        assertError("schedule: {exponential: {factor: 1.5}}", "s.yaml:7:76: training.schedule.exponential.factor: factor multiplies the rate and must be at most 1, got 1.5")
        assertError("schedule: {plateau: {factor: 1}}", "s.yaml:7:72: training.schedule.plateau.factor: factor multiplies the rate and must be below 1, got 1.0")
        assertError("schedule: {plateau: {metric: val_los}}", "s.yaml:7:72: training.schedule.plateau.metric: unknown metric 'val_los' (did you mean 'val_loss'?); expected SPLIT_METRIC (e.g. val_accuracy, val_macro_f1): SPLIT one of val, train, test; METRIC one of loss, accuracy, top<k> (k ≥ 1, e.g. top5), macro_precision, macro_recall, macro_f1, mae, rmse, r2")
        assertError("schedule: cosine, learning_rate_decay: 0.9", "s.yaml:7:82: training.learning_rate_decay: learning_rate_decay is the exponential schedule; give it or a main schedule in training.schedule, not both")
    }

    func testBadWatchersAreLocatedErrors() {
        assertError("early_stopping: {metric: test_loss, patience: 3}", "s.yaml:7:68: training.early_stopping.metric: 'test_loss' is measured only at the end of a run; watch a train_ or val_ metric")
        assertError("early_stopping: {metric: val_loss}", "s.yaml:7:59: training.early_stopping: missing required key 'patience'")
        assertError("early_stopping: {patience: 3, min_delta: -0.1}", "s.yaml:7:84: training.early_stopping.min_delta: must be a finite number ≥ 0, got -0.1")
        assertError("keep_best: val_accuracy", "s.yaml:7:54: training.keep_best: 'val_accuracy' is measured on validation data, but the config has none: add data.split.val or data.val, or watch a train_ metric", validation: false)
        assertError("keep_best: val_rmse", "s.yaml:7:54: training.keep_best: 'val_rmse' measures regression outputs, but loss 'softmax_cross_entropy' trains a classifier")
    }
}
