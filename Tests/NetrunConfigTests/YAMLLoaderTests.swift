import Foundation
import NetrunConfig
import NetrunCore
import XCTest

/// Parsing into the node tree: locations, structure errors, document count, files.
final class YAMLLoaderTests: XCTestCase {
    func testLocationsAreOneBasedForKeysValuesAndSequenceItems() throws {
        let text = """
            name: xor
            model:
              layers:
                - units: 4
                -   units: 1
            """
        let root = try YAMLLoader.parse(text, file: "xor.yaml")
        XCTAssertEqual(root.location, SourceLocation(file: "xor.yaml", line: 1, column: 1))
        let rootEntries = try entries(root)
        XCTAssertEqual(rootEntries.map(\.key), ["name", "model"])
        XCTAssertEqual(rootEntries[0].value.location, SourceLocation(file: "xor.yaml", line: 1, column: 7))
        XCTAssertEqual(rootEntries[1].keyLocation, SourceLocation(file: "xor.yaml", line: 2, column: 1))

        let layersEntry = try entries(rootEntries[1].value)[0]
        XCTAssertEqual(layersEntry.keyLocation, SourceLocation(file: "xor.yaml", line: 3, column: 3))
        guard case .sequence(let layers) = layersEntry.value.kind else { return XCTFail("layers is not a sequence") }
        XCTAssertEqual(layers.map(\.location.line), [4, 5])
        XCTAssertEqual(layers.map(\.location.column), [7, 9])
        let units = try entries(layers[1])[0]
        XCTAssertEqual(units.keyLocation, SourceLocation(file: "xor.yaml", line: 5, column: 9))
        XCTAssertEqual(units.value.location, SourceLocation(file: "xor.yaml", line: 5, column: 16))
    }

    func testFlowCollectionsParse() throws {
        let root = try YAMLLoader.parse("inputs: [[0, 1], [1, 0]]\nlayer: {units: 8, activation: relu}\n", file: "f.yaml")
        let values = try entries(root).map(\.value)
        guard case .sequence(let rows) = values[0].kind, case .sequence(let row) = rows[1].kind else {
            return XCTFail("inputs is not a list of lists")
        }
        XCTAssertEqual(row.count, 2)
        XCTAssertEqual(row[1].location, SourceLocation(file: "f.yaml", line: 1, column: 22))
        XCTAssertEqual(try entries(values[1]).map(\.key), ["units", "activation"])
    }

    func testDuplicateKeyNamesBothLines() throws {
        let text = "training:\n  lr: 0.1\n\n  epochs: 10\n  momentum: 0.9\n  epochs: 20\n"
        let error = try parseError(text)
        XCTAssertEqual(error.message, "duplicate key 'epochs' (first at line 4)")
        XCTAssertEqual(error.location, SourceLocation(file: "test.yaml", line: 6, column: 3))
    }

    func testNonScalarKeyIsAnError() throws {
        let error = try parseError("? [a, b]\n: 1\n")
        XCTAssertEqual(error.message, "a mapping key must be a scalar")
        XCTAssertEqual(error.location?.line, 1)
    }

    func testSyntaxErrorIsLocated() throws {
        let error = try parseError("model:\n  units: 4\n  layers: [1, 2\nloss: mse\n")
        XCTAssertTrue(error.message.hasPrefix("syntax error: "), error.message)
        XCTAssertEqual(error.location?.file, "test.yaml")
        XCTAssertEqual(error.location?.line, 4)
        XCTAssertTrue(error.description.hasPrefix("test.yaml:4:"), error.description)
    }

    func testBadIndentationIsASyntaxErrorWithContext() throws {
        let error = try parseError("a: 1\n  b: 2\n")
        XCTAssertEqual(error.location?.line, 2)
        XCTAssertTrue(error.message.contains("syntax error"), error.message)
    }

    func testUndefinedAliasIsAnError() throws {
        let error = try parseError("a: *nowhere\n")
        XCTAssertTrue(error.message.contains("undefined alias"), error.message)
        XCTAssertEqual(error.location?.line, 1)
    }

    func testEmptyInputsAreEmptyConfigs() throws {
        for text in ["", "\n\n", "# just a comment\n", "---\n", "~\n", "--- null\n..."] {
            XCTAssertEqual(try parseError(text).message, "config is empty", text.debugDescription)
        }
    }

    func testSecondDocumentIsAnError() throws {
        let error = try parseError("a: 1\n---\nb: 2\n")
        XCTAssertTrue(error.message.contains("second"), error.message)
        XCTAssertEqual(error.location?.line, 2)
    }

    func testExplicitSingleDocumentIsFine() throws {
        let root = try YAMLLoader.parse("---\na: 1\n...\n", file: "one.yaml")
        XCTAssertEqual(try entries(root).map(\.key), ["a"])
    }

    func testAliasCopiesTheAnchoredNode() throws {
        let root = try YAMLLoader.parse("base: &b {units: 4}\nother: *b\n", file: "alias.yaml")
        let values = try entries(root).map(\.value)
        XCTAssertEqual(try entries(values[1]).map(\.key), ["units"])
        XCTAssertEqual(values[1].location, values[0].location)
    }

    func testBillionLaughsThrowsQuickly() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let start = Date()
        let error = try parseError(text)
        XCTAssertTrue(error.message.contains("too many nodes"), error.message)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testSelfReferencingAliasThrows() throws {
        for text in ["a: &x [1, *x]\n", "&r {a: {b: *r}}\n"] {
            let error = try parseError(text)
            XCTAssertTrue(error.message.contains("nesting too deep"), error.message)
        }
    }

    func testDeepNestingThrowsInsteadOfOverflowingTheStack() throws {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertTrue(try parseError(text).message.contains("nesting too deep"))
        let shallow = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        XCTAssertNoThrow(try YAMLLoader.parse(shallow, file: "deep.yaml"))
    }

    func testSharedAnchorReusedDeeperStillCountsDepth() throws {
        // The anchor is built shallow first; its alias then sits 199 levels down, past the limit.
        let deepList = String(repeating: "[", count: 199) + "*x" + String(repeating: "]", count: 199)
        let text = "a: &x [[1]]\nb: \(deepList)\n"
        XCTAssertTrue(try parseError(text).message.contains("nesting too deep"))
    }

    func testLoadReadsAFileAndLocatesByItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-yaml-\(UUID()).yaml").path
        try "a: 1\nb: [\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try YAMLLoader.load(contentsOfFile: path)) { error in
            XCTAssertEqual((error as? ConfigError)?.location?.file, path)
        }
    }

    func testLoadOfMissingFileNamesThePath() {
        XCTAssertThrowsError(try YAMLLoader.load(contentsOfFile: "/nonexistent/netrun.yaml")) { error in
            let message = (error as? ConfigError)?.message ?? ""
            XCTAssertTrue(message.contains("/nonexistent/netrun.yaml"), message)
        }
    }

    func testInvalidUTF8InAFileIsALocatedError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-yaml-\(UUID()).yaml").path
        try Data([0x61, 0x3A, 0x20, 0x31, 0x0A, 0x62, 0x3A, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try YAMLLoader.load(contentsOfFile: path)) { error in
            XCTAssertEqual((error as? ConfigError)?.location, SourceLocation(file: path, line: 2, column: 4))
        }
    }

    func testRandomPunctuationSoupNeverCrashes() {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("ab:-[]{},&*!|>'\"#?%@`\n \t~.0x1e")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            })
            _ = try? YAMLLoader.parse(text, file: "fuzz.yaml")
        }
    }

    // MARK: - Helpers

    private func entries(_ node: YAMLNode) throws -> [YAMLEntry] {
        guard case .mapping(let entries) = node.kind else { throw ConfigError("not a mapping", at: node.location) }
        return entries
    }

    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> ConfigError {
        do {
            _ = try YAMLLoader.parse(text, file: "test.yaml")
        } catch let error as ConfigError {
            return error
        }
        XCTFail("expected a ConfigError for \(text.debugDescription)", file: file, line: line)
        return ConfigError("", at: nil)
    }
}
