import Foundation
import XCTest

/// Runs netrun on a pseudo-terminal (util-linux `script`) and reads what a user would see.
enum PseudoTerminal {
    struct Result {
        var status: Int32
        /// Everything written to the terminal, escape codes and all (newlines arrive as `\r\n`).
        var transcript: String
        /// The screen's lines once it is all written, as `screen(_:)` draws them.
        var screen: [String] { PseudoTerminal.screen(transcript) }
    }

    /// `netrun ARGUMENTS` on a terminal `columns` wide, from the repository's folder.
    static func run(_ arguments: [String], columns: Int = 80) throws -> Result {
        #if !os(Linux)
        throw XCTSkip("BSD script(1) has no -e or -c")
        #endif
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        let quoted = ([CLIRunner.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process(), out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "stty cols \(columns); " + quoted.joined(separator: " "), "/dev/null"]
        process.currentDirectoryURL = CLIRunner.repository
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, transcript: text)
    }

    /// What a terminal shows after `transcript`: a carriage return goes back to column 0, `ESC [K`
    /// erases to the end of the line, a newline moves down, any other character overwrites the
    /// one under the cursor; trailing blank lines are dropped.
    static func screen(_ transcript: String) -> [String] {
        var lines: [[Character]] = [[]]
        var row = 0, column = 0
        var characters = transcript[...]
        while let character = characters.popFirst() {
            switch character {
            case "\r": column = 0
            case "\n", "\r\n":
                row += 1
                if character == "\r\n" { column = 0 }
                if row == lines.count { lines.append([]) }
            case "\u{1B}":
                // A control sequence: ESC [ parameters final-letter; only K (erase to end of line) matters here.
                guard characters.first == "[" else { continue }
                characters.removeFirst()
                while let next = characters.first, !next.isLetter { characters.removeFirst() }
                if characters.popFirst() == "K", column < lines[row].count { lines[row].removeSubrange(column...) }
            default:
                while lines[row].count < column { lines[row].append(" ") }
                if column < lines[row].count { lines[row][column] = character } else { lines[row].append(character) }
                column += 1
            }
        }
        var screen = lines.map { String($0) }
        while screen.last?.isEmpty == true { screen.removeLast() }
        return screen
    }
}
