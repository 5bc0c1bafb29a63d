import Foundation
import NetrunRunner

/// A sweep's trials counted as workers take them and finish them, and the time the rest will take:
/// `trials: 3 done, 2 running, 5 left  ETA 1:23`. Times are seconds since the sweep started,
/// passed in, so the estimate is tested without a clock.
struct SweepProgress {
    /// The trials this invocation runs or finds done (its shard's, with `--shard`).
    let trials: Int
    /// Trials run at once (`--jobs`).
    let jobs: Int
    private(set) var done: Set<Int> = []
    /// Each running trial and when it started.
    private(set) var running: [Int: Double] = [:]
    /// How long each trial that ran here took (not those done earlier).
    private(set) var durations: [Double] = []

    init(trials: Int, jobs: Int) {
        self.trials = trials
        self.jobs = max(jobs, 1)
    }

    var left: Int { max(0, trials - done.count - running.count) }

    mutating func started(_ trial: Int, at time: Double) {
        done.remove(trial)
        running[trial] = time
    }

    /// `seconds` is how long it took here; nil for a trial done earlier or by another process.
    mutating func finished(_ trial: Int, seconds: Double?) {
        running[trial] = nil
        done.insert(trial)
        if let seconds { durations.append(seconds) }
    }

    /// Successive halving promoted these trials: they run again, in the next rung.
    mutating func continuing(_ trials: [Int]) {
        done.subtract(trials)
    }

    /// Seconds until the last trial ends: the mean time of the trials finished here, for each left
    /// and for what each running one has not yet spent of it, shared by the jobs; nil before a
    /// trial has finished here.
    func secondsLeft(at time: Double) -> Double? {
        let remaining = running.count + left
        guard remaining > 0 else { return 0 }
        guard !durations.isEmpty else { return nil }
        let mean = durations.reduce(0, +) / Double(durations.count)
        let work = running.values.reduce(Double(left) * mean) { $0 + max(mean - (time - $1), 0) }
        return work / Double(min(jobs, remaining))
    }

    /// `trials: 3 done, 2 running, 5 left  ETA 1:23`; `ETA --:--` until a trial has finished here.
    func text(at time: Double) -> String {
        "trials: \(done.count) done, \(running.count) running, \(left) left  ETA "
            + (secondsLeft(at: time).map(ProgressLine.clockText) ?? "--:--")
    }
}

/// A sweep's status line on a terminal, under the finished trials' rows: redrawn as trials start
/// and finish, and every second so the estimate counts down. Rows and other lines are printed
/// through it, so they stay intact above it; `close()` erases it before the closing lines.
///
/// The sweep's workers call it from their threads; every call takes `lock`.
final class SweepStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: SweepProgress
    private let line = StatusLine(write: { StandardStream.send($0, to: STDOUT_FILENO) })
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var timer: DispatchSourceTimer?

    init(trials: Int, jobs: Int) {
        progress = SweepProgress(trials: trials, jobs: jobs)
        start = clock.now
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        self.timer = timer
    }

    private var now: Double { (clock.now - start) / .seconds(1) }

    func started(_ trial: Int) {
        lock.withLock {
            progress.started(trial, at: now)
            line.show(progress.text(at: now))
        }
    }

    /// Prints `row` (if any) for a finished trial above the status, which then counts it.
    func finished(_ outcome: TrialOutcome, row: String?) {
        lock.withLock {
            progress.finished(outcome.trial, seconds: outcome.skipped ? nil : outcome.seconds)
            if let row { line.print(row, then: progress.text(at: now)) } else { line.show(progress.text(at: now)) }
        }
    }

    /// Successive halving promoted these trials (`text` says so): they count as left again.
    func continuing(_ trials: [Int], text: String) {
        lock.withLock {
            progress.continuing(trials)
            line.print(text, then: progress.text(at: now))
        }
    }

    /// Erases the status line for good.
    func close() {
        lock.withLock {
            timer?.cancel()
            timer = nil
            line.clear()
        }
    }

    private func redraw() {
        lock.withLock {
            guard timer != nil, line.isShowing else { return }
            line.show(progress.text(at: now))
        }
    }
}
