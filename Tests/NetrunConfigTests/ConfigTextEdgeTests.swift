import Foundation
import NetrunConfig
import XCTest

/// Config text at the edges: bad encodings, files that are not files, typos of required keys,
/// empty overrides, large documents and names SQLite would cut.
final class ConfigTextEdgeTests: XCTestCase {
    private let valid = """
        data:
          inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [0, 1, 1, 0]
        model:
          layers:
            - dense: 2
        loss: softmax_cross_entropy
        training:
          learning_rate: 0.1
          epochs: 3

        """

    private func error(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-edge-\(UUID()).yaml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testInvalidUTF8InAConfigFileNamesLineColumnAndByte() throws {
        let path = try temporaryFile(Array("name: demo\nseed: 1\n# caf".utf8) + [0xE9, 0x0A])
        XCTAssertEqual(error { try ConfigLoader.load(path: path) },
                       "\(path):3:6: invalid UTF-8 at byte 24 (0xE9); configs are UTF-8 text")
    }

    func testUTF16ConfigIsRefusedAsUTF16() throws {
        let path = try temporaryFile([0xFF, 0xFE] + Array(valid.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(error { try ConfigLoader.load(path: path) },
                       "\(path):1:1: the file is UTF-16 text; netrun reads configs in UTF-8, so save it as UTF-8")
    }

    func testAFolderOrDeviceAsConfigSaysWhatItIs() {
        let folder = FileManager.default.temporaryDirectory.path
        XCTAssertEqual(error { try ConfigLoader.load(path: folder) }, "\(folder) is a folder, not a file")
        XCTAssertEqual(error { try ConfigLoader.load(path: "/dev/null") },
                       "/dev/null is not a regular file (a device, FIFO or socket)")
        XCTAssertEqual(error { try ConfigLoader.loadData(path: "/dev/null") },
                       "/dev/null is not a regular file (a device, FIFO or socket)")
    }

    func testAMisspelledRequiredKeyIsReportedAsUnknownWithASuggestion() {
        let topLevel = valid.replacingOccurrences(of: "training:", with: "trainin:")
        XCTAssertEqual(error { try ConfigLoader.decode(text: topLevel, path: "c.yaml") },
                       "c.yaml:8:1: unknown key 'trainin' (did you mean 'training'?)")
        let epochs = valid.replacingOccurrences(of: "epochs:", with: "epoch:")
        XCTAssertEqual(error { try ConfigLoader.decode(text: epochs, path: "c.yaml") },
                       "c.yaml:10:3: training: unknown key 'epoch' (did you mean 'epochs'?)")
        let decayOnly = valid.replacingOccurrences(of: "learning_rate:", with: "learning_rate_decay:")
        XCTAssertEqual(error { try ConfigLoader.decode(text: decayOnly, path: "c.yaml") },
                       "c.yaml:9:3: training: missing required key 'learning_rate'")
        let missing = valid.replacingOccurrences(of: "  epochs: 3\n", with: "")
        XCTAssertEqual(error { try ConfigLoader.decode(text: missing, path: "c.yaml") },
                       "c.yaml:9:3: training: missing required key 'epochs' (or 'iterations')")
    }

    func testAnEmptyOverrideValueIsALocatedError() {
        XCTAssertEqual(error { try ConfigOverride.parse(argument: "training.epochs=") },
                       "command line (training.epochs=):1:1: training.epochs: empty value; write training.epochs=VALUE (null for no value)")
        XCTAssertEqual(error { try ConfigOverride.parse(argument: "training.epochs=  ") }.contains("empty value"), true)
    }

    func testANullOverrideIsANullValueNotAnEmptyConfig() throws {
        for text in ["null", "~", " NULL "] {
            let override = try ConfigOverride.parse(argument: "training.log_every=\(text)")
            guard case .scalar(let scalar) = override.value.kind else { return XCTFail("\(override.value.kind)") }
            XCTAssertEqual(scalar.value, .null, text)
        }
    }

    func testALargePlainDocumentIsToldApartFromAnAliasBomb() {
        // 1,000,002 nodes with no alias: a size limit, not an expansion.
        let inputs = "[" + String(repeating: "0,", count: 999_999) + "0]"
        XCTAssertEqual(error { try YAMLLoader.parse("inputs: \(inputs)\n", file: "big.yaml") },
                       "big.yaml:1:1: the document has 1000003 YAML nodes, over the limit of 1000000; "
                       + "put large data in a CSV file (data: {csv: FILE})")
    }

    func testANameWithANULIsRefusedAtItsPlace() {
        XCTAssertEqual(error { try ConfigLoader.decode(text: "name: \"a\\0b\"\n" + valid, path: "c.yaml") },
                       "c.yaml:1:7: name: a name cannot contain a NUL character (\\0); it would be cut there when stored")
        let escapes = "name: \"line\\nbreak\\e[31m\"\n" + valid
        XCTAssertEqual(try ConfigLoader.decode(text: escapes, path: "c.yaml").name, "line\nbreak\u{1B}[31m")
    }
}
