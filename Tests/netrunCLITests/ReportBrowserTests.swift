import Foundation
import XCTest

/// `netrun report` writes one self-contained HTML page, checked in a real headless browser
/// (Debian's chromium): it loads with no console errors, holds the charts and tables, and renders.
final class ReportBrowserTests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// XOR on four synthetic points; the comment would run script if the config were not escaped.
    private static let config = """
        # <img src=x onerror="throw new Error('config not escaped')"> & friends
        name: report-xor
        seed: 1
        data:
          inputs:  [[0, 0], [0, 1], [1, 0], [1, 1]]
          targets: [[1, 0], [0, 1], [0, 1], [1, 0]]
        model:
          inputs: 2
          layers:
            - dense: {units: 4, activation: tanh}
            - dense: {units: 2}
        loss: softmax_cross_entropy
        training:
          optimizer: sgd
          learning_rate: 0.5
          epochs: 2
          log_every: 1

        """

    private func write(_ text: String, _ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func netrun(_ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments + ["--db", database])
    }

    func testRunAndSweepReportsLoadInAHeadlessBrowserWithChartsAndTables() throws {
        let browser = try Self.chromium(profileIn: directory)
        let config = try write(Self.config, "xor.yaml")
        XCTAssertEqual(try netrun(["train", config, "--quiet"]).status, 0)
        let sweepConfig = try write(Self.config + """
            sweep:
              grid:
                training.learning_rate: [0.1, 1]
                training.reg: [0.001, 0.01]
              metric: train_loss

            """, "sweep.yaml")
        let sweep = try netrun(["sweep", sweepConfig, "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)

        let runPage = directory.appendingPathComponent("run.html").path
        let run = try netrun(["report", "1", "-o", runPage])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "wrote \(runPage)\n")
        let sweepPage = directory.appendingPathComponent("sweep report.html").path
        let swept = try netrun(["report", "--sweep", "1", "-o", sweepPage])
        XCTAssertEqual(swept.status, 0, swept.stderr)

        let html = try String(contentsOfFile: runPage, encoding: .utf8)
        XCTAssertTrue(html.contains("# &lt;img src=x onerror=&quot;throw new Error(&#39;config not escaped&#39;)&quot;&gt; &amp; friends"))
        for page in [html, try String(contentsOfFile: sweepPage, encoding: .utf8)] {
            let addresses = page.replacingOccurrences(of: "http://www.w3.org/", with: "")
            XCTAssertFalse(addresses.contains("http:") || addresses.contains("https:"), "no network: only SVG's namespace is a URL")
        }

        let runView = try browser.load(runPage, screenshot: directory.appendingPathComponent("run.png").path)
        runView.assertClean()
        XCTAssertTrue(runView.dom.contains("<svg"), "the run's curves")
        XCTAssertTrue(runView.dom.contains("run 1 report-xor: loss"))
        XCTAssertTrue(runView.dom.contains("<th>accuracy</th>"), "the final metrics table")
        XCTAssertTrue(runView.dom.contains("confusion on train (4 samples"), "xor has only a train part")
        try runView.assertScreenshotIsDrawn()

        let sweepView = try browser.load(sweepPage, screenshot: directory.appendingPathComponent("sweep.png").path)
        sweepView.assertClean()
        XCTAssertTrue(sweepView.dom.contains("class=\"cell\""), "the sweep's heatmap")
        XCTAssertTrue(sweepView.dom.contains("<table id=\"trials\" class=\"sortable\" data-sortable=\"ready\">"),
                      "the trial table, made sortable by the page's script")
        XCTAssertTrue(sweepView.dom.contains("<th aria-sort=\"none\">train_loss</th>"))
        XCTAssertGreaterThanOrEqual(sweepView.dom.components(separatedBy: "<tr>").count - 1, 5, "a header and four trials")
        try sweepView.assertScreenshotIsDrawn()
    }

    func testUnknownRunOrSweepIsBadInputAndWritesNothing() throws {
        XCTAssertEqual(try netrun(["train", try write(Self.config, "xor.yaml"), "--quiet"]).status, 0)
        let page = directory.appendingPathComponent("r.html").path
        let run = try netrun(["report", "7", "-o", page])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "netrun: no run 7 in \(database); netrun runs lists them\n")
        let sweep = try netrun(["report", "--sweep", "3", "-o", page])
        XCTAssertEqual(sweep.status, 2)
        XCTAssertTrue(sweep.stderr.hasPrefix("netrun: no sweep 3 in \(database)"), sweep.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: page))
        XCTAssertEqual(try netrun(["report", "1", "-o", directory.appendingPathComponent("r.svg").path]).status, 64)
        XCTAssertEqual(try netrun(["report", "-o", page]).status, 64)
    }

    // MARK: - The browser

    struct Chromium {
        let path: String
        let profile: URL

        struct View {
            let dom: String
            let console: [String]
            let screenshot: String

            func assertClean(file: StaticString = #filePath, line: UInt = #line) {
                XCTAssertEqual(console, [], "console messages (errors) while loading", file: file, line: line)
                XCTAssertFalse(dom.contains("<p>page error:"), "the page's window.onerror caught an error", file: file, line: line)
                XCTAssertTrue(dom.contains("<div id=\"page-errors\"></div>"), file: file, line: line)
            }

            /// 1200×900 pixels, and far larger than a blank page's PNG (about 4 kB): drawn content.
            func assertScreenshotIsDrawn(file: StaticString = #filePath, line: UInt = #line) throws {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: screenshot)))
                XCTAssertEqual(Array(bytes.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10], file: file, line: line)
                XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR", file: file, line: line)
                func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
                XCTAssertEqual(word(16), 1200, file: file, line: line)
                XCTAssertEqual(word(20), 900, file: file, line: line)
                XCTAssertGreaterThan(bytes.count, 20_000, "a blank page's screenshot is about 4 kB", file: file, line: line)
            }
        }

        /// Loads `page`, returning the DOM after scripts ran, the console's messages and a screenshot.
        func load(_ page: String, screenshot: String) throws -> View {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                                 "--user-data-dir=\(profile.path)", "--screenshot=\(screenshot)", "--dump-dom",
                                 "--window-size=1200,900", URL(fileURLWithPath: page).absoluteString]
            let out = profile.deletingLastPathComponent().appendingPathComponent("chromium.out")
            let err = profile.deletingLastPathComponent().appendingPathComponent("chromium.err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.currentDirectoryURL = profile.deletingLastPathComponent()
            try process.run()
            process.waitUntilExit()
            let log = try String(contentsOf: err, encoding: .utf8)
            XCTAssertEqual(process.terminationStatus, 0, log)
            return View(dom: try String(contentsOf: out, encoding: .utf8),
                        console: log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
                            .map(String.init),
                        screenshot: screenshot)
        }
    }

    /// Debian's chromium on PATH, or a visible skip saying why not.
    private static func chromium(profileIn folder: URL) throws -> Chromium {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        let names = ["chromium", "chromium-browser"]
        guard let path = paths.flatMap({ folder in names.map { "\(folder)/\($0)" } })
            .first(where: FileManager.default.isExecutableFile(atPath:)) else {
            let reason = "no chromium on PATH (apt-get install chromium; .ci/run installs it)"
            print("skipped: HTML report browser test because \(reason)")
            throw XCTSkip("HTML report browser test: \(reason)")
        }
        let profile = folder.appendingPathComponent("chromium/profile")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        return Chromium(path: path, profile: profile)
    }
}
