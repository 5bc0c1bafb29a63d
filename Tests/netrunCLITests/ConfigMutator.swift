import Foundation

/// Mutates config text the ways people and tools break YAML: a value of the wrong type, a line
/// lost or doubled, a number far out of range, an alias bomb, nesting past any sense, bytes that
/// are not UTF-8, a file cut short.
enum ConfigMutator {
    /// The shipped configs, made to train a few steps on data that exists: paths made absolute,
    /// the digits cut to 240 rows, MNIST and CIFAR-10 pointed at small generated files, epochs
    /// and iterations cut down.
    static func bases(repository: URL, data: FuzzDataFiles) throws -> [(name: String, text: String)] {
        let folder = repository.appendingPathComponent("configs")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { name in
            var text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            text = text.replacingOccurrences(of: "../data/digits.csv", with: data.digits)
                .replacingOccurrences(of: "split: {val: 300, test: 300}", with: "split: {val: 30, test: 30}")
                .replacingOccurrences(of: "../data/mnist/", with: data.mnistFolder + "/")
                .replacingOccurrences(of: "../data/cifar-10-batches-bin", with: data.cifarFolder)
                .replacingOccurrences(of: "../data/", with: repository.appendingPathComponent("data").path + "/")
                .replacingOccurrences(of: "split: {val: 5000}", with: "split: {val: 5}")
                .replacingOccurrences(of: "split: {val: 1000, train: 49000}", with: "split: {val: 5, train: 30}")
            for (key, value) in [("epochs", "2"), ("iterations", "4"), ("log_every", "1")] {
                text = text.replacingOccurrences(of: "\(key): [0-9]+", with: "\(key): \(value)", options: .regularExpression)
            }
            return (String(name.dropLast(5)), text)
        } + synthetic
    }

    /// No shipped config uses the synthetic sets; these two put their sizes in reach of the mutations.
    static let synthetic = [
        ("spiral", """
            name: spiral
            seed: 3
            data:
              synthetic: {kind: spiral, classes: 3, per_class: 40, noise: 0.2}
              split: {val: 0.2}
            model:
              layers:
                - dense: {units: 16, activation: relu}
                - dense: 3
            loss: softmax_cross_entropy
            training: {learning_rate: 0.5, batch_size: 16, epochs: 2, log_every: 1}
            """),
        ("blobs", """
            data:
              synthetic: {kind: blobs, classes: 4, per_class: 10, dimensions: 3, spread: 1}
              test: {synthetic: {kind: xor, count: 20}, limit: 8}
            model: {layers: [{dense: {units: 4, activation: tanh}}, {dense: 1, activation: sigmoid}]}
            loss: mse
            training: {learning_rate: 0.1, iterations: 4, log_every: 1}
            """),
    ]

    /// One mutation of `text` (sometimes two or three), and what each did.
    static func mutate(_ text: String, random: inout FuzzRandom) -> (bytes: [UInt8], applied: [String]) {
        var bytes = Array(text.utf8)
        var applied: [String] = []
        // Mostly one mutation: each one usually breaks the config, and a single wrong value is
        // what reaches the decoder, the data readers and the trainer.
        for _ in 0..<(random.chance(0.7) ? 1 : 2 + random.below(2)) {
            let kind = random.pick(Kind.weighted)
            applied.append(kind.apply(to: &bytes, random: &random))
        }
        return (bytes, applied)
    }

    enum Kind: CaseIterable {
        case typeSwap, deleteLine, duplicateLine, hugeNumber, aliasBomb, deepNesting, invalidUTF8, truncate, punctuation

        /// Values that reach past the parser are drawn more often than damage the parser stops.
        static let weighted: [Kind] = [.typeSwap, .typeSwap, .typeSwap, .hugeNumber, .hugeNumber, .hugeNumber, .hugeNumber,
                                       .deleteLine, .deleteLine, .duplicateLine, .duplicateLine, .aliasBomb, .deepNesting,
                                       .invalidUTF8, .truncate, .punctuation, .punctuation]

        /// Mutates `bytes` and says how, e.g. `hugeNumber units: 9223372036854775807`.
        func apply(to bytes: inout [UInt8], random: inout FuzzRandom) -> String {
            switch self {
            case .typeSwap:
                guard let (range, key) = pickValue(in: bytes, pattern: scalarValue, random: &random) else { return "typeSwap (none)" }
                let value = random.pick(["\"text\"", "[1, 2]", "{a: 1}", "true", "null", "~", "-1", "0", "1.5", "''", "[]", "{}",
                                         "relu", "- 1", "!!binary aGk=", "0x10", "1_000", ".5", "+7"])
                bytes.replaceSubrange(range, with: Array(value.utf8))
                return "typeSwap \(key): \(value)"
            case .hugeNumber:
                guard let (range, key) = pickValue(in: bytes, pattern: number, random: &random) else { return "hugeNumber (none)" }
                // Whole numbers half the time: they pass the decoder's type checks and reach sizes and loops.
                let value = random.chance(0.5) ? random.pick(ConfigMutator.hugeIntegers) : random.pick(ConfigMutator.hugeNumbers)
                bytes.replaceSubrange(range, with: Array(value.utf8))
                return "hugeNumber \(key): \(value)"
            case .deleteLine, .duplicateLine:
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                let index = random.below(lines.count)
                let line = String(decoding: lines[index], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if self == .deleteLine { lines.remove(at: index) } else { lines.insert(lines[index], at: index) }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
                return "\(self == .deleteLine ? "deleteLine" : "duplicateLine") '\(line.prefix(40))'"
            case .aliasBomb:
                return ConfigMutator.aliasBomb(&bytes, random: &random)
            case .deepNesting:
                guard let (range, key) = pickValue(in: bytes, pattern: scalarValue, random: &random) else { return "deepNesting (none)" }
                let depth = random.pick([10, 150, 199, 200, 201, 1000, 100_000])
                let flow = random.chance(0.5)
                let value = flow ? String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
                    : String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
                bytes.replaceSubrange(range, with: Array(value.utf8))
                return "deepNesting \(key): \(flow ? "[" : "{a: ")×\(depth)"
            case .invalidUTF8:
                let sequence = random.pick([[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00],
                                            [0xFE, 0xFF], [0xEF, 0xBB, 0xBF]] as [[UInt8]])
                let at = random.below(bytes.count + 1)
                bytes.insert(contentsOf: sequence, at: at)
                return "invalidUTF8 \(sequence.map { String($0, radix: 16) }.joined(separator: " ")) at byte \(at)"
            case .truncate:
                let at = random.below(bytes.count + 1)
                bytes.removeSubrange(at...)
                return "truncate at byte \(at)"
            case .punctuation:
                let at = random.below(bytes.count + 1)
                let mark = random.pick([":", "[", "]", "{", "}", "-", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", ",",
                                        "\t", "\n", " ", "? ", "<<: "])
                if at < bytes.count, random.chance(0.5) { bytes.remove(at: at) }
                bytes.insert(contentsOf: Array(mark.utf8), at: min(at, bytes.count))
                return "punctuation \(mark.debugDescription) at byte \(at)"
            }
        }
    }

    static let hugeIntegers = ["9223372036854775807", "9223372036854775806", "4294967296", "2147483648", "16777217"]
    static let hugeNumbers = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
                              "4294967296", "2147483648", "1e308", "-1e308", "1e39", "1e400", "1e-320", ".nan", ".inf", "-.inf",
                              "-0", "99999999999999999999999999", "0.0000000000000000000000001"]

    /// A `key: value` with a plain scalar value (block or flow style).
    static let scalarValue = try! NSRegularExpression(pattern: "([A-Za-z_]+): *([^ ,{}\\[\\]\\n#][^,{}\\[\\]\\n#]*)")
    /// A number, with the key it is the value of (or an item of) when there is one.
    static let number = try! NSRegularExpression(pattern: "(?:([A-Za-z_]+): *\\[?)?(-?[0-9]+(?:\\.[0-9]+)?(?:[eE]-?[0-9]+)?)")

    /// The range of group 2 of one random match in the text part of `bytes` (before any comment),
    /// and group 1, the key.
    static func pickValue(in bytes: [UInt8], pattern: NSRegularExpression, random: inout FuzzRandom)
        -> (Range<Int>, String)?
    {
        // Only valid UTF-8 text is searched; a case already made invalid keeps its bytes.
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let whole = text as NSString
        let matches = pattern.matches(in: text, range: NSRange(location: 0, length: whole.length)).filter { match in
            let lineStart = whole.lineRange(for: NSRange(location: match.range.location, length: 0)).location
            let before = whole.substring(with: NSRange(location: lineStart, length: match.range.location - lineStart))
            return !before.contains("#")
        }
        guard !matches.isEmpty else { return nil }
        let match = random.pick(matches)
        let value = match.range(at: 2)
        let key = match.range(at: 1).location == NSNotFound ? "(item)" : whole.substring(with: match.range(at: 1))
        // NSString ranges count UTF-16 units; convert through the prefix's UTF-8 length.
        let start = whole.substring(to: value.location).utf8.count
        let length = whole.substring(with: value).utf8.count
        return (start..<(start + length), key)
    }

    /// Anchors whose aliases multiply (a billion laughs), refer to themselves, or nest deeply,
    /// put where the config's decoder will meet them.
    static func aliasBomb(_ bytes: inout [UInt8], random: inout FuzzRandom) -> String {
        let kind = random.below(3)
        var lines: [String]
        switch kind {
        case 0:
            let levels = 3 + random.below(7)
            lines = ["laughs:", "  - &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
            for level in 1..<levels {
                lines.append("  - &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
            }
            lines.append("name: *l\(levels - 1)")
        case 1:
            lines = ["name: &self [*self]"]
        default:
            lines = ["laughs:", "  - &d0 " + String(repeating: "[", count: 150) + "1" + String(repeating: "]", count: 150),
                     "  - &d1 [*d0]", "name: [*d1]"]
        }
        // A top-level `name:` later in the file would be a duplicate key; put the bomb in its place.
        var text = String(decoding: bytes, as: UTF8.self)
        if let range = text.range(of: "\nname: [^\n]*", options: .regularExpression) {
            text.replaceSubrange(range, with: "\n")
        } else if text.hasPrefix("name:"), let end = text.firstIndex(of: "\n") {
            text.removeSubrange(text.startIndex..<end)
        }
        bytes = Array((lines.joined(separator: "\n") + "\n" + text).utf8)
        return ["aliasBomb laughs", "aliasBomb self-reference", "aliasBomb deep alias"][kind]
    }
}
