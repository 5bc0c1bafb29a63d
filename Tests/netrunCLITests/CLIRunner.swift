import Foundation
import XCTest

/// Runs the built `netrun` binary, as a user would.
struct CLIRunner {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The test bundle is built beside the products, so `netrun` sits in the same folder.
    static let binary: URL = {
        #if os(macOS)
        // There the tests run inside Xcode's xctest tool; the products sit beside the bundle.
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("netrun")
        }
        #endif
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("netrun")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `environment` is added to this process's, e.g. `["NETRUN_TEST_STOP_AT_STEP": "40:TERM"]`.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try start(arguments, environment: environment).finish()
    }

    /// A netrun process left running, for tests that signal or kill it.
    final class Running: @unchecked Sendable {  // the pipe readers write their buffer once, before `readers` is left
        let process = Process()
        private let out = Pipe(), err = Pipe()
        private var stdout = Data(), stderr = Data()
        private let readers = DispatchGroup()

        fileprivate init(_ arguments: [String], environment: [String: String]) throws {
            process.executableURL = CLIRunner.binary
            process.arguments = arguments
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            process.currentDirectoryURL = CLIRunner.repository
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Drain both pipes as the process writes, so a full pipe never blocks it.
            for (pipe, isOut) in [(out, true), (err, false)] {
                readers.enter()
                DispatchQueue.global().async { [self] in
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    if isOut { stdout = data } else { stderr = data }
                    readers.leave()
                }
            }
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        func finish() -> Result {
            process.waitUntilExit()
            readers.wait()
            return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr, as: UTF8.self))
        }
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        try Running(arguments, environment: environment)
    }
}
