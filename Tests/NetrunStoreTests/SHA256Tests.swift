@testable import NetrunStore
import XCTest

final class SHA256Tests: XCTestCase {
    // FIPS 180-4 examples (csrc.nist.gov SHA256.pdf, SHA2_Additional.pdf).
    func testMatchesFIPSVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testHashesAMillionAs() {
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPaddingBoundaryLengths() {
        // 55 and 56 bytes straddle the one-block/two-block padding boundary.
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 55)),
                       "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 56)),
                       "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }
}

extension SHA256Tests {
    func testHashingInPiecesEqualsHashingWhole() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(SHA256.digest(message))
        for piece in [1, 3, 55, 63, 64, 65, 128, 999] {
            var hasher = SHA256.Hasher()
            for start in stride(from: 0, to: message.count, by: piece) {
                message[start..<min(start + piece, message.count)].withUnsafeBytes { hasher.update($0) }
            }
            XCTAssertEqual(hasher.finishHex(), whole, "pieces of \(piece) bytes")
        }
    }
}
