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
        // The headers are read and checked first; then each file is converted as it streams in,
        // so a pixel is held once, as a Float, and a label as an Int.
        let images = try Tensor(imagesPath, dimensions: 3, heldAs: 4, budget: budget)
        let labels = try Tensor(labelsPath, dimensions: 1, heldAs: 8, budget: budget)
        let count = images.shape[0]
        guard labels.shape[0] == count else {
            throw DataError("\(labels.shape[0]) labels for \(count) images in \(imagesPath)", file: labelsPath)
        }
        guard count > 0 else { throw DataError("the header says 0 images", file: imagesPath) }
        let width = images.shape[1] * images.shape[2]
        guard width > 0 else {
            throw DataError("the header says images of \(images.shape[1])×\(images.shape[2]) pixels", file: imagesPath)
        }
        var values = [Int]()
        values.reserveCapacity(count)
        try labels.forEachDataChunk { chunk, _ in values.append(contentsOf: chunk.lazy.map { Int($0) }) }
        let inputs = Matrix<Float>(rows: count, cols: width)
        let target = UnsafeMutableBufferPointer(start: inputs.storage, count: inputs.count)
        // forEachDataChunk hands out at most the count × rows × columns bytes the header promised.
        try images.forEachDataChunk { chunk, offset in
            initializeFloats(UnsafeMutableBufferPointer(rebasing: target[offset..<(offset + chunk.count)]), from: chunk)
        }
        return LabeledSamples(inputs: inputs, labels: values)
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

    /// An unsigned-byte IDX file: its header, checked, and then its data, streamed and checked
    /// against the header.
    struct Tensor {
        var shape: [Int]
        let path: String
        let headerSize: Int
        /// The whole file's size as the header promises it, header included.
        let expected: ByteCount
        /// `expected 47040016 bytes (a 16-byte header and 60000×28×28 = 47040000 bytes of data)`.
        let expectation: String
        /// The stored bytes of a gzip-compressed file (inflated as they stream); nil for a plain file,
        /// which is read in chunks.
        let gzip: [UInt8]?

        /// Reads the header of `path`, whose values take `heldAs` bytes each in memory once read.
        init(_ path: String, dimensions: Int, heldAs: Int, budget: MemoryBudget) throws {
            let headerSize = 4 + 4 * dimensions
            let size = try FileBytes.size(path)
            let start = try FileBytes.prefix(path, count: headerSize)
            let gzip = FileBytes.isGzip(start) ? try FileBytes.stored(path, budget: budget) : nil
            // Only the header is inflated until the sizes it promises have been checked.
            let head = try gzip.map { try FileBytes.gunzip($0, path: path, atMost: headerSize) } ?? start
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
            if gzip == nil, size != expected.value {
                throw DataError("\(size < expected.value ? "truncated" : "too long"): \(expectation), "
                                + "the file has \(size)", file: path)
            }
            let need = ByteCount(dataSize) * heldAs
            guard budget.allows(need) else {
                throw DataError("the header promises \(promise) of data, which needs \(need) in memory, "
                                + "more than the memory budget of \(budget)", file: path)
            }
            (self.shape, self.path, self.headerSize, self.expected, self.expectation, self.gzip)
                = (shape, path, headerSize, expected, expectation, gzip)
        }

        /// Calls `body` with the data after the header, a chunk at a time, with each chunk's offset in
        /// the data; never with more than the header promises. A file whose data is shorter or
        /// longer than promised is an error, once streamed.
        func forEachDataChunk(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
            let dataSize = expected.value - headerSize
            var seen = 0, offset = 0
            func take(_ chunk: UnsafeBufferPointer<UInt8>) throws {
                let start = max(0, headerSize - seen)
                seen += chunk.count
                let usable = max(0, min(chunk.count - start, dataSize - offset))
                guard usable > 0 else { return }
                try body(UnsafeBufferPointer(rebasing: chunk[start..<(start + usable)]), offset)
                offset += usable
            }
            if let gzip {
                try FileBytes.inflate(gzip, path: path, atMost: expected.value, take)
            } else {
                try FileBytes.chunks(path, from: 0, take)
            }
            guard seen == expected.value else {
                let verb = gzip == nil ? "has" : "inflates to"
                throw DataError(seen < expected.value
                                ? "truncated: \(expectation), the file \(verb) \(seen)"
                                : "too long: \(expectation), the file \(verb) more", file: path)
            }
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
