import Foundation
import NetrunConfig
import NetrunCore
import NetrunRunner
import NetrunStore
import XCTest

final class StoredModelTests: XCTestCase {
    private var directory: URL!
    private var store: RunStore!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try RunStore(path: directory.appendingPathComponent("n.sqlite").path)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func trainIris(stopAfter steps: Int? = nil) throws -> RunReport {
        let config = try ConfigLoader.load(path: Self.repository.appendingPathComponent("configs/iris.yaml").path)
        var taken = 0
        return try TrainingRun.run(try PreparedRun<Float>(config: config), store: store,
                                   shouldStop: { taken += 1; return taken == steps })
    }

    func testEvaluatingTheTestPartReproducesTheTrainingRunsNumbers() throws {
        let report = try trainIris()
        let model = try StoredModel(runID: report.runID, store: store)
        XCTAssertEqual(model.weightsSource, "final weights")
        let test = try model.evaluate(split: "test")
        XCTAssertEqual(test.count, 30)
        XCTAssertEqual(test.loss, report.result.final?.value("test", "loss"))
        XCTAssertEqual(test.accuracy, report.result.final?.value("test", "accuracy"))
        let confusion = try XCTUnwrap(test.confusion)
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 30)
        XCTAssertEqual(Double((0..<3).map { confusion[$0][$0] }.reduce(0, +)) / 30, test.accuracy)
    }

    func testEvaluatingWithAnIgnoreLabelGivesTheTrainingRunsNumbers() throws {
        // Normalised by batch size, so ignored samples still count in the divisor.
        let path = directory.appendingPathComponent("ignore.yaml").path
        try """
            seed: 3
            data: {synthetic: {kind: blobs, classes: 3, per_class: 1000, dimensions: 4}, split: {test: 2500}}
            model: {layers: [{dense: 3}]}
            loss: {softmax_cross_entropy: {ignore_label: 0, normalization: batch_size}}
            training: {learning_rate: 0.1, epochs: 2, batch_size: 50, metrics: [macro_f1]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.load(path: path)), store: store)
        let test = try StoredModel(runID: report.runID, store: store).evaluate(split: "test")
        let loss = try XCTUnwrap(report.result.final?.value("test", "loss"))
        XCTAssertEqual(test.loss, loss, accuracy: 1e-6 * max(abs(loss), 1))
        XCTAssertEqual(test.accuracy, report.result.final?.value("test", "accuracy"))
        XCTAssertEqual(test.macroF1, report.result.final?.value("test", "macro_f1"), "training leaves them out of every metric too")
        let confusion = try XCTUnwrap(test.confusion)
        XCTAssertEqual(confusion[0].reduce(0, +), 0, "samples of the ignored class are left out")
        XCTAssertEqual(Double((1..<3).map { confusion[$0][$0] }.reduce(0, +)) / Double(confusion.joined().reduce(0, +)),
                       test.accuracy)
    }

    func testEvaluatingASplitOfSeveralChunksGivesTheLoggedValuesBitForBit() throws {
        // 6000 training rows: two of the 4096-row chunks training measures in, which eval uses too.
        let path = directory.appendingPathComponent("chunks.yaml").path
        try """
            seed: 4
            data: {synthetic: {kind: blobs, classes: 10, per_class: 600, dimensions: 8}}
            model: {layers: [{dense: 10}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.01, epochs: 1, batch_size: 500, metrics: [macro_f1]}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try TrainingRun.run(try PreparedRun<Float>(config: try ConfigLoader.load(path: path)), store: store)
        let train = try StoredModel(runID: report.runID, store: store).evaluate(split: "train")
        XCTAssertEqual(train.count, 6000)
        XCTAssertEqual(train.loss, report.result.final?.value("train", "loss"))
        XCTAssertEqual(train.accuracy, report.result.final?.value("train", "accuracy"))
        XCTAssertEqual(train.macroF1, report.result.final?.value("train", "macro_f1"))
    }

    func testBalancedClassWeightsAreScikitLearnsAndRecordedWithTheRun() throws {
        // 6 samples of class 0, 2 of class 1: n / (classes · count) = 8/12 and 8/4.
        let path = directory.appendingPathComponent("balanced.yaml").path
        try """
            data:
              inputs: [[0, 0], [0, 1], [1, 0], [1, 1], [0, 2], [2, 0], [2, 2], [1, 2]]
              targets: [0, 0, 0, 0, 0, 0, 1, 1]
            model: {layers: [{dense: 2}]}
            loss: {softmax_cross_entropy: {class_weights: balanced}}
            training: {learning_rate: 0.1, epochs: 3}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let prepared = try PreparedRun<Float>(config: try ConfigLoader.load(path: path))
        XCTAssertEqual(prepared.config.lossOptions.classWeights, [8.0 / 12, 2])
        XCTAssertEqual(prepared.network.loss.options.classWeights, [8.0 / 12, 2])
        let report = try TrainingRun.run(prepared, store: store)
        XCTAssertTrue(try XCTUnwrap(store.summary(runID: report.runID)).configOverrides
                        .contains("loss.softmax_cross_entropy.class_weights=[0.6666666666666666, 2.0]"))
        // Rebuilt without the training data, the stored model has the same loss.
        let model = try StoredModel(runID: report.runID, store: store)
        XCTAssertEqual(model.network.lossOptions.classWeights, [8.0 / 12, 2])
        XCTAssertEqual(try model.evaluate(split: "train").loss, report.result.final?.value("train", "loss"))

        try """
            data: {inputs: [[0, 0], [1, 1]], targets: [0, 0]}
            model: {layers: [{dense: 2}]}
            loss: {softmax_cross_entropy: {class_weights: balanced}}
            training: {learning_rate: 0.1, epochs: 3}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PreparedRun<Float>(config: try ConfigLoader.load(path: path))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):3:47: loss.softmax_cross_entropy.class_weights: balanced "
                                              + "divides by each class's count, but class 1 has no training sample"), "\(error)")
        }
    }

    func testAnInterruptedRunIsEvaluatedFromItsCheckpoint() throws {
        let report = try trainIris(stopAfter: 20)
        let model = try StoredModel(runID: report.runID, store: store)
        XCTAssertEqual(model.weightsSource, "checkpoint after step 20")
        XCTAssertEqual(try model.evaluate(split: "val").count, 30)
    }

    func testEvaluatingAnotherDataFileUsesTheRunsPreprocessingAndClassNumbering() throws {
        let model = try StoredModel(runID: try trainIris().runID, store: store)
        // Only two species, so sorted alone 'versicolor' would be class 0.
        let csv = directory.appendingPathComponent("two.csv")
        try "a,b,c,d,species\n6.0,2.9,4.5,1.5,versicolor\n6.3,3.3,6.0,2.5,virginica\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("two.yaml")
        try "data: {csv: {path: two.csv, label: species}}\n".write(to: file, atomically: true, encoding: .utf8)
        let report = try model.evaluate(dataFile: file.path)
        XCTAssertEqual(report.count, 2)
        XCTAssertEqual(report.accuracy, 1)
        XCTAssertEqual(report.confusion?[1][1], 1, "versicolor stays class 1")
    }

    func testPredictGivesClassNamesAndProbabilities() throws {
        let model = try StoredModel(runID: try trainIris().runID, store: store)
        let input = directory.appendingPathComponent("in.csv")
        try "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n".write(to: input, atomically: true, encoding: .utf8)
        let table = try model.predict(csv: input.path, header: nil)
        XCTAssertEqual(table.header, ["class", "p_setosa", "p_versicolor", "p_virginica"])
        XCTAssertEqual(table.rows.map { $0[0] }, ["setosa", "virginica"])
        for row in table.rows {
            XCTAssertEqual(row.dropFirst().compactMap(Double.init).reduce(0, +), 1, accuracy: 1e-5)
        }
        try "1,2,3\n".write(to: input, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try model.predict(csv: input.path, header: nil)) {
            XCTAssertTrue("\($0)".contains("has 3 columns but run 1's model takes 4 inputs"), "\($0)")
        }
    }
}
