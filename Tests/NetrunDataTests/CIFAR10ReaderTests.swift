import NetrunData
import XCTest

final class CIFAR10ReaderTests: XCTestCase {
    /// One record: the label byte, then 3072 pixel bytes counting up from `first`.
    func record(label: UInt8, first: Int) -> [UInt8] {
        [label] + (0..<3072).map { UInt8(truncatingIfNeeded: first + $0) }
    }

    func testReadsTwoRecordsWithClassNames() throws {
        let path = try makeFolder().write("data_batch_1.bin", bytes: record(label: 3, first: 0) + record(label: 9, first: 7))
        let samples = try CIFAR10Reader.read([path])
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.width, 3072)
        XCTAssertEqual(samples.labels, [3, 9])
        XCTAssertEqual(samples.classNames?[3], "cat")
        XCTAssertEqual(samples.classNames?.count, 10)
        XCTAssertEqual(Array(samples.features[0..<3]), [0, 1, 2])
        XCTAssertEqual(samples.features[3071], 255)  // 3071 mod 256: the last pixel of the first record
        XCTAssertEqual(Array(samples.features[3072..<3075]), [7, 8, 9])
    }

    func testReadsSeveralBatchesInOrder() throws {
        let folder = try makeFolder()
        let first = try folder.write("data_batch_1.bin", bytes: record(label: 1, first: 0))
        let second = try folder.write("data_batch_2.bin", bytes: record(label: 0, first: 100) + record(label: 5, first: 200))
        let samples = try CIFAR10Reader.read([first, second])
        XCTAssertEqual(samples.rows, 3)
        XCTAssertEqual(samples.labels, [1, 0, 5])
        XCTAssertEqual(samples.features[3072], 100)
        XCTAssertEqual(samples.features[2 * 3072], 200)
    }

    /// A batch longer than one read (341 records) streams record by record into place, plain or
    /// gzipped, and both ways give the same samples.
    func testBatchesLongerThanOneReadStreamIntoPlace() throws {
        let folder = try makeFolder()
        let records = (0..<700).flatMap { record(label: UInt8($0 % 10), first: $0 * 5) }
        let plain = try folder.write("data_batch_1.bin", bytes: records)
        let gzipped = try folder.write("data_batch_1.bin.gz", bytes: try folder.gzipped(records))
        let streamed = try CIFAR10Reader.read([plain]), inflated = try CIFAR10Reader.read([gzipped])
        XCTAssertEqual(streamed.rows, 700)
        XCTAssertEqual(streamed.labels, (0..<700).map { $0 % 10 })
        XCTAssertEqual(streamed.features, inflated.features)
        XCTAssertEqual(streamed.labels, inflated.labels)
        XCTAssertEqual(streamed.features[341 * 3072], Float(UInt8(truncatingIfNeeded: 341 * 5)), "the first record of the second read")
    }

    func testWrongSizeIsAnError() throws {
        let path = try makeFolder().write("data_batch_1.bin", bytes: record(label: 1, first: 0) + [1, 2, 3, 4, 5])
        assertDataError(try CIFAR10Reader.read([path]),
                        "\(path): 3078 bytes is not a whole number of 3073-byte CIFAR-10 records: "
                        + "truncated or not a CIFAR-10 binary batch")
    }

    func testLabelOutOfRangeNamesTheRecord() throws {
        let path = try makeFolder().write("data_batch_1.bin", bytes: record(label: 1, first: 0) + record(label: 10, first: 0))
        assertDataError(try CIFAR10Reader.read([path]), "\(path): record 2 of 2 has label 10; CIFAR-10 labels are 0…9")
    }

    func testEmptyOrMissingBatchIsAnError() throws {
        let folder = try makeFolder()
        let empty = try folder.write("empty.bin", bytes: [])
        assertDataError(try CIFAR10Reader.read([empty]), "\(empty): the file is empty")
        let absent = folder.path("absent.bin")
        assertDataError(try CIFAR10Reader.read([absent]), "\(absent): no such file")
    }

    func testNoBatchesIsAnError() {
        assertDataError(try CIFAR10Reader.read([]), "no CIFAR-10 batch files to read")
    }

    func testRecordsBeyondTheMemoryBudgetAreRefusedBeforeReading() throws {
        let folder = try makeFolder()
        let records = record(label: 1, first: 0) + record(label: 2, first: 0)
        let path = try folder.write("data_batch_1.bin", bytes: records)
        let budget = MemoryBudget(bytes: ByteCount(20_000), origin: "a test's")
        // A plain file streams into the Floats, so its records are counted once, as Floats.
        assertDataError(try CIFAR10Reader.read([path], budget: budget),
                        "\(path): 2 CIFAR-10 records need 24.0 KiB in memory (as Floats), "
                        + "more than the memory budget of 19.5 KiB (a test's; set NETRUN_MEMORY_LIMIT to change it)")
        // A compressed one is inflated whole first: bytes and Floats.
        let gzipped = try folder.write("data_batch_1.bin.gz", bytes: try folder.gzipped(records))
        assertDataError(try CIFAR10Reader.read([gzipped], budget: budget),
                        "\(gzipped): 2 CIFAR-10 records need 30.0 KiB in memory (as bytes and as Floats), "
                        + "more than the memory budget of 19.5 KiB (a test's; set NETRUN_MEMORY_LIMIT to change it)")
    }
}
