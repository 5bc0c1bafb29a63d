import Foundation
import XCTest

/// The README's shell examples name commands and files that exist. Running them all takes a
/// release build and minutes (`scripts/readme-examples.py` does, in a fresh clone); this checks,
/// in milliseconds, what most often goes stale: a renamed command, option or config.
final class ReadmeExamplesTests: XCTestCase {
    private static let readme: String = {
        (try? String(contentsOf: CLIRunner.repository.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// Each line of a ```sh block that runs netrun, without its trailing comment.
    private static var netrunLines: [String] {
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        return blocks.flatMap { $0.split(separator: "\n").map(String.init) }
            .map { $0.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("swift run -c release netrun ") ? String($0.dropFirst("swift run -c release ".count)) : $0 }
            .filter { $0.hasPrefix("netrun ") }
    }

    func testEveryExampleRunsACommandNetrunHasWithOptionsItTakes() throws {
        XCTAssertGreaterThan(Self.netrunLines.count, 20, "the README's examples were found")
        let commands = ["train", "resume", "sweep", "runs", "show", "plot", "weights", "eval", "predict", "report", "export",
                        "gradcheck", "merge", "compare", "sweeps", "tag"]
        var helps: [String: String] = [:]
        for line in Self.netrunLines {
            let words = line.split(separator: " ").map(String.init)
            let first = words[1]
            // `netrun --generate-completion-script bash`: the argument parser's own options.
            if first.hasPrefix("--") { continue }
            let command = commands.contains(first) ? first : "train"
            if command == "train", !first.hasPrefix("-") {
                XCTAssertTrue(FileManager.default.fileExists(atPath: CLIRunner.repository.appendingPathComponent(first).path),
                              "`\(line)`: \(first) is neither a command nor a file in the repository")
            }
            if helps[command] == nil {
                let help = try CLIRunner.run([command, "--help"])
                XCTAssertEqual(help.status, 0, help.stderr)
                helps[command] = help.stdout
            }
            for option in words.dropFirst() where option.hasPrefix("--") {
                let name = option.split(separator: "=")[0]
                XCTAssertTrue(helps[command]!.contains(name + " ") || helps[command]!.contains(name + "\n")
                              || helps[command]!.contains(name + ","),
                              "`\(line)`: netrun \(command) has no option \(name)")
            }
        }
    }

    func testEveryConfigTheReadmeNamesExists() {
        let pattern = try! NSRegularExpression(pattern: "(?:bench/)?configs/[A-Za-z0-9_.-]+\\.yaml")
        let text = Self.readme
        let named = Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
            .map { String(text[Range($0.range, in: text)!]) })
        XCTAssertGreaterThan(named.count, 5)
        for path in named.sorted() {
            XCTAssertTrue(FileManager.default.fileExists(atPath: CLIRunner.repository.appendingPathComponent(path).path),
                          "README names \(path), which does not exist")
        }
    }
}
