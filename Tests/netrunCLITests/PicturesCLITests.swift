import Foundation
import XCTest

/// `netrun weights` and `netrun plot` write pictures of recorded runs.
final class PicturesCLITests: XCTestCase {
    private var directory: URL!
    private var database: String { directory.appendingPathComponent("runs/test.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("netrun-cli-pictures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func train(_ arguments: [String]) throws {
        let result = try CLIRunner.run(arguments + ["--db", database, "--quiet"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Width and height from a PNG's IHDR, after checking the signature and chunk type.
    private func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10])
        XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR")
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    func testWeightsDrawsEachClassOfADigitsClassifier() throws {
        try train(["configs/digits-softmax.yaml"])
        let output = directory.appendingPathComponent("pictures/weights.png").path
        let result = try CLIRunner.run(["weights", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "wrote \(output): 10 classes of 8×8, 220×130 pixels\n")
        let size = try pngSize(output)
        XCTAssertEqual(size.width, 220)
        XCTAssertEqual(size.height, 130)
    }

    func testWeightsOfANonImageRunSaysWhatItCanDraw() throws {
        try train(["configs/xor-softmax.yaml"])
        let output = directory.appendingPathComponent("x.png").path
        let result = try CLIRunner.run(["weights", "1", "-o", output, "--db", database])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "netrun: run 1's inputs are 2 values, not an image; netrun weights draws 8×8 digits "
                       + "(64), 28×28 MNIST (784) and 32×32×3 CIFAR-10 (3072) inputs\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }
}
