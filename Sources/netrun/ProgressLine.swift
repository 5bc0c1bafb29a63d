import Foundation
import NetrunCore

/// The line a run shows on a terminal under its table, rewritten in place: epoch or iteration,
/// the last logged loss and accuracy, steps per second and the time left. Redrawn at most ten
/// times a second, so it costs nothing measurable however fast the steps are; erased at the end,
/// as Keras erases its progress bar and leaves the history.
final class ProgressLine {
    private let status: StatusLine
    private let stepsPerEpoch: Int
    private let countsIterations: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var firstStep: Int?
    private var measured = ""
    /// The last step drawn and the run's total, for drawing again after a table row.
    private var drawn: (step: Int, total: Int)?

    init(output: RunOutput, stepsPerEpoch: Int, countsIterations: Bool) {
        status = StatusLine(write: output.write)
        self.stepsPerEpoch = max(stepsPerEpoch, 1)
        self.countsIterations = countsIterations
        start = clock.now
        lastDraw = start
    }

    func stepped(_ step: Int, of total: Int) {
        if firstStep == nil { firstStep = step - 1 }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) || step == total else { return }
        lastDraw = now
        drawn = (step, total)
        status.show(text(step: step, total: total, now: now))
    }

    /// `row` printed above the line, to stay; `text`, the same values in short, shown in the line.
    func logged(row: String, _ text: String) {
        measured = text
        status.print(row, then: drawn.map { self.text(step: $0.step, total: $0.total, now: clock.now) })
    }

    /// Erases the line, so what is printed next starts at column 0 and the table above stays.
    func clear() {
        status.clear()
    }

    private func text(step: Int, total: Int, now: ContinuousClock.Instant) -> String {
        let elapsed = (now - start) / .seconds(1)
        let done = step - (firstStep ?? 0)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - step) / rate : 0
        let position = countsIterations
            ? "iteration \(step)/\(total)"
            : "epoch \((step - 1) / stepsPerEpoch + 1)/\((total + stepsPerEpoch - 1) / stepsPerEpoch)  step \(step)/\(total)"
        return [position, measured, String(format: "%.0f steps/s", rate), "ETA \(Self.clockText(left))"]
            .filter { !$0.isEmpty }.joined(separator: "  ")
    }

    /// `0:07`, `12:03`, `1:02:03`
    static func clockText(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole % 3600 / 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
