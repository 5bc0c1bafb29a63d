@testable import NetrunConfig
import XCTest

final class DataConfigTests: XCTestCase {
    private func decode(data: String, path: String = "configs/d.yaml") throws -> DataConfig {
        try ConfigLoader.decode(text: """
            data:
            \(data)
            model: {layers: [{dense: 3}]}
            loss: softmax_cross_entropy
            training: {learning_rate: 0.1, epochs: 1}
            """, path: path).data
    }

    private func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testFilesResolveAgainstTheConfigsFolder() throws {
        let data = try decode(data: "  csv: {path: ../data/iris.csv, label: species}")
        guard case .csv(let csv) = data.source.kind else { return XCTFail() }
        XCTAssertEqual(csv.file.resolved, "data/iris.csv")
        XCTAssertEqual(csv.label, .name("species"))
        XCTAssertNil(csv.header)
        XCTAssertEqual(ConfigLoader.resolvePath("/abs/x.csv", against: "configs"), "/abs/x.csv")
        XCTAssertEqual(ConfigLoader.resolvePath("./x.csv", against: "/a/b"), "/a/b/x.csv")
        XCTAssertEqual(ConfigLoader.resolvePath("../../x.csv", against: "a"), "../x.csv")
    }

    func testEverySourceKindDecodes() throws {
        guard case .idx(let idx) = try decode(data: "  idx: {images: i.gz, labels: l.gz}").source.kind else { return XCTFail() }
        XCTAssertEqual(idx.images.resolved, "configs/i.gz")
        guard case .cifar10(let cifar) = try decode(data: "  cifar10: {path: c, part: test}").source.kind else { return XCTFail() }
        XCTAssertEqual(cifar.fileNames, ["test_batch.bin"])
        guard case .synthetic(let spiral) = try decode(data: "  synthetic: {kind: spiral, classes: 3, per_class: 50}").source.kind
        else { return XCTFail() }
        XCTAssertEqual(spiral, .spiral(classes: 3, perClass: 50, noise: 0.2))
        let csv = try decode(data: "  csv: d.csv\n  limit: 100")
        XCTAssertEqual(csv.source.limit?.value, 100)
    }

    func testSplitsAndPreprocessing() throws {
        let data = try decode(data: """
              csv: d.csv
              split: {val: 0.1, test: 30, train: 500}
              preprocess: {scale: 0.5, subtract_mean: true}
            """)
        XCTAssertEqual(data.split.validation?.value, .fraction(0.1))
        XCTAssertEqual(data.split.test?.value, .count(30))
        XCTAssertEqual(data.split.train?.value, .count(500))
        XCTAssertEqual(data.preprocess, PreprocessConfig(scale: 0.5, subtractMean: true))
    }

    func testSourceMistakesAreLocated() {
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  idx: {images: a, labels: b}") },
                       "configs/d.yaml:2:3: data: more than one data source (csv, idx); give one")
        XCTAssertTrue(error { try self.decode(data: "  limit: 3") }.contains("data: no data source"))
        XCTAssertEqual(error { try self.decode(data: "  synthetic: {kind: spirals}") },
                       "configs/d.yaml:2:21: data.synthetic.kind: unknown synthetic set 'spirals' (did you mean 'spiral'?); "
                       + "expected one of: xor, spiral, blobs")
        XCTAssertEqual(error { try self.decode(data: "  csv: d.csv\n  val: {csv: v.csv}\n  split: {val: 10}") },
                       "configs/d.yaml:4:16: data.split.val: give val samples either as data.val or as split.val, not both")
        XCTAssertEqual(error { try self.decode(data: "  csv: {path: d.csv, lable: x}") },
                       "configs/d.yaml:2:22: data.csv: unknown key 'lable' (did you mean 'label'?)")
    }

    func testLabelMappingGivesTheColumnAndTheType() throws {
        guard case .csv(let csv) = try decode(data: "  csv: {path: d.csv, label: {column: price, type: value}}").source.kind
        else { return XCTFail() }
        XCTAssertEqual(csv.label, .name("price"))
        XCTAssertEqual(csv.labelType?.value, .value)
        XCTAssertEqual(csv.labelType?.path, "data.csv.label.type")
        guard case .csv(let defaults) = try decode(data: "  csv: {path: d.csv, label: {type: class}}").source.kind
        else { return XCTFail() }
        XCTAssertEqual(defaults.label, .index(-1), "the column defaults to the last")
        XCTAssertEqual(defaults.labelType?.value, .class)
        guard case .csv(let bare) = try decode(data: "  csv: {path: d.csv, label: 0}").source.kind else { return XCTFail() }
        XCTAssertEqual(bare.label, .index(0))
        XCTAssertNil(bare.labelType)
        XCTAssertEqual(error { try self.decode(data: "  csv: {path: d.csv, label: {column: 0, type: number}}") },
                       "configs/d.yaml:2:47: data.csv.label.type: unknown label type 'number'; expected one of: value, class")
        XCTAssertEqual(error { try self.decode(data: "  csv: {path: d.csv, label: {colum: 0}}") },
                       "configs/d.yaml:2:30: data.csv.label: unknown key 'colum' (did you mean 'column'?)")
    }

    func testScaleMustStayWithinFloatsRange() {
        let source = "  inputs: [[0, 1], [1, 1]]\n  targets: [0, 1]\n  preprocess: {scale: "
        XCTAssertEqual(error { try self.decode(data: source + "1e39}") },
                       "configs/d.yaml:4:23: data.preprocess.scale: a scale is applied in Float and must be between 1.2e-38 "
                       + "and 3.4e38, got 1e+39")
        XCTAssertEqual(error { try self.decode(data: source + "1e-45}") },
                       "configs/d.yaml:4:23: data.preprocess.scale: a scale is applied in Float and must be between 1.2e-38 "
                       + "and 3.4e38, got 1e-45")
    }
}
