import Foundation
import NetrunCore

/// The single line a run shows on a terminal, rewritten in place: epoch or iteration, the last
/// logged loss and accuracy, steps per second and the time left. Redrawn at most ten times a
/// second, so it costs nothing measurable however fast the steps are.
final class ProgressLine {
    private let output: RunOutput
    private let stepsPerEpoch: Int
    private let countsIterations: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var firstStep: Int?
    private var measured = ""
    private(set) var isShowing = false

    init(output: RunOutput, stepsPerEpoch: Int, countsIterations: Bool) {
        self.output = output
        self.stepsPerEpoch = max(stepsPerEpoch, 1)
        self.countsIterations = countsIterations
        start = clock.now
        lastDraw = start
    }

    /// Whether standard output is a terminal (the line needs one to be rewritten).
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width in columns, asked at every redraw so the line follows a resize; nil
    /// when the terminal does not say.
    static var terminalWidth: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    func stepped(_ step: Int, of total: Int) {
        if firstStep == nil { firstStep = step - 1 }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) || step == total else { return }
        lastDraw = now
        draw(step: step, total: total, now: now)
    }

    func logged(_ text: String) { measured = text }

    /// Clears the line, so what is printed next starts at column 0.
    func clear() {
        guard isShowing else { return }
        output.write("\r\u{1B}[K")
        isShowing = false
    }

    private func draw(step: Int, total: Int, now: ContinuousClock.Instant) {
        let elapsed = (now - start) / .seconds(1)
        let done = step - (firstStep ?? 0)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - step) / rate : 0
        let position = countsIterations
            ? "iteration \(step)/\(total)"
            : "epoch \((step - 1) / stepsPerEpoch + 1)/\((total + stepsPerEpoch - 1) / stepsPerEpoch)  step \(step)/\(total)"
        let text = [position, measured, String(format: "%.0f steps/s", rate), "ETA \(Self.clockText(left))"]
            .filter { !$0.isEmpty }.joined(separator: "  ")
        output.write("\r\u{1B}[K\(Self.fitted(text, width: Self.terminalWidth))")
        isShowing = true
    }

    /// `text` cut to one column less than `width`, so the line never wraps (a wrapped line could
    /// not be rewritten in place); the parts are ordered most useful first.
    static func fitted(_ text: String, width: Int?) -> String {
        guard let width, text.count >= width else { return text }
        return String(text.prefix(max(width - 1, 0)))
    }

    /// `0:07`, `12:03`, `1:02:03`
    static func clockText(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole % 3600 / 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
