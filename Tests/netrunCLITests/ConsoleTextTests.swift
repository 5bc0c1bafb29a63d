@testable import netrun
import XCTest

/// Text fitted to a terminal: the 80-column summary of a run and the status line cut to the width.
final class ConsoleTextTests: XCTestCase {
    func testWrappedLinesFitTheWidthAndBreakOnlyBetweenParts() {
        let parts = ["finished: ", "train loss 0.123456, train accuracy 97.74%, ", "val loss 0.133975, val accuracy 96.00%, ",
                     "test loss 0.133972, test accuracy 97.00% ", "(run 1, 1140 steps, 1.57 s)"]
        XCTAssertEqual(TerminalColumns.wrap(parts), [
            "finished: train loss 0.123456, train accuracy 97.74%,",
            "  val loss 0.133975, val accuracy 96.00%,",
            "  test loss 0.133972, test accuracy 97.00% (run 1, 1140 steps, 1.57 s)",
        ])
        XCTAssertEqual(TerminalColumns.wrap(["short, ", "line"]), ["short, line"])
        // A part longer than a line is cut, not wrapped.
        let long = TerminalColumns.wrap(["name: ", String(repeating: "名", count: 50)], width: 20)
        XCTAssertEqual(long, ["name:", "  名名名名名名名名…"])
        XCTAssertEqual(TerminalColumns.columns(long[1]), 19)
    }

    func testColumnsCountWideCharactersTwiceAndMarksNotAtAll() {
        XCTAssertEqual(TerminalColumns.columns("abc"), 3)
        XCTAssertEqual(TerminalColumns.columns("実験"), 4)
        XCTAssertEqual(TerminalColumns.columns("e\u{301}"), 1)
        XCTAssertEqual(TerminalColumns.columns("→ …"), 3)
        XCTAssertEqual(TerminalColumns.cut("実験です", to: 5), "実験…")
    }

    func testAShortenedPathKeepsItsRootAndItsFileName() {
        let path = "/tmp/netrun-0123456789/a-folder-with-a-long-name/another-long-folder/runs/test.sqlite"
        let short = TerminalColumns.cutMiddle(path, to: 40)
        XCTAssertEqual(short.count, 40)
        XCTAssertTrue(short.hasPrefix("/tmp/netrun-"), short)
        XCTAssertTrue(short.hasSuffix("/runs/test.sqlite"), short)
        XCTAssertEqual(TerminalColumns.cutMiddle("runs/netrun.sqlite", to: 40), "runs/netrun.sqlite")
    }

    func testTheStatusLineIsCutToOneColumnLessThanTheTerminal() {
        XCTAssertEqual(StatusLine.fitted("trials: 1 done, 2 running", width: 10), "trials: 1")
        XCTAssertEqual(StatusLine.fitted("trials", width: 10), "trials")
        XCTAssertEqual(StatusLine.fitted("実験実験実験", width: 6), "実験")
        XCTAssertEqual(StatusLine.fitted("trials", width: nil), "trials")
    }
}
