/// A YAML node plus the key path that reached it, for typed reading with located errors.
public struct ConfigValue: Sendable {
    public let node: YAMLNode
    /// Key path from the root, e.g. `model.layers[1].activation`; empty for the root.
    public let path: String

    /// The whole document, at the empty path.
    public init(root: YAMLNode) {
        self.init(node: root, path: "")
    }

    init(node: YAMLNode, path: String) {
        self.node = node
        self.path = path
    }

    /// Where the node starts.
    public var location: SourceLocation { node.location }

    /// An error located at this node, with its path.
    public func error(_ message: String) -> ConfigError {
        ConfigError(message, at: location, path: path)
    }

    /// Whether the node is `~`, `null` or nothing at all.
    public var isNull: Bool { scalar?.value == .null }

    /// A string scalar; a number or bool where a string is expected is an error, not a conversion.
    public func string() throws -> String {
        guard case .string(let text) = scalar?.value else { throw mismatch("a string") }
        return text
    }

    /// An integer scalar; `0.5` or `1e3` is an error.
    public func int() throws -> Int {
        guard case .int(let value) = scalar?.value else { throw mismatch("an integer") }
        return value
    }

    /// An integer or float scalar.
    public func double() throws -> Double {
        switch scalar?.value {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw mismatch("a number")
        }
    }

    /// A bool scalar (`true`/`false` in the core schema's spellings).
    public func bool() throws -> Bool {
        guard case .bool(let value) = scalar?.value else { throw mismatch("true or false") }
        return value
    }

    /// The items of a sequence, at paths `path[0]`, `path[1]`, ….
    public func sequence() throws -> [ConfigValue] {
        guard case .sequence(let items) = node.kind else { throw mismatch("a list") }
        return items.enumerated().map { index, item in ConfigValue(node: item, path: "\(path)[\(index)]") }
    }

    /// A mapping, to read key by key.
    public func mapping() throws -> ConfigMapping {
        guard case .mapping(let entries) = node.kind else { throw mismatch("a mapping") }
        return ConfigMapping(self, entries: entries)
    }

    /// The value `choices` pairs with this scalar's text; an unknown name gets a suggestion and the list.
    ///
    /// `try value.choice("activation", ["relu": .relu, "tanh": .tanh])` on `sigmod` throws
    /// "unknown activation 'sigmod' (did you mean …?); expected one of: relu, tanh".
    public func choice<T>(_ what: String, _ choices: KeyValuePairs<String, T>) throws -> T {
        let names = choices.map(\.key)
        let list = names.joined(separator: ", ")
        // Any scalar's text can name a choice, so `loss: 12` reads "unknown loss '12'".
        guard let scalar, scalar.value != .null else { throw mismatch("one of: \(list)") }
        if let match = choices.first(where: { $0.key == scalar.text }) { return match.value }
        var message = "unknown \(what) '\(scalar.text)'"
        if let guess = suggestion(for: scalar.text, among: names) { message += " (did you mean '\(guess)'?)" }
        throw error(message + "; expected one of: \(list)")
    }

    /// The path of this mapping's value under `key`.
    func path(of key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private var scalar: YAMLScalar? {
        if case .scalar(let scalar) = node.kind { return scalar }
        return nil
    }

    private func mismatch(_ expected: String) -> ConfigError {
        error("expected \(expected), got \(shown)")
    }

    /// The node as a message shows it: numbers as written, strings quoted, collections by kind.
    private var shown: String {
        switch node.kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return scalar.text.isEmpty ? "nothing" : "null"
            case .bool, .int, .double: return scalar.text
            case .string(let text):
                let line = text.prefix { $0 != "\n" }
                return line.count > 40 || line.count < text.count ? "'\(line.prefix(40))…'" : "'\(text)'"
            }
        }
    }
}

/// Reads a mapping's keys one by one and reports the keys nobody asked for.
public final class ConfigMapping {
    public let value: ConfigValue
    private let entries: [YAMLEntry]
    /// Every key asked for, present or not, in the order asked: the vocabulary for suggestions.
    private var asked: [String] = []

    init(_ value: ConfigValue, entries: [YAMLEntry]) {
        self.value = value
        self.entries = entries
    }

    /// The keys in document order.
    public var keys: [String] { entries.map(\.key) }

    /// Whether `key` is present; does not count as asking for it.
    public func contains(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }

    /// The value under `key`, which must be present (it may be null).
    public func required(_ key: String) throws -> ConfigValue {
        guard let child = lookUp(key) else { throw missing([key], "missing required key '\(key)'") }
        return child
    }

    /// The error for absent required `keys`: a present key not yet asked for that looks like a typo
    /// of one of them is the real mistake, so it is reported instead, with the suggestion.
    ///
    /// The key may still be one asked for later, so the match is stricter than `suggestion(for:among:)`:
    /// at most a third of the shorter word, which keeps `learning_rate_decay` from passing for a
    /// misspelled `learning_rate`.
    public func missing(_ keys: [String], _ message: String) -> ConfigError {
        for entry in entries where !asked.contains(entry.key) {
            let written = Array(entry.key.lowercased())
            for key in keys where editDistance(written, Array(key.lowercased())) <= max(1, min(written.count, key.count) / 3) {
                return ConfigError("unknown key '\(entry.key)' (did you mean '\(key)'?)", at: entry.keyLocation,
                                   path: value.path)
            }
        }
        return value.error(message)
    }

    /// The value under `key`, or nil when the key is absent or null.
    public func optional(_ key: String) -> ConfigValue? {
        guard let child = lookUp(key), !child.isNull else { return nil }
        return child
    }

    /// Throws for the first key (in document order) never asked for, suggesting an asked-for key it may be a typo of.
    public func finish() throws {
        guard let unknown = entries.first(where: { !asked.contains($0.key) }) else { return }
        var message = "unknown key '\(unknown.key)'"
        // A key that is already present cannot be what a typo in the file meant; but an override or a
        // grid key misspelling one (`training.learing_rate=0.1`) meant exactly that.
        let absent = asked.filter { !contains($0) }
        if let guess = suggestion(for: unknown.key, among: absent)
            ?? (unknown.isOverride ? suggestion(for: unknown.key, among: asked) : nil) {
            message += " (did you mean '\(guess)'?)"
        } else if !asked.isEmpty {
            message += "; expected one of: \(asked.joined(separator: ", "))"
        }
        throw ConfigError(message, at: unknown.keyLocation, path: value.path)
    }

    private func lookUp(_ key: String) -> ConfigValue? {
        if !asked.contains(key) { asked.append(key) }
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        return ConfigValue(node: entry.value, path: value.path(of: key))
    }
}
