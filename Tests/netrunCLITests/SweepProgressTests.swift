@testable import netrun
import XCTest

/// The sweep's status line: trials done, running and left, and the time left, from times passed in.
final class SweepProgressTests: XCTestCase {
    func testSweepStatusCountsTrialsDoneRunningAndLeft() {
        var progress = SweepProgress(trials: 10, jobs: 2)
        XCTAssertEqual(progress.text(at: 0), "trials: 0 done, 0 running, 10 left  ETA --:--")
        progress.finished(7, seconds: nil)  // done by an earlier invocation
        progress.started(0, at: 0)
        progress.started(1, at: 0)
        XCTAssertEqual(progress.text(at: 5), "trials: 1 done, 2 running, 7 left  ETA --:--", "no trial timed here yet")
    }

    func testSweepETAIsTheMeanTrialTimeOfWhatIsLeftSharedByTheJobs() {
        var progress = SweepProgress(trials: 10, jobs: 2)
        progress.started(0, at: 0)
        progress.started(1, at: 0)
        progress.finished(0, seconds: 10)
        progress.started(2, at: 10)
        // Mean 10 s: 7 left (70 s), trial 1 past the mean (0 s), trial 2 4 s into it (6 s), on 2 jobs.
        XCTAssertEqual(progress.secondsLeft(at: 14), 38)
        XCTAssertEqual(progress.text(at: 14), "trials: 1 done, 2 running, 7 left  ETA 0:38")
        // A trial done earlier counts as done but not in the mean.
        progress.finished(9, seconds: nil)
        XCTAssertEqual(progress.secondsLeft(at: 14), 33)
    }

    func testSweepETAUsesNoMoreJobsThanTrialsRemain() {
        var progress = SweepProgress(trials: 2, jobs: 8)
        progress.started(0, at: 0)
        progress.finished(0, seconds: 3600)
        progress.started(1, at: 3600)
        XCTAssertEqual(progress.text(at: 3600), "trials: 1 done, 1 running, 0 left  ETA 1:00:00")
        progress.finished(1, seconds: 3600)
        XCTAssertEqual(progress.text(at: 7200), "trials: 2 done, 0 running, 0 left  ETA 0:00")
    }

    func testHalvingPromotionCountsTheContinuingTrialsAsLeftAgain() {
        var progress = SweepProgress(trials: 4, jobs: 1)
        for trial in 0..<4 {
            progress.started(trial, at: Double(trial))
            progress.finished(trial, seconds: 1)
        }
        progress.continuing([1, 3])
        XCTAssertEqual(progress.text(at: 4), "trials: 2 done, 0 running, 2 left  ETA 0:02")
    }
}
