import NetrunData
import XCTest

final class IDXReaderTests: XCTestCase {
    /// An unsigned-byte IDX file: magic, big-endian sizes, data.
    func idx(_ shape: [UInt32], _ data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
        let sizes = shape.flatMap { size in (0..<4).reversed().map { UInt8(truncatingIfNeeded: size >> (8 * $0)) } }
        return [0, 0, type, UInt8(shape.count)] + sizes + data
    }

    let pixels: [UInt8] = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]

    func testReadsImagesAndLabels() throws {
        let folder = try makeFolder()
        let images = try folder.write("images-idx3-ubyte", bytes: idx([2, 2, 3], pixels))
        let labels = try folder.write("labels-idx1-ubyte", bytes: idx([2], [7, 3]))
        let samples = try IDXReader.read(images: images, labels: labels)
        XCTAssertEqual(samples.rows, 2)
        XCTAssertEqual(samples.width, 6)
        XCTAssertEqual(samples.features, pixels.map { Float($0) })
        XCTAssertEqual(samples.labels, [7, 3])
        XCTAssertNil(samples.classNames)
    }

    func testReadsGzippedImagesAndLabels() throws {
        let folder = try makeFolder()
        let images = try folder.write("images-idx3-ubyte.gz", bytes: try folder.gzipped(idx([2, 2, 3], pixels)))
        let labels = try folder.write("labels-idx1-ubyte.gz", bytes: try folder.gzipped(idx([2], [7, 3])))
        let samples = try IDXReader.read(images: images, labels: labels)
        XCTAssertEqual(samples.features, pixels.map { Float($0) })
        XCTAssertEqual(samples.labels, [7, 3])
    }

    /// Files larger than one read (1 MiB) stream in chunks, plain and gzipped: every pixel lands in
    /// its place across the chunks' seams, and nothing is held as bytes beside the Floats.
    func testImagesLargerThanOneReadStreamIntoPlace() throws {
        let folder = try makeFolder()
        let count = 1500, size = 28 * 28
        let data = (0..<(count * size)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
        let labelBytes = (0..<count).map { UInt8($0 % 10) }
        for gzip in [false, true] {
            let raw = idx([UInt32(count), 28, 28], data)
            let images = try folder.write("big\(gzip)", bytes: gzip ? try folder.gzipped(raw) : raw)
            let labels = try folder.write("big-labels\(gzip)", bytes: idx([UInt32(count)], labelBytes))
            let samples = try IDXReader.read(images: images, labels: labels)
            XCTAssertEqual(samples.features, data.map { Float($0) }, "gzip: \(gzip)")
            XCTAssertEqual(samples.labels, labelBytes.map { Int($0) })
        }
    }

    func testWrongMagicNumberIsAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], pixels, type: 0x0D))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: images, labels: labels),
                        "\(images): not an unsigned-byte IDX file: magic number 0x00000d03, expected 0x00000803")
    }

    func testSwappedImagesAndLabelsAreAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], pixels))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: labels, labels: images),
                        "\(labels): IDX data of 1 dimension, expected 3 for images (count, rows, columns); "
                        + "are the images and labels files swapped?")
    }

    func testTruncatedImageDataIsAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], Array(pixels.dropLast(2))))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: images, labels: labels),
                        "\(images): truncated: expected 28 bytes (a 16-byte header and 2×2×3 = 12 bytes of data), the file has 26")
    }

    func testBytesBeyondTheHeaderSizesAreAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], pixels))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3, 1]))
        assertDataError(try IDXReader.read(images: images, labels: labels),
                        "\(labels): too long: expected 10 bytes (an 8-byte header and 2 bytes of data), the file has 11")
    }

    func testTruncatedHeaderIsAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: Array(idx([2, 2, 3], []).prefix(9)))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: images, labels: labels),
                        "\(images): truncated IDX header: 9 bytes, expected 16")
    }

    func testHugeHeaderSizesAreAnErrorNotAnOverflow() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([.max, .max, .max], pixels))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: images, labels: labels),
                        "\(images): truncated: expected more than 9223372036854775807 bytes "
                        + "(a 16-byte header and 4294967295×4294967295×4294967295 bytes of data), the file has 28")
    }

    func testImageAndLabelCountMismatchNamesBothFiles() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], pixels))
        let labels = try folder.write("labels", bytes: idx([3], [7, 3, 1]))
        assertDataError(try IDXReader.read(images: images, labels: labels), "\(labels): 3 labels for 2 images in \(images)")
    }

    func testZeroImagesIsAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([0, 28, 28], []))
        let labels = try folder.write("labels", bytes: idx([0], []))
        assertDataError(try IDXReader.read(images: images, labels: labels), "\(images): the header says 0 images")
    }

    func testMissingIDXFileIsAnError() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([2, 2, 3], pixels))
        let labels = folder.path("absent")
        assertDataError(try IDXReader.read(images: images, labels: labels), "\(labels): no such file")
    }

    func testEmptyAndTinyIDXFilesAreErrors() throws {
        let folder = try makeFolder()
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        let empty = try folder.write("empty", bytes: [])
        assertDataError(try IDXReader.read(images: empty, labels: labels), "\(empty): the file is empty")
        let tiny = try folder.write("tiny", bytes: [0, 0, 8])
        assertDataError(try IDXReader.read(images: tiny, labels: labels), "\(tiny): not an IDX file: only 3 bytes")
    }

    /// A budget small enough for tests to cross, with a fixed description.
    let budget = MemoryBudget(bytes: ByteCount(1 << 20), origin: "a test's")

    func testGzipBombStopsInflatingAtTheSizeTheHeaderPromises() throws {
        let folder = try makeFolder()
        // 64 MiB of zeros behind a header promising 12 bytes: gzip makes it about 64 KiB.
        let bomb = try folder.gzipped(idx([2, 2, 3], pixels + [UInt8](repeating: 0, count: 64 << 20)))
        XCTAssertLessThan(bomb.count, 1 << 20)
        let images = try folder.write("images.gz", bytes: bomb)
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        // "inflates to more": it stopped one byte past the promise, so it cannot say how much more.
        assertDataError(try IDXReader.read(images: images, labels: labels, budget: budget),
                        "\(images): too long: expected 28 bytes (a 16-byte header and 2×2×3 = 12 bytes of data), "
                        + "the file inflates to more")
    }

    func testGzippedHeaderPromisingMoreThanTheBudgetIsRefusedBeforeInflating() throws {
        let folder = try makeFolder()
        let images = try folder.write("images.gz", bytes: try folder.gzipped(idx([1 << 31, 28, 28], pixels)))
        let labels = try folder.write("labels", bytes: idx([2], [7, 3]))
        assertDataError(try IDXReader.read(images: images, labels: labels, budget: budget),
                        "\(images): the header promises 2147483648×28×28 = 1683627180032 bytes of data, which needs "
                        + "6.1 TiB in memory, more than the memory budget of 1.0 MiB (a test's; set NETRUN_MEMORY_LIMIT to change it)")
    }

    func testPlainFileWithinItsHeaderButOverTheBudgetIsRefused() throws {
        let folder = try makeFolder()
        let images = try folder.write("images", bytes: idx([512, 32, 32], [UInt8](repeating: 1, count: 512 << 10)))
        let labels = try folder.write("labels", bytes: idx([512], [UInt8](repeating: 1, count: 512)))
        assertDataError(try IDXReader.read(images: images, labels: labels, budget: budget),
                        "\(images): the header promises 512×32×32 = 524288 bytes of data, which needs 2.0 MiB in memory, "
                        + "more than the memory budget of 1.0 MiB (a test's; set NETRUN_MEMORY_LIMIT to change it)")
    }

    func testDeclaredShapeReadsOnlyTheHeader() throws {
        let folder = try makeFolder()
        let plain = try folder.write("images", bytes: idx([2, 2, 3], pixels))
        let gzipped = try folder.write("images.gz", bytes: try folder.gzipped(idx([60000, 28, 28], [1, 2])))
        XCTAssertEqual(IDXReader.declaredShape(plain, dimensions: 3), [2, 2, 3])
        XCTAssertEqual(IDXReader.declaredShape(gzipped, dimensions: 3), [60000, 28, 28], "the data need not match to know the header")
        XCTAssertNil(IDXReader.declaredShape(plain, dimensions: 1))
        XCTAssertNil(IDXReader.declaredShape(folder.path("absent"), dimensions: 3))
    }
}
