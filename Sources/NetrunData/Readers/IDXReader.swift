import Foundation
import NetrunCore

/// Reads MNIST's IDX files (`idx3` images, `idx1` labels), plain or gzip-compressed.
///
/// Format: 2 zero bytes, a type byte (0x08 = unsigned byte), a dimension count, then each
/// dimension as a big-endian UInt32, then the data.
public enum IDXReader {
    /// Images (N, rows·cols) as raw pixel values 0…255, with the labels of `labelsPath` as written.
    /// Sizes the headers promise are checked against the files and the memory budget before the
    /// data is read (or inflated), so a corrupt header or a gzip bomb costs nothing.
    public static func read(images imagesPath: String, labels labelsPath: String,
                            budget: MemoryBudget = .current) throws -> LabeledSamples {
        // Each pixel is held as a byte and then as a Float; each label as a byte and then as an Int.
        let images = try Tensor(imagesPath, dimensions: 3, heldAs: 1 + 4, budget: budget)
        let labels = try Tensor(labelsPath, dimensions: 1, heldAs: 1 + 8, budget: budget)
        let count = images.shape[0]
        guard labels.shape[0] == count else {
            throw DataError("\(labels.shape[0]) labels for \(count) images in \(imagesPath)", file: labelsPath)
        }
        guard count > 0 else { throw DataError("the header says 0 images", file: imagesPath) }
        let width = images.shape[1] * images.shape[2]
        guard width > 0 else {
            throw DataError("the header says images of \(images.shape[1])×\(images.shape[2]) pixels", file: imagesPath)
        }
        let inputs = Matrix<Float>(rows: count, cols: width)
        images.data.withUnsafeBufferPointer {
            initializeFloats(UnsafeMutableBufferPointer(start: inputs.storage, count: inputs.count), from: $0)
        }
        return LabeledSamples(inputs: inputs, labels: labels.data.map { Int($0) })
    }

    /// The shape the header of an IDX file declares, read from its first bytes (inflating only
    /// those when it is compressed): nil when the file is not a readable unsigned-byte IDX file
    /// of `dimensions` dimensions (reading it reports why).
    public static func declaredShape(_ path: String, dimensions: Int) -> [Int]? {
        let headerSize = 4 + 4 * dimensions
        guard let start = FileHandle(forReadingAtPath: path)?.readData(ofLength: headerSize) else { return nil }
        var head: [UInt8]? = [UInt8](start)
        // A compressed header is inflated from the start of the whole compressed file.
        if let bytes = head, FileBytes.isGzip(bytes) {
            head = (try? FileBytes.stored(path, budget: .current)).flatMap { try? FileBytes.gunzip($0, path: path, atMost: headerSize) }
        }
        guard let head, head.count >= headerSize, head[0] == 0, head[1] == 0, head[2] == 0x08,
              Int(head[3]) == dimensions else { return nil }
        return Tensor.shape(head, dimensions: dimensions)
    }

    /// An unsigned-byte IDX file: its dimensions and its data, checked against each other.
    struct Tensor {
        var shape: [Int]
        var data: ArraySlice<UInt8>

        /// Reads `path`, whose values take `heldAs` bytes each in memory once read.
        init(_ path: String, dimensions: Int, heldAs: Int, budget: MemoryBudget) throws {
            let headerSize = 4 + 4 * dimensions
            let file = try FileBytes.stored(path, budget: budget)
            let compressed = FileBytes.isGzip(file)
            // Only the header is inflated until the sizes it promises have been checked.
            let head = compressed ? try FileBytes.gunzip(file, path: path, atMost: headerSize) : file
            guard !head.isEmpty else { throw DataError("the file is empty", file: path) }
            guard head.count >= 4 else { throw DataError("not an IDX file: only \(head.count) bytes", file: path) }
            let expectedMagic = "0x0000080\(dimensions)"
            guard head[0] == 0, head[1] == 0, head[2] == 0x08 else {
                let magic = head[0..<4].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                throw DataError("not an unsigned-byte IDX file: magic number 0x\(magic), expected \(expectedMagic)",
                                file: path)
            }
            guard Int(head[3]) == dimensions else {
                let what = dimensions == 3 ? "images (count, rows, columns)" : "labels (count)"
                throw DataError("IDX data of \(head[3]) dimension\(head[3] == 1 ? "" : "s"), expected \(dimensions) "
                                + "for \(what); are the images and labels files swapped?", file: path)
            }
            guard head.count >= headerSize else {
                throw DataError("truncated IDX header: \(head.count) bytes, expected \(headerSize)", file: path)
            }
            let shape = Self.shape(head, dimensions: dimensions)
            // Three 32-bit sizes can overflow Int: the product saturates, and no file is that long.
            let dataSize = ByteCount.product(shape)
            let expected = ByteCount(dataSize) + ByteCount(headerSize)
            let sizes = shape.map(String.init).joined(separator: "×")
            let promise = shape.count == 1 ? "\(dataSize) bytes"
                : dataSize == .max ? "\(sizes) bytes" : "\(sizes) = \(dataSize) bytes"
            let expectation = "expected \(Self.text(expected)) (\(headerSize == 8 ? "an" : "a") \(headerSize)-byte header and \(promise) of data)"
            if !compressed, file.count != expected.value {
                throw DataError("\(file.count < expected.value ? "truncated" : "too long"): \(expectation), "
                                + "the file has \(file.count)", file: path)
            }
            let need = ByteCount(dataSize) * heldAs
            guard budget.allows(need) else {
                throw DataError("the header promises \(promise) of data, which needs \(need) in memory, "
                                + "more than the memory budget of \(budget)", file: path)
            }
            let bytes = compressed ? try FileBytes.gunzip(file, path: path, atMost: expected.value) : file
            guard bytes.count == expected.value else {
                throw DataError(bytes.count < expected.value
                                ? "truncated: \(expectation), the file inflates to \(bytes.count)"
                                : "too long: \(expectation), the file inflates to more", file: path)
            }
            self.shape = shape
            data = bytes[headerSize...]
        }

        /// The big-endian UInt32 sizes after the 4-byte magic number.
        static func shape(_ head: [UInt8], dimensions: Int) -> [Int] {
            (0..<dimensions).map { d in (0..<4).reduce(0) { $0 << 8 | Int(head[4 + 4 * d + $1]) } }
        }

        /// `28 bytes`, or `more than 9223372036854775807 bytes` for a saturated size.
        static func text(_ size: ByteCount) -> String {
            size.isSaturated ? "more than \(Int.max) bytes" : "\(size.value) byte\(size.value == 1 ? "" : "s")"
        }
    }
}
