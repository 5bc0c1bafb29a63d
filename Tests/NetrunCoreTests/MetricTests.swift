import Foundation
@testable import NetrunCore
import XCTest

/// Precision, recall, F1, macro-F1, top-k accuracy, MAE, RMSE and R² must equal scikit-learn's on
/// the predictions of Tests/Fixtures/metrics/sklearn-metrics.json (written by make_metrics_fixture.py), and
/// counts must not depend on how the rows were cut.
final class MetricTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Classification: Decodable {
            var name: String
            var classes: Int
            var y_true: [Int]
            var y_pred: [Int]
            var scores: [[Double]]?
            var precision: [Double]
            var recall: [Double]
            var f1: [Double]
            var support: [Int]
            var macro_f1: Double
            var accuracy: Double
            var top_k: [String: Double]?
        }
        struct Regression: Decodable {
            var name: String
            var y_true: [[Double]]
            var y_pred: [[Double]]
            var mae: Double
            var rmse: Double
            var r2: Double
        }
        var classification: [Classification]
        var regression: [Regression]
    }

    private func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/metrics/sklearn-metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    private func oneHot(_ labels: [Int], classes: Int) -> Matrix<Double> {
        let t = Matrix<Double>(rows: labels.count, cols: classes)
        for (r, label) in labels.enumerated() { t[r, label] = 1 }
        return t
    }

    func testClassScoresMatchScikitLearn() throws {
        for c in try fixture().classification {
            var confusion = Array(repeating: Array(repeating: 0, count: c.classes), count: c.classes)
            for (t, p) in zip(c.y_true, c.y_pred) { confusion[t][p] += 1 }
            let scores = classScores(confusion: confusion)
            for k in 0..<c.classes {
                XCTAssertEqual(scores[k].precision, c.precision[k], accuracy: 1e-12, "\(c.name) class \(k)")
                XCTAssertEqual(scores[k].recall, c.recall[k], accuracy: 1e-12, "\(c.name) class \(k)")
                XCTAssertEqual(scores[k].f1, c.f1[k], accuracy: 1e-12, "\(c.name) class \(k)")
                XCTAssertEqual(scores[k].support, c.support[k], "\(c.name) class \(k)")
            }
            XCTAssertEqual(macroF1(confusion: confusion), c.macro_f1, accuracy: 1e-12, c.name)
        }
    }

    func testCountsFromScoresMatchScikitLearnIncludingTopKWithTies() throws {
        for c in try fixture().classification {
            guard let rows = c.scores, let expected = c.top_k else { continue }
            let prediction = Matrix<Double>(rows: rows.count, cols: c.classes, values: rows.flatMap { $0 })
            let ks = expected.keys.compactMap { Int($0) }.sorted()
            var counts = MetricCounts(kind: .classes(count: c.classes), outputs: c.classes, topK: ks)
            counts.add(prediction, oneHot(c.y_true, classes: c.classes), kind: .classes(count: c.classes))
            let evaluation = Evaluation(loss: 0, accuracy: Double(counts.correct) / Double(rows.count), counts: counts)
            XCTAssertEqual(evaluation.accuracy!, c.accuracy, accuracy: 1e-12, c.name)
            XCTAssertEqual(evaluation.value(of: .macroF1)!, c.macro_f1, accuracy: 1e-12, c.name)
            for k in ks {
                XCTAssertEqual(evaluation.value(of: .topK(k))!, expected[String(k)]!, accuracy: 1e-12, "\(c.name) top\(k)")
            }
        }
    }

    func testRegressionScoresMatchScikitLearn() throws {
        for c in try fixture().regression {
            let width = c.y_true[0].count
            let prediction = Matrix<Double>(rows: c.y_pred.count, cols: width, values: c.y_pred.flatMap { $0 })
            let target = Matrix<Double>(rows: c.y_true.count, cols: width, values: c.y_true.flatMap { $0 })
            var counts = MetricCounts(kind: .real, outputs: width)
            counts.add(prediction, target, kind: .real)
            let scores = RegressionScores(counts.outputs!)
            XCTAssertEqual(scores.meanAbsoluteError, c.mae, accuracy: 1e-12 * max(1, c.mae), c.name)
            XCTAssertEqual(scores.rootMeanSquaredError, c.rmse, accuracy: 1e-12 * max(1, c.rmse), c.name)
            XCTAssertEqual(scores.r2, c.r2, accuracy: 1e-12, c.name)
        }
    }

    func testMergedPartsGiveTheWholeCounts() throws {
        let c = try fixture().regression[0]
        let width = c.y_true[0].count
        func counts(_ rows: Range<Int>) -> MetricCounts {
            let p = Matrix<Double>(rows: rows.count, cols: width, values: c.y_pred[rows].flatMap { $0 })
            let t = Matrix<Double>(rows: rows.count, cols: width, values: c.y_true[rows].flatMap { $0 })
            var counts = MetricCounts(kind: .real, outputs: width)
            counts.add(p, t, kind: .real)
            return counts
        }
        var merged = counts(0..<7)
        merged.merge(counts(7..<c.y_true.count))
        let whole = RegressionScores(counts(0..<c.y_true.count).outputs!), parts = RegressionScores(merged.outputs!)
        XCTAssertEqual(parts.meanAbsoluteError, whole.meanAbsoluteError, accuracy: 1e-12)
        XCTAssertEqual(parts.rootMeanSquaredError, whole.rootMeanSquaredError, accuracy: 1e-12)
        XCTAssertEqual(parts.r2, whole.r2, accuracy: 1e-12)
        XCTAssertEqual(merged.count, c.y_true.count)
    }

    func testConstantTargetMergedFromPartsKeepsSklearnsR2() {
        var a = OutputMoments(), b = OutputMoments()
        for _ in 0..<3 { a.add(prediction: 0.1, target: 0.1) }
        for _ in 0..<5 { b.add(prediction: 0.1, target: 0.1) }
        a.merge(b)
        XCTAssertEqual(a.targetDeviations, 0)
        XCTAssertEqual(a.r2, 1)
        a.add(prediction: 0.2, target: 0.1)
        XCTAssertEqual(a.r2, 0)
    }

    func testBinaryTargetsCountAsTwoClasses() {
        let prediction = Matrix<Double>(rows: 4, cols: 1, values: [0.9, 0.2, 0.7, 0.4])
        let target = Matrix<Double>(rows: 4, cols: 1, values: [1, 0, 0, 1])
        var counts = MetricCounts(kind: .binary(low: 0, high: 1), outputs: 1, topK: [1, 2])
        counts.add(prediction, target, kind: .binary(low: 0, high: 1))
        XCTAssertEqual(counts.confusion, [[1, 1], [1, 1]])
        XCTAssertEqual(counts.topK, [1: 2, 2: 4])
    }

    func testNamesRoundTripAndTopKNeedsAPositiveK() {
        for name in ["accuracy", "top1", "top5", "top12", "macro_precision", "macro_recall", "macro_f1", "mae", "rmse", "r2"] {
            XCTAssertEqual(MetricName(name)?.name, name)
        }
        for name in ["top0", "top", "top_5", "top-1", "top+3", "f1", "loss"] { XCTAssertNil(MetricName(name), name) }
        XCTAssertFalse(MetricName.rootMeanSquaredError.maximize)
        XCTAssertFalse(MetricName.meanAbsoluteError.maximize)
        XCTAssertTrue(MetricName.r2.maximize)
        XCTAssertTrue(MetricName.topK(5).maximize)
    }

    func testTrainerLogsRequestedMetricsAtEveryLogPoint() throws {
        var generator = SplitMix64(seed: 5)
        let layer = Dense<Double>(inputSize: 2, outputSize: 3)
        Initialization.xavier(gain: 1).fill(layer.weight.value, using: &generator)
        let net = Network(inputSize: 2, layers: [layer], loss: SoftmaxCrossEntropy())
        let x = randomMatrix(30, 2, generator: &generator)
        let data = Dataset(inputs: x, targets: oneHot((0..<30).map { $0 % 3 }, classes: 3), kind: .classes(count: 3))
        var settings = TrainingSettings(learningRate: 0.1, epochs: 2, logEvery: 1)
        settings.metrics = [.macroF1, .topK(2), .rootMeanSquaredError]
        var points: [LogPoint] = []
        _ = try Trainer(network: net, settings: settings, generator: SplitMix64(seed: 1))
            .run(train: data, validation: data) { points.append($0) }
        XCTAssertEqual(points.count, 3)
        for point in points {
            XCTAssertEqual(point.metrics.map { "\($0.split)_\($0.name)" },
                           ["train_loss", "train_accuracy", "train_macro_f1", "train_top2",
                            "val_loss", "val_accuracy", "val_macro_f1", "val_top2", "train_lr"])
            XCTAssertGreaterThanOrEqual(point.value("train", "top2")!, point.value("train", "accuracy")!)
        }
    }
}
