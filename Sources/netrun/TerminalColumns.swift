/// Fitting text to a terminal's columns: how many columns a string takes, cutting it to a width,
/// and wrapping a line's parts onto lines no wider than 80 columns (the closing summary of a run).
enum TerminalColumns {
    /// The width every summary line fits, whatever the terminal: the classic 80 columns.
    static let summary = 80

    /// The columns `text` takes on a terminal: East Asian wide characters and emoji take two,
    /// combining marks and format characters none, everything else one (as wcwidth(3) counts,
    /// without depending on the locale).
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    static func columns(_ scalar: Unicode.Scalar) -> Int {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` if it fits `width` columns, else its start and `…` in exactly as many or fewer.
    static func cut(_ text: String, to width: Int) -> String {
        guard columns(text) > width else { return text }
        return prefix(text, columns: width - 1) + (width > 0 ? "…" : "")
    }

    /// `text` if it fits `width` columns, else its start, `…` and its end (most of it), so a
    /// shortened path keeps its root and its file name: `/tmp/netrun-…/runs/test.sqlite`.
    static func cutMiddle(_ text: String, to width: Int) -> String {
        guard columns(text) > width else { return text }
        guard width > 1 else { return cut(text, to: width) }
        let head = prefix(text, columns: (width - 1) / 3)
        return head + "…" + suffix(text, columns: width - 1 - columns(head))
    }

    /// The longest start of `text` that takes at most `columns` columns.
    static func prefix(_ text: String, columns limit: Int) -> String {
        var result = "", used = 0
        for character in text {
            let width = columns(String(character))
            guard used + width <= limit else { break }
            result.append(character)
            used += width
        }
        return result
    }

    /// The longest end of `text` that takes at most `columns` columns.
    static func suffix(_ text: String, columns limit: Int) -> String {
        String(prefix(String(text.reversed()), columns: limit).reversed())
    }

    /// Lines of at most `width` columns made of `parts`, in order: each part goes on the current
    /// line if it fits, else starts the next one after `indent`; a part too long for a line of
    /// its own is cut. A part carries its own separator (`"train loss 0.1, "`), so lines break
    /// only where the caller allows, and the spaces a line ends with are dropped.
    static func wrap(_ parts: [String], width: Int = summary, indent: String = "  ") -> [String] {
        var lines: [String] = []
        var line = ""
        for part in parts where !part.isEmpty {
            if line.isEmpty || columns(trailingSpacesDropped(line + part)) <= width {
                line += part
            } else {
                lines.append(line)
                line = indent + part
            }
            if columns(trailingSpacesDropped(line)) > width {
                // Only a single part can overflow a line; cut it rather than let it wrap.
                line = cut(trailingSpacesDropped(line), to: width) + " "
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map(trailingSpacesDropped)
    }

    /// `text` split after each of `separators` (kept with the part before), for `wrap`:
    /// `"a, b → c"` after `", "` and `" → "` is `["a, ", "b → ", "c"]`.
    static func parts(_ text: String, after separators: [String]) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while let cut = separators.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            parts.append(String(rest[..<cut.upperBound]))
            rest = rest[cut.upperBound...]
        }
        if !rest.isEmpty { parts.append(String(rest)) }
        return parts
    }

    private static func trailingSpacesDropped(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
