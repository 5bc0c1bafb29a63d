import Foundation

/// The last line of a terminal, rewritten in place under lines that stay: a run's progress under
/// its table, a sweep's trial counts under its finished trials. A line printed through it erases
/// the status first and draws it again after, so printed lines are never cut or mixed with it,
/// and `clear()` at the end leaves only them.
///
/// Not thread-safe: its owner serialises the calls (a sweep's workers do, under a lock).
final class StatusLine {
    private let write: (String) -> Void
    private var text: String?

    init(write: @escaping (String) -> Void) {
        self.write = write
    }

    var isShowing: Bool { text != nil }

    /// Draws `text` in place of the status, cut to the terminal's width (asked at every draw, so
    /// the line follows a resize).
    func show(_ text: String) {
        self.text = text
        write("\r\u{1B}[K" + Self.fitted(text, width: Self.terminalWidth))
    }

    /// Prints `line` above the status, which is drawn again below it: as `next` if given.
    func print(_ line: String, then next: String? = nil) {
        let wasShowing = isShowing
        write((wasShowing ? "\r\u{1B}[K" : "") + line + "\n")
        if let text = next ?? (wasShowing ? text : nil) { show(text) }
    }

    /// Erases the status, so what is printed next starts at column 0 of an empty line.
    func clear() {
        guard isShowing else { return }
        write("\r\u{1B}[K")
        text = nil
    }

    /// Whether standard output is a terminal (a status line needs one to be rewritten).
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width in columns; nil when the terminal does not say.
    static var terminalWidth: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `text` cut to one column less than `width`, so the line never wraps (a wrapped line could
    /// not be rewritten in place); callers order its parts most useful first.
    static func fitted(_ text: String, width: Int?) -> String {
        guard let width, TerminalColumns.columns(text) >= width else { return text }
        return TerminalColumns.prefix(text, columns: max(width - 1, 0))
    }
}
