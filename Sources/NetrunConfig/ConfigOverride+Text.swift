import Foundation

extension ConfigOverride {
    /// Overrides as `path=value` lines, the value in YAML flow style, for storing with a run so
    /// `netrun resume` and `netrun eval` rebuild the exact config a sweep trial trained.
    public static func text(_ overrides: [ConfigOverride]) -> String {
        overrides.map { "\($0.path)=\($0.value.flowText)\n" }.joined()
    }

    /// The overrides `text(_:)` wrote; `source` names them in errors.
    public static func parse(text: String, source: String) throws -> [ConfigOverride] {
        try text.split(separator: "\n").map { line in
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError("\(source): '\(line)' is not path=value", at: nil)
            }
            // parseValue, as on the command line: `null` alone is a value, not an empty document.
            let value = try parseValue(String(line[line.index(after: equals)...]), file: source)
            return try ConfigOverride(path: String(line[..<equals]), value: value, location: nil)
        }
    }
}

extension ConfigOverride {
    /// A command-line override, `key.path=value`, the value read as YAML (`0.05`, `relu`, `[8, 8]`).
    public static func parse(argument: String) throws -> ConfigOverride {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ConfigError("'\(argument)' is not an override; write key.path=value, e.g. training.learning_rate=0.05 "
                              + "or model.layers[0].units=64", at: nil)
        }
        let source = "command line (\(argument))"
        let path = String(argument[..<equals])
        let text = String(argument[argument.index(after: equals)...])
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ConfigError("empty value; write \(path)=VALUE (null for no value)",
                              at: SourceLocation(file: source, line: 1, column: 1), path: path)
        }
        let value = try parseValue(text, file: source)
        return try ConfigOverride(path: path, value: value, location: SourceLocation(file: source, line: 1, column: 1))
    }
}

extension ConfigOverride {
    /// The value of an override as YAML. A lone `null` (or `~`) is a document the loader refuses as
    /// empty, so it is read as the item of a one-item list instead.
    static func parseValue(_ text: String, file: String) throws -> YAMLNode {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard ["null", "Null", "NULL", "~"].contains(trimmed) else { return try YAMLLoader.parse(text, file: file) }
        guard case .sequence(let items) = try YAMLLoader.parse("- " + trimmed, file: file).kind, let item = items.first else {
            return try YAMLLoader.parse(text, file: file)
        }
        return item
    }
}

extension YAMLNode {
    /// The node as one line of YAML flow style that parses back to the same values: scalars as
    /// written (strings JSON-quoted, which YAML reads as double-quoted), `[…]` and `{…}`.
    public var flowText: String {
        switch kind {
        case .scalar(let scalar):
            if case .string(let text) = scalar.value { return Self.quoted(text) }
            return scalar.value == .null ? "null" : scalar.text
        case .sequence(let items):
            return "[" + items.map(\.flowText).joined(separator: ", ") + "]"
        case .mapping(let entries):
            return "{" + entries.map { "\(Self.quoted($0.key)): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
