import NetrunConfig
import NetrunCore
import XCTest

final class SweepConfigTests: XCTestCase {
    private let base = """
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
          split: {val: 1}
        model:
          layers: [{dense: {units: 4, activation: tanh}}, {dense: 2}]
        loss: softmax_cross_entropy
        training: {learning_rate: 0.1, epochs: 5}

        """

    private func decode(_ text: String, overrides: [ConfigOverride] = []) throws -> Config {
        try ConfigLoader.decode(text: text, path: "s.yaml", overrides: overrides)
    }

    private func override(_ path: String, _ yaml: String) throws -> ConfigOverride {
        try ConfigOverride(path: path, value: try YAMLLoader.parse(yaml, file: "cli"), location: nil)
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testOverrideReplacesAValueAndTheDecoderChecksIt() throws {
        let config = try decode(base, overrides: [try override("training.learning_rate", "0.5")])
        XCTAssertEqual(config.training.learningRate, 0.5)
        XCTAssertTrue(error { try self.decode(self.base, overrides: [try self.override("training.learning_rate", "-1")]) }
            .contains("training.learning_rate: must be a finite number above 0, got -1.0"))
    }

    func testOverrideAddsAMissingKeyAndReachesIntoLists() throws {
        let config = try decode(base, overrides: [try override("training.reg", "0.01"),
                                                  try override("model.layers[0].dense.units", "7")])
        XCTAssertEqual(config.training.reg, 0.01)
        guard case .dense(let units, _, _) = config.model.layers[0].kind else { return XCTFail() }
        XCTAssertEqual(units, 7)
    }

    func testOverridePathErrorsSayWhatIsThere() {
        XCTAssertEqual(error { try self.decode(self.base, overrides: [try self.override("model.layers[5].dense", "3")]) },
                       "model.layers[5].dense: 'model.layers' has 2 items, there is no [5]")
        XCTAssertEqual(error { try self.decode(self.base, overrides: [try self.override("loss.kind", "mse")]) },
                       "loss.kind: 'loss' is not a mapping, so it has no key 'kind'")
        XCTAssertTrue(error { try self.override("training..reg", "1") }.contains("is not a key path"))
    }

    func testGridIsTheProductWithTheFirstAxisSlowest() throws {
        let config = try decode(base + """
            sweep:
              grid:
                training.learning_rate: [0.1, 0.2]
                training.reg: [0, 1e-3, 1e-2]

            """)
        let sweep = try XCTUnwrap(config.sweep)
        XCTAssertEqual(sweep.metric.value, SweepMetric(split: "val", name: "accuracy"), "val_accuracy by default")
        XCTAssertEqual(sweep.trialCount, 6)
        let trials = try (0..<6).map { try sweep.overrides(forTrial: $0, seed: 0) }
        let decoded = try trials.map { try decode(base, overrides: $0).training }
        XCTAssertEqual(decoded.map(\.learningRate), [0.1, 0.1, 0.1, 0.2, 0.2, 0.2])
        XCTAssertEqual(decoded.map(\.reg), [0, 1e-3, 1e-2, 0, 1e-3, 1e-2])
        XCTAssertFalse(sweep.changesData)
    }

    func testBadSweepBlocksAreLocated() {
        XCTAssertEqual(error { try self.decode(self.base + "sweep:\n  grid:\n    training.reg: []\n") },
                       "s.yaml:11:19: sweep.grid.training.reg: expected a non-empty list of values to try")
        XCTAssertEqual(error { try self.decode(self.base + "sweep:\n  grid: {training.reg: [1]}\n  metric: val_acc\n") },
                       "s.yaml:11:11: sweep.metric: unknown metric 'val_acc'; expected SPLIT_METRIC (e.g. val_accuracy, "
                       + "val_macro_f1): SPLIT one of val, train, test; METRIC one of loss, accuracy, top<k> (k ≥ 1, e.g. top5), "
                       + "macro_precision, macro_recall, macro_f1, mae, rmse, r2")
    }

    func testAGridValueListedTwiceIsLocated() {
        XCTAssertEqual(error { try self.decode(self.base + "sweep:\n  grid: {training.reg: [0.1, 1, 0.1]}\n").sweep!.checkDistinctValues() },
                       "s.yaml:10:33: sweep.grid.training.reg: 0.1 is listed twice; each value of a grid is one trial")
    }

    func testSweepingTheSeedOrDataMeansTrialsLoadTheirOwnData() throws {
        let config = try decode(base + "sweep:\n  grid: {seed: [1, 2]}\n")
        XCTAssertTrue(try XCTUnwrap(config.sweep).changesData)
    }

    func testSweepRanksByAnyLoggedMetricAndTrialsLogIt() throws {
        let sweep = "sweep:\n  grid: {training.reg: [1]}\n  metric: METRIC\n"
        let f1 = try decode(base + sweep.replacingOccurrences(of: "METRIC", with: "val_macro_f1"))
        XCTAssertEqual(f1.sweep?.metric.value, SweepMetric(split: "val", name: "macro_f1"))
        XCTAssertEqual(f1.sweep?.metric.value.maximize, true)
        XCTAssertEqual(f1.training.metrics, [.macroF1], "each trial logs the metric it is ranked by")
        let top = try decode(base + sweep.replacingOccurrences(of: "METRIC", with: "test_top2"))
        XCTAssertEqual(top.training.metrics, [.topK(2)])
        XCTAssertEqual(try decode(base + sweep.replacingOccurrences(of: "METRIC", with: "val_accuracy")).training.metrics, [])
        let mse = base.replacingOccurrences(of: "softmax_cross_entropy", with: "mse")
        let rmse = try decode(mse + sweep.replacingOccurrences(of: "METRIC", with: "val_rmse"))
        XCTAssertEqual(rmse.sweep?.metric.value.maximize, false)
        XCTAssertEqual(try decode(mse + sweep.replacingOccurrences(of: "METRIC", with: "train_r2")).sweep?.metric.value.maximize, true)
        XCTAssertEqual(try decode(mse + sweep.replacingOccurrences(of: "METRIC", with: "val_mae")).sweep?.metric.value.maximize, false)
    }

    func testUnknownOrUnfitSweepMetricsAreLocatedWithSuggestions() {
        let sweep = "sweep:\n  grid: {training.reg: [1]}\n  metric: METRIC\n"
        XCTAssertTrue(error { try self.decode(self.base + sweep.replacingOccurrences(of: "METRIC", with: "val_macro_f")) }
            .hasPrefix("s.yaml:11:11: sweep.metric: unknown metric 'val_macro_f' (did you mean 'val_macro_f1'?)"))
        XCTAssertTrue(error { try self.decode(self.base + sweep.replacingOccurrences(of: "METRIC", with: "val_top_5")) }
            .hasPrefix("s.yaml:11:11: sweep.metric: unknown metric 'val_top_5' (did you mean 'val_top5'?)"))
        XCTAssertEqual(error { try self.decode(self.base + sweep.replacingOccurrences(of: "METRIC", with: "val_rmse")) },
                       "s.yaml:11:11: sweep.metric: metric 'val_rmse' measures regression outputs, but loss "
                       + "'softmax_cross_entropy' trains a classifier; rank by loss, accuracy, top<k> or a macro_ metric")
    }

    func testTrainingMetricsAreAClosedListWithSuggestions() throws {
        let listed = base.replacingOccurrences(of: "epochs: 5}", with: "epochs: 5, metrics: METRICS}")
        let config = try decode(listed.replacingOccurrences(of: "METRICS", with: "[accuracy, top5, macro_f1, top5]"))
        XCTAssertEqual(config.training.metrics, [.accuracy, .topK(5), .macroF1])
        XCTAssertEqual(error { try self.decode(listed.replacingOccurrences(of: "METRICS", with: "[accuracy, top_5]")) },
                       "s.yaml:8:63: training.metrics[1]: unknown metric 'top_5' (did you mean 'top5'?); expected one of: "
                       + "accuracy, top<k> (k ≥ 1, e.g. top5), macro_precision, macro_recall, macro_f1, mae, rmse, r2")
        XCTAssertTrue(error { try self.decode(listed.replacingOccurrences(of: "METRICS", with: "[macro_f]")) }
            .contains("unknown metric 'macro_f' (did you mean 'macro_f1'?)"))
        XCTAssertTrue(error { try self.decode(listed.replacingOccurrences(of: "METRICS", with: "top0")) }
            .contains("training.metrics: expected"))
    }
}
