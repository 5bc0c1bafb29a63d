import Foundation
import NetrunData
import XCTest

/// A temporary folder that lives for one test: the readers only take paths, so tests write real files.
struct TestFolder {
    let url: URL

    /// The path of `name` in the folder (the file need not exist).
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `bytes` compressed by the system's gzip, so the reader is checked against a real producer.
    func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
        let plain = try write("gzip-input-\(UUID().uuidString)", bytes: bytes)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-n", "-f", plain]  // -n: no name or time in the header, so output is reproducible
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0, "gzip failed")
        let path = plain + ".gz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

extension XCTestCase {
    /// A fresh temporary folder, removed when the test ends.
    func makeFolder() throws -> TestFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return TestFolder(url: url)
    }

    /// The `DataError` `body` throws; a failure when it throws nothing or something else.
    func dataError<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        do {
            _ = try body()
            XCTFail("expected a DataError, got a result", file: file, line: line)
        } catch let error as DataError {
            return error
        } catch {
            XCTFail("expected a DataError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Checks that `body` throws a `DataError` described exactly as `description`.
    func assertDataError<T>(_ body: @autoclosure () throws -> T, _ description: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        guard let error = dataError(try body(), file: file, line: line) else { return }
        XCTAssertEqual(error.description, description, file: file, line: line)
    }
}
