import Foundation
import NetrunConfig
import NetrunCore
import NetrunData
import NetrunRunner
import XCTest

/// The data loader on files: resolution against the config's folder, splits, held-out files,
/// preprocessing fitted on the training part only.
final class FileDataLoaderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("configs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ text: String, _ name: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Loads a config written to `configs/c.yaml` in the temporary folder.
    private func load(data: String, units: Int = 3, layers: String? = nil,
                      loss: String = "softmax_cross_entropy") throws -> Datasets<Float> {
        try DataLoader.load(try config(data: data, layers: layers ?? "[{dense: \(units)}]", loss: loss))
    }

    private func config(data: String, layers: String, loss: String) throws -> Config {
        let path = folder.appendingPathComponent("configs/c.yaml").path
        let text = """
            seed: 4
            data:
            \(data)
            model: {layers: \(layers)}
            loss: \(loss)
            training: {learning_rate: 0.1, epochs: 1}
            """
        try write(text, "configs/c.yaml")
        return try ConfigLoader.load(path: path)
    }

    /// A headed CSV `x,y` with `labels` in its second column.
    private func writeLabels(_ labels: [String], _ name: String = "data/l.csv") throws {
        let lines = labels.enumerated().map { "\($0.offset),\($0.element)" }
        try write("x,y\n" + lines.joined(separator: "\n") + "\n", name)
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    /// 30 rows `i, 2i, label` with labels named a, b, c in turn.
    private func writeNamedCSV(_ name: String, rows: Range<Int> = 0..<30, names: [String] = ["a", "b", "c"]) throws {
        let lines = rows.map { "\($0),\(2 * $0),\(names[$0 % names.count])" }
        try write("x,y,label\n" + lines.joined(separator: "\n") + "\n", name)
    }

    func testCSVBesideTheConfigFolderLoadsWithNamedClasses() throws {
        try writeNamedCSV("data/t.csv")
        let data = try load(data: "  csv: {path: ../data/t.csv, label: label}")
        XCTAssertEqual(data.train.count, 30)
        XCTAssertEqual(data.classNames, ["a", "b", "c"])
        XCTAssertEqual(data.train.inputs.rowValues[4], [4, 8])
        XCTAssertEqual(data.train.targets.rowValues[4], [0, 1, 0], "row 4 is 'b', class 1")
        XCTAssertEqual(data.train.kind, .classes(count: 3))
    }

    func testValidationTestAndTrainPartsAreCutDisjointly() throws {
        try writeNamedCSV("data/t.csv")
        let data = try load(data: "  csv: ../data/t.csv\n  split: {val: 5, test: 0.2, train: 10}")
        XCTAssertEqual([data.train.count, data.validation?.count, data.test?.count], [10, 5, 6])
        let ids = [data.train, data.validation!, data.test!].flatMap { $0.inputs.rowValues.map { Int($0[0]) } }
        XCTAssertEqual(Set(ids).count, 21, "no sample in two parts")
        XCTAssertTrue(error { try self.load(data: "  csv: ../data/t.csv\n  split: {val: 20, test: 10}") }
            .contains("data.split.test: the test part of 10 samples leaves nothing to train on (data has 30 samples)"))
    }

    func testHeldOutFileMissingAClassKeepsTheTrainingNumbering() throws {
        try writeNamedCSV("data/t.csv")
        try writeNamedCSV("data/v.csv", rows: 0..<4, names: ["b", "c"])  // sorted alone, b would be class 0
        let data = try load(data: "  csv: ../data/t.csv\n  val: {csv: ../data/v.csv}")
        XCTAssertEqual(data.validation?.targets.rowValues, [[0, 1, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]])
        try writeNamedCSV("data/w.csv", rows: 0..<2, names: ["z"])
        XCTAssertTrue(error { try self.load(data: "  csv: ../data/t.csv\n  test: {csv: ../data/w.csv}") }
            .contains("data.test: class 'z' does not occur in the training source (a, b, c)"))
    }

    func testPreprocessingIsFittedOnTheTrainingPartOnly() throws {
        try writeNamedCSV("data/t.csv")
        let data = try load(data: "  csv: ../data/t.csv\n  split: {val: 10}\n  preprocess: {scale: 0.5, standardize: true}")
        for column in 0..<2 {
            let values = data.train.inputs.rowValues.map { Double($0[column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(variance, 1, accuracy: 1e-4)
        }
        let raw = try load(data: "  csv: ../data/t.csv\n  split: {val: 10}")
        let p = data.preprocessing
        XCTAssertEqual(p.scale, 0.5)
        let expected = raw.validation!.inputs.rowValues.map { row in
            row.indices.map { c -> Float in
                let mean = Float(p.mean![c]), std = Float(p.std![c])
                return (row[c] * 0.5 - mean) * (1 / std)
            }
        }
        XCTAssertEqual(data.validation!.inputs.rowValues, expected, "validation rows use the training statistics")
    }

    func testLimitKeepsTheFirstSamples() throws {
        try writeNamedCSV("data/t.csv")
        let data = try load(data: "  csv: ../data/t.csv\n  limit: 7")
        XCTAssertEqual(data.train.inputs.rowValues.map { Int($0[0]) }, Array(0..<7))
    }

    func testMissingFileSaysWhereNetrunLooked() {
        XCTAssertEqual(error { try self.load(data: "  csv: ../data/none.csv") },
                       "\(folder.path)/configs/c.yaml:3:8: data.csv: no such file: ../data/none.csv "
                       + "(looked for \(folder.path)/data/none.csv, relative to the config's folder)")
    }

    func testMoreClassesThanOutputsIsAShapeError() throws {
        try writeNamedCSV("data/t.csv")
        XCTAssertTrue(error { try self.load(data: "  csv: ../data/t.csv", units: 2) }
            .contains("data: the data has class 2 ('c') but the model has 2 outputs (classes 0…1); make the last dense layer 3 units wide"))
    }

    func testSyntheticSetsAreSeeded() throws {
        let a = try load(data: "  synthetic: {kind: spiral, classes: 3, per_class: 20}")
        let b = try load(data: "  synthetic: {kind: spiral, classes: 3, per_class: 20}")
        XCTAssertEqual(a.train.count, 60)
        XCTAssertEqual(a.train.inputs.values, b.train.inputs.values)
    }

    func testCIFAR10FolderLoadsTrainAndTestParts() throws {
        let cifar = folder.appendingPathComponent("data/cifar")
        try FileManager.default.createDirectory(at: cifar, withIntermediateDirectories: true)
        func batch(_ labels: [UInt8]) -> Data {
            Data(labels.flatMap { label in [label] + [UInt8](repeating: label &* 20, count: 3072) })
        }
        for i in 1...5 { try batch([UInt8(i), 0]).write(to: cifar.appendingPathComponent("data_batch_\(i).bin")) }
        try batch([9, 8, 7]).write(to: cifar.appendingPathComponent("test_batch.bin"))
        let data = try load(data: """
              cifar10: {path: ../data/cifar}
              split: {val: 2}
              test: {cifar10: {path: ../data/cifar, part: test}, limit: 2}
              preprocess: {scale: 0.00392156862745098}
            """, units: 10)
        XCTAssertEqual([data.train.count, data.validation?.count, data.test?.count], [8, 2, 2])
        XCTAssertEqual(data.train.inputs.cols, 3072)
        XCTAssertEqual(data.classNames?.first, "airplane")
        XCTAssertEqual(data.test?.targets.rowValues.map { argmaxIndex($0) }, [9, 8])
        XCTAssertEqual(data.test!.inputs.rowValues[0][0], Float(180) * Float(0.00392156862745098))
    }

    func testIDXImagesAndLabelsLoadAsClasses() throws {
        func idx(_ dims: [Int], _ bytes: [UInt8]) -> Data {
            Data([0, 0, 8, UInt8(dims.count)] + dims.flatMap { d in (0..<4).map { UInt8(truncatingIfNeeded: d >> (24 - 8 * $0)) } } + bytes)
        }
        try idx([3, 2, 2], Array(0..<12)).write(to: folder.appendingPathComponent("data/images"))
        try idx([3], [2, 0, 1]).write(to: folder.appendingPathComponent("data/labels"))
        let data = try load(data: "  idx: {images: ../data/images, labels: ../data/labels}")
        XCTAssertEqual(data.train.inputs.rowValues, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
        XCTAssertEqual(data.train.targets.rowValues.map { argmaxIndex($0) }, [2, 0, 1])
    }

    // MARK: What labels mean

    func testRealNumberLabelsWithMSEAndOneOutputAreValues() throws {
        try writeLabels(["1.01", "-0.00412", "3.0122", "1.01"])
        let data = try load(data: "  csv: ../data/l.csv", units: 1, loss: "mse")
        XCTAssertEqual(data.train.targets.rowValues, [[1.01], [-0.00412], [3.0122], [1.01]])
        XCTAssertEqual(data.train.kind, .real)
        XCTAssertNil(data.classNames, "values are not classes")
    }

    func testNegativeIntegerLabelsWithMSEAreValuesAndTwoOfThemBinary() throws {
        try writeLabels(["-1", "1", "1", "-1"])
        let data = try load(data: "  csv: ../data/l.csv", units: 1, loss: "mse")
        XCTAssertEqual(data.train.targets.rowValues, [[-1], [1], [1], [-1]])
        XCTAssertEqual(data.train.kind, .binary(low: -1, high: 1))
    }

    func testNegativeIntegerLabelsWithAClassLossAreAnErrorAtTheirField() throws {
        try writeLabels(["0", "-1", "2"])
        XCTAssertEqual(error { try self.load(data: "  csv: ../data/l.csv") },
                       "\(folder.path)/data/l.csv:3:2: '-1' is not a class id: class ids are whole numbers 0, 1, 2, …; "
                       + "to regress on them as values, use loss: mse with one output")
    }

    func testLabelTypeClassMakesNumbersClassIDsUnderMSE() throws {
        try writeLabels(["2", "0", "1.0"])
        let data = try load(data: "  csv: {path: ../data/l.csv, label: {column: y, type: class}}", units: 3, loss: "mse")
        XCTAssertEqual(data.train.targets.rowValues, [[0, 0, 1], [1, 0, 0], [0, 1, 0]], "1.0 is class 1, as spreadsheets write it")
        XCTAssertEqual(data.train.kind, .classes(count: 3))
    }

    func testLabelTypeValueWithACrossEntropyLossIsLocatedAtTheType() throws {
        try writeLabels(["0.5", "1"])
        XCTAssertEqual(error { try self.load(data: "  csv: {path: ../data/l.csv, label: {type: value}}", units: 1) },
                       "\(folder.path)/configs/c.yaml:3:44: data.csv.label.type: the labels are values to regress on, "
                       + "which needs loss: mse; softmax_cross_entropy takes classes (write type: class)")
    }

    func testNumericLabelsWithMSEAndManyOutputsAreAmbiguousAndTheErrorSaysWhatToWrite() throws {
        try writeLabels(["0", "2", "1"])
        XCTAssertEqual(error { try self.load(data: "  csv: ../data/l.csv", units: 3, loss: "mse") },
                       "\(folder.path)/configs/c.yaml:4:18: model.layers[0]: the model has 3 outputs (its last dense layer's units) "
                       + "but the labels are values, 1 per sample; end the model with a dense layer of 1 unit, "
                       + "or, if they are class ids, write label: {column: -1, type: class}")
    }

    func testModelWithoutADenseLayerIsRefusedNamingBothWidths() throws {
        try write("a,b,c,y\n1,2,3,0.5\n4,5,6,1.5\n", "data/w.csv")
        XCTAssertEqual(error { try self.load(data: "  csv: ../data/w.csv", layers: "[tanh]", loss: "mse") },
                       "\(folder.path)/configs/c.yaml:4:18: model.layers[0]: the model has 3 outputs (it has no dense layer, "
                       + "so its output is its input) but the labels are values, 1 per sample; end the model with a dense layer of 1 unit")
    }

    func testNamesOnOneOutputNeedAsManyOutputsAsClasses() throws {
        try writeNamedCSV("data/t.csv")
        XCTAssertTrue(error { try self.load(data: "  csv: ../data/t.csv", units: 1, loss: "mse") }
            .contains("model.layers[0]: the model has 1 output (its last dense layer's units) but the data has 3 classes; "
                      + "a classifier has one output per class: make the last dense layer 3 units wide"))
        try writeNamedCSV("data/yes.csv", names: ["no", "yes"])
        let binary = try load(data: "  csv: ../data/yes.csv", units: 1, loss: "mse")
        XCTAssertEqual(binary.train.kind, .binary(low: 0, high: 1))
        XCTAssertEqual(binary.classNames, ["no", "yes"])
    }

    func testMixedNumericAndNameLabelsAreNamesInSortedOrder() throws {
        try writeLabels(["b", "10", "9"])
        let data = try load(data: "  csv: ../data/l.csv")
        XCTAssertEqual(data.classNames, ["10", "9", "b"])
        XCTAssertEqual(data.train.targets.rowValues.map(argmaxIndex), [2, 0, 1])
    }

    func testHeldOutFileOfAValueSourceHoldsValuesToo() throws {
        try writeLabels(["1.5", "2.5", "0.25"])
        try writeLabels(["3", "4"], "data/v.csv")
        let data = try load(data: "  csv: ../data/l.csv\n  val: {csv: ../data/v.csv}", units: 1, loss: "mse")
        XCTAssertEqual(data.validation?.targets.rowValues, [[3], [4]], "values, not class ids")
        XCTAssertEqual(data.validation?.kind, .real, "the training part's kind")
    }

    func testSharedDataIsReloadedForAModelWithAnotherOutputWidth() throws {
        try writeNamedCSV("data/t.csv")
        let three = try config(data: "  csv: ../data/t.csv", layers: "[{dense: 3}]", loss: "softmax_cross_entropy")
        let five = try config(data: "  csv: ../data/t.csv", layers: "[{dense: 5}]", loss: "softmax_cross_entropy")
        let prepared = try PreparedRun<Float>(config: five, data: try DataLoader.load(three))
        XCTAssertEqual(prepared.data.train.targets.cols, 5, "targets made for 3 outputs are not reused for 5")
    }

    private func argmaxIndex(_ row: [Float]) -> Int { row.indices.max { row[$0] < row[$1] }! }
}
