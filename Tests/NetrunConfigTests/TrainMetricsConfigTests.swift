@testable import NetrunConfig
import NetrunCore
import XCTest

/// `training.train_metrics`: how a log point measures the training split.
final class TrainMetricsConfigTests: XCTestCase {
    private func decode(_ training: String = "") throws -> TrainingSettings {
        try ConfigLoader.decode(text: """
            data: {csv: d.csv}
            model: {layers: [{dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1\(training)}
            """, path: "t.yaml").training
    }

    func testTrainMetricsAreFullUnlessSaid() throws {
        XCTAssertEqual(try decode().trainMetrics, .full)
        XCTAssertEqual(try decode(", train_metrics: running").trainMetrics, .running)
        XCTAssertEqual(try decode(", train_metrics: full").trainMetrics, .full)
    }

    func testUnknownTrainMetricsIsLocatedWithASuggestion() {
        XCTAssertThrowsError(try decode(", train_metrics: runing")) { error in
            XCTAssertEqual("\(error)", "t.yaml:4:58: training.train_metrics: unknown train_metrics 'runing' "
                           + "(did you mean 'running'?); expected one of: full, running")
        }
    }
}
