import NetrunConfig
import XCTest

/// Typed reading with key paths, unknown-key reports and suggestions.
final class ConfigValueTests: XCTestCase {
    private let text = """
        name: xor
        seed: 1
        model:
          layers:
            - units: 4
              activation: sigmod
            - units: 1
        training:
          learning_rate: 1e-3
          epochs: ten
          lerning_rate: 0.5
          shuffle: true
          decay: ~
        """

    private func root() throws -> ConfigValue {
        ConfigValue(root: try YAMLLoader.parse(text, file: "c.yaml"))
    }

    func testTypedReadsFollowTheKeyPath() throws {
        let config = try root().mapping()
        XCTAssertEqual(try config.required("name").string(), "xor")
        XCTAssertEqual(try config.required("seed").int(), 1)
        let layers = try config.required("model").mapping().required("layers").sequence()
        XCTAssertEqual(layers.map(\.path), ["model.layers[0]", "model.layers[1]"])
        let units = try layers[1].mapping().required("units")
        XCTAssertEqual(units.path, "model.layers[1].units")
        XCTAssertEqual(try units.int(), 1)
        let training = try config.required("training").mapping()
        XCTAssertEqual(try training.required("learning_rate").double(), 0.001)
        XCTAssertEqual(try training.required("shuffle").bool(), true)
        XCTAssertEqual(try config.required("seed").double(), 1)
    }

    func testTypeErrorNamesPathAndLocation() throws {
        let training = try root().mapping().required("training").mapping()
        let error = try thrown { try training.required("epochs").int() }
        XCTAssertEqual(error.description, "c.yaml:10:11: training.epochs: expected an integer, got 'ten'")
    }

    func testTypeErrorsShowWhatWasFound() throws {
        let config = try root().mapping()
        XCTAssertEqual(try thrown { try config.required("seed").string() }.message, "expected a string, got 1")
        XCTAssertEqual(try thrown { try config.required("model").int() }.message, "expected an integer, got a mapping")
        let training = try config.required("training").mapping()
        XCTAssertEqual(try thrown { try training.required("learning_rate").int() }.message, "expected an integer, got 1e-3")
        XCTAssertEqual(try thrown { try training.required("decay").double() }.message, "expected a number, got null")
        XCTAssertEqual(try thrown { try training.required("shuffle").sequence() }.message, "expected a list, got true")
        XCTAssertEqual(try thrown { try config.required("name").bool() }.message, "expected true or false, got 'xor'")
        XCTAssertEqual(try thrown { try config.required("name").mapping() }.path, "name")
    }

    func testOptionalIsNilForAbsentAndNullKeys() throws {
        let training = try root().mapping().required("training").mapping()
        XCTAssertNil(training.optional("momentum"))
        XCTAssertNil(training.optional("decay"))
        XCTAssertTrue(try training.required("decay").isNull)
        XCTAssertEqual(try training.optional("shuffle")?.bool(), true)
        XCTAssertTrue(training.contains("decay"))
        XCTAssertFalse(training.contains("momentum"))
        XCTAssertEqual(training.keys, ["learning_rate", "epochs", "lerning_rate", "shuffle", "decay"])
    }

    func testMissingRequiredKeyIsReportedAtTheMapping() throws {
        let layer = try root().mapping().required("model").mapping().required("layers").sequence()[1].mapping()
        let error = try thrown { try layer.required("activation") }
        XCTAssertEqual(error.description, "c.yaml:7:7: model.layers[1]: missing required key 'activation'")
    }

    func testFinishReportsTheFirstUnknownKeyAtItsLocation() throws {
        let training = try root().mapping().required("training").mapping()
        _ = training.optional("momentum")
        _ = try training.required("learning_rate")
        _ = try training.required("epochs")
        _ = training.optional("shuffle")
        _ = training.optional("decay")
        let error = try thrown { try training.finish() }
        XCTAssertEqual(error.location, SourceLocation(file: "c.yaml", line: 11, column: 3))
        XCTAssertEqual(error.path, "training")
        // learning_rate is present, so the typo cannot mean it, and nothing else asked for is close.
        XCTAssertEqual(error.message, "unknown key 'lerning_rate'; expected one of: momentum, learning_rate, epochs, shuffle, decay")
    }

    func testFinishSuggestsAnAbsentKeyThatWasAskedFor() throws {
        let config = try ConfigValue(root: YAMLLoader.parse("lerning_rate: 0.1\nepochs: 3\n", file: "t.yaml")).mapping()
        _ = config.optional("learning_rate")
        _ = config.optional("momentum")
        _ = try config.required("epochs")
        let error = try thrown { try config.finish() }
        XCTAssertEqual(error.description, "t.yaml:1:1: unknown key 'lerning_rate' (did you mean 'learning_rate'?)")
    }

    func testFinishPassesWhenEveryKeyWasAskedFor() throws {
        let config = try root().mapping()
        for key in ["name", "seed", "model", "training"] { _ = config.optional(key) }
        XCTAssertNoThrow(try config.finish())
    }

    func testChoiceReturnsTheValueForAKnownName() throws {
        let layer = try root().mapping().required("model").mapping().required("layers").sequence()[1].mapping()
        XCTAssertEqual(try layer.required("units").choice("width", ["1": "one", "4": "four"]), "one")
        let name = try root().mapping().required("name")
        XCTAssertEqual(try name.choice("problem", ["and": 1, "xor": 2]), 2)
    }

    func testChoiceSuggestsTheClosestName() throws {
        let layer = try root().mapping().required("model").mapping().required("layers").sequence()[0].mapping()
        let activation = try layer.required("activation")
        let error = try thrown { try activation.choice("activation", ["relu": 0, "sigmoid": 1, "tanh": 2]) }
        XCTAssertEqual(
            error.description,
            "c.yaml:6:19: model.layers[0].activation: unknown activation 'sigmod' (did you mean 'sigmoid'?); expected one of: relu, sigmoid, tanh")
        let far = try thrown { try activation.choice("loss", ["mse": 0, "cross_entropy": 1]) }
        XCTAssertEqual(far.message, "unknown loss 'sigmod'; expected one of: mse, cross_entropy")
    }

    func testSuggestionPicksClosestWithinAThirdOfTheWord() {
        XCTAssertEqual(suggestion(for: "sigmod", among: ["relu", "sigmoid", "tanh"]), "sigmoid")
        XCTAssertEqual(suggestion(for: "ReLU", among: ["relu", "tanh"]), "relu")
        XCTAssertEqual(suggestion(for: "epoch", among: ["epochs", "seed"]), "epochs")
        XCTAssertEqual(suggestion(for: "lr", among: ["learning_rate"]), nil)
        // Two edits for a six-letter word is the most allowed; three is too far.
        XCTAssertEqual(suggestion(for: "sigmxx", among: ["sigmoid"]), nil)
        XCTAssertEqual(suggestion(for: "sgmd", among: ["sigmoid"]), nil)
        XCTAssertEqual(suggestion(for: "tanhh", among: ["tanh"]), "tanh")
        // A swap of neighbours is one edit, the commonest typo.
        XCTAssertEqual(suggestion(for: "tahn", among: ["tanh"]), "tanh")
        XCTAssertEqual(suggestion(for: "thna", among: ["tanh"]), nil, "two edits are too many for four letters")
        XCTAssertEqual(suggestion(for: "abc", among: ["abd", "abe"]), "abd")
        XCTAssertEqual(suggestion(for: "x", among: []), nil)
    }

    // MARK: - Helpers

    private func thrown<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) throws -> ConfigError {
        do {
            _ = try body()
        } catch let error as ConfigError {
            return error
        }
        XCTFail("expected a ConfigError", file: file, line: line)
        return ConfigError("", at: nil)
    }
}
