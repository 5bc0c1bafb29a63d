import NetrunConfig
import NetrunCore
import NetrunData
import XCTest

final class DataLoaderTests: XCTestCase {
    private func load(data: String, layers: String = "[{dense: 2}]", loss: String = "softmax_cross_entropy",
                      inputs: String = "") throws -> Datasets<Float> {
        let config = try ConfigLoader.decode(text: """
            seed: 5
            data:
            \(data)
            model: {\(inputs)layers: \(layers)}
            loss: \(loss)
            training: {learning_rate: 0.1, epochs: 1}
            """, path: "d.yaml")
        return try DataLoader.load(config)
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testClassIndicesBecomeOneHotRows() throws {
        let data = try load(data: "  inputs: [[0, 0], [1, 1], [2, 2]]\n  targets: [1, 0, 1]")
        XCTAssertEqual(data.train.targets.rowValues, [[0, 1], [1, 0], [0, 1]])
        XCTAssertEqual(data.train.kind, .classes(count: 2))
        XCTAssertNil(data.test)
    }

    func testSingleOutputWithTwoValuesIsBinary() throws {
        let data = try load(data: "  inputs: [[0], [1], [2]]\n  targets: [-1, 1, 1]", layers: "[{dense: 1}]", loss: "mse")
        XCTAssertEqual(data.train.kind, .binary(low: -1, high: 1))
        let real = try load(data: "  inputs: [[0], [1], [2]]\n  targets: [0.5, 1, 2]", layers: "[{dense: 1}]", loss: "mse")
        XCTAssertEqual(real.train.kind, .real)
    }

    func testClassOutOfRangeIsLocatedAtTheTarget() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0, 2]") },
                       "d.yaml:4:16: data.targets[1]: class 2 is out of range for a model with 2 outputs (classes are 0…1)")
    }

    func testRaggedOrMisshapenSamplesAreLocated() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 0], [1]]\n  targets: [0, 1]") },
                       "d.yaml:3:20: data.inputs[1]: this sample has 1 values, the first has 2")
        XCTAssertTrue(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0, 1]", inputs: "inputs: 3, ") }
            .contains("samples have 2 values but the model takes 3 inputs (model.inputs at line 5)"))
        XCTAssertTrue(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0, 1, 1]") }
            .contains("data.targets: 2 input rows but 3 targets"))
        XCTAssertTrue(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [[0, 1, 0], [1, 0, 0]]") }
            .contains("this target has 3 values but the model has 2 outputs"))
    }

    func testCrossEntropyRejectsRealValuedTargets() {
        XCTAssertTrue(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [[0.5, 2], [1, 0]]") }
            .contains("softmax_cross_entropy needs class indices, one-hot rows or rows of probabilities"))
    }

    func testSplitIsSeededDisjointAndComplete() throws {
        let rows = (0..<20).map { "[\($0), 0]" }.joined(separator: ", ")
        let targets = (0..<20).map { String($0 % 2) }.joined(separator: ", ")
        let text = "  inputs: [\(rows)]\n  targets: [\(targets)]\n  split: {test: 0.25}"
        let a = try load(data: text), b = try load(data: text)
        XCTAssertEqual(a.train.count, 15)
        XCTAssertEqual(a.test?.count, 5)
        XCTAssertEqual(a.test?.inputs.values, b.test?.inputs.values, "same seed, same split")
        let ids = (a.train.inputs.rowValues + a.test!.inputs.rowValues).map { Int($0[0]) }
        XCTAssertEqual(ids.sorted(), Array(0..<20))
        XCTAssertNotEqual(a.test!.inputs.rowValues.map { Int($0[0]) }, [0, 1, 2, 3, 4], "shuffled before the cut")
    }

    func testSplitThatLeavesNothingIsAnError() {
        XCTAssertTrue(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0, 1]\n  split: {test: 2}") }
            .contains("leaves nothing to train on"))
    }

    func testExplicitTestSetTakesTheTrainingKind() throws {
        let data = try load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0, 1]\n  test: {inputs: [[2, 2]], targets: [1]}")
        XCTAssertEqual(data.test?.targets.rowValues, [[0, 1]])
        XCTAssertEqual(data.test?.kind, .classes(count: 2))
    }

    func testTargetErrorNamesTheElementThatIsWrong() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 0], [1, 1], [2, 2]]\n  targets: [0, 1, 2.5]") },
                       "d.yaml:4:19: data.targets[2]: 2.5 is not a class index (classes are 0…1), as the targets before it are")
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 0], [1, 1], [2, 2]]\n  targets: [0, 1, [1, 0]]") },
                       "d.yaml:4:19: data.targets[2]: a row, but the targets before it are single numbers; write every target the same way")
    }

    func testInlineNumbersOutOfFloatRangeAreRefusedAsInACSV() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 1e39]]\n  targets: [0]") },
                       "d.yaml:3:16: data.inputs[0][1]: 1e+39 is out of Float's range (±3.4028235e+38); samples are 32-bit floats")
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 1]]\n  targets: [[.nan, 1]]") },
                       "d.yaml:4:14: data.targets[0][0]: nan is not a finite number")
    }

    func testInlineValuesOnAModelWithManyOutputsAreRefusedAtTheModel() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0, 0], [1, 1]]\n  targets: [0.5, 1.5]", layers: "[tanh]", loss: "mse") },
                       "d.yaml:5:18: model.layers[0]: the model has 2 outputs (it has no dense layer, so its output is its input) "
                       + "but the targets are values, 1 per sample; end the model with a dense layer of 1 unit")
    }

    func testClassIndicesOnOneOutputWithACrossEntropyLossBlameTheOutputWidth() {
        XCTAssertEqual(error { try self.load(data: "  inputs: [[0], [1]]\n  targets: [0, 1]", layers: "[{dense: 1}]") },
                       "d.yaml:6:7: loss: softmax_cross_entropy needs a model with one output per class; this model has 1 output")
    }

    func testInputsThePreprocessingMakesInfiniteAreRefused() {
        let data = "  inputs: [[1, 2], [3e38, 1]]\n  targets: [0, 1]\n  preprocess: {scale: 10}"
        XCTAssertEqual(error { try self.load(data: data) },
                       "d.yaml:3:3: data.preprocess: scaling by 10.0 makes feature 1 of training sample 2 inf "
                       + "(beyond Float's range, ±3.4e38); use a smaller scale")
    }
}
