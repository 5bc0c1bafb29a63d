import NetrunData
import XCTest

/// gzip handling, seen through the CSV reader (every reader shares it).
final class GzipTests: XCTestCase {
    let csv = Array("x,label\n1,a\n2,b\n".utf8)

    func read(_ path: String) throws -> CSVSamples { try CSVReader.read(path, label: .index(-1), header: nil) }

    func testCorruptChecksumIsAnError() throws {
        let folder = try makeFolder()
        var bytes = try folder.gzipped(csv)
        bytes[bytes.count - 8] ^= 0xFF  // the CRC-32 in the trailer
        let path = try folder.write("data.csv.gz", bytes: bytes)
        assertDataError(try read(path), "\(path): corrupt gzip data (incorrect data check)")
    }

    func testCorruptHeaderIsAnError() throws {
        let folder = try makeFolder()
        var bytes = try folder.gzipped(csv)
        bytes[2] = 7  // compression method: only 8 (deflate) exists
        let path = try folder.write("data.csv.gz", bytes: bytes)
        assertDataError(try read(path), "\(path): corrupt gzip data (unknown compression method)")
    }

    func testTruncatedGzipIsAnError() throws {
        let folder = try makeFolder()
        let bytes = try folder.gzipped(csv)
        for length in [2, 12, bytes.count / 2, bytes.count - 4] {
            let path = try folder.write("cut-\(length).csv.gz", bytes: Array(bytes.prefix(length)))
            assertDataError(try read(path), "\(path): truncated gzip data: the file ends inside the compressed stream")
        }
    }

    func testConcatenatedMembersAreJoined() throws {
        let folder = try makeFolder()
        let bytes = try folder.gzipped(Array("x,label\n1,a\n".utf8)) + (try folder.gzipped(Array("2,b\n".utf8)))
        let samples = try read(try folder.write("data.csv.gz", bytes: bytes))
        XCTAssertEqual(samples.features, [1, 2])
        XCTAssertEqual(samples.labels.texts, ["a", "b"])
    }

    func testBytesAfterTheGzipDataAreAnError() throws {
        let folder = try makeFolder()
        let path = try folder.write("data.csv.gz", bytes: try folder.gzipped(csv) + [1, 2, 3])
        assertDataError(try read(path), "\(path): 3 bytes of something else after the gzip data")
    }

    func testLargeFileInflatesWhole() throws {
        // Several output chunks (the reader inflates 1 MiB at a time).
        let row = Array("0.5,1\n".utf8)
        let rows = 200_000
        let folder = try makeFolder()
        let path = try folder.write("big.csv.gz", bytes: try folder.gzipped(Array(repeating: row, count: rows).flatMap { $0 }))
        let samples = try CSVReader.read(path, label: .index(-1), header: false)
        XCTAssertEqual(samples.rows, rows)
    }

    func testGzipInflatingBeyondTheMemoryBudgetStopsThere() throws {
        let folder = try makeFolder()
        let path = try folder.write("big.csv.gz", bytes: try folder.gzipped(csv + [UInt8](repeating: 0x20, count: 8 << 20)))
        setenv(MemoryBudget.variable, "1M", 1)
        defer { unsetenv(MemoryBudget.variable) }
        assertDataError(try read(path), "\(path): inflates to more than the memory budget of 1.0 MiB (NETRUN_MEMORY_LIMIT=1M)")
    }
}
