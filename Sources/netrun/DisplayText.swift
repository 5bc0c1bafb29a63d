/// Text from a config or the database made safe for a terminal line: names are stored exactly as
/// given, but a newline would break a table and an escape sequence would reach the terminal.
enum DisplayText {
    /// `text` with control characters (and the bidirectional overrides that reorder a line)
    /// written as escapes: `a\nb`, `\u{1B}[31m`.
    static func line(_ text: String) -> String {
        escaping(text) { _ in false }
    }

    /// Like `line(_:)`, but keeps line breaks and tabs, for text shown as lines (a config as written).
    static func lines(_ text: String) -> String {
        escaping(text) { $0 == "\n" || $0 == "\t" }
    }

    private static func escaping(_ text: String, keeping kept: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && !kept($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar), !kept(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true                   // C0 and C1 controls, DEL
        case 0x202A...0x202E, 0x2066...0x2069: true           // bidirectional embeddings and isolates
        default: false
        }
    }
}
