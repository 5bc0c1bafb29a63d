import NetrunCore

/// Reads MNIST's IDX files (`idx3` images, `idx1` labels), plain or gzip-compressed.
///
/// Format: 2 zero bytes, a type byte (0x08 = unsigned byte), a dimension count, then each
/// dimension as a big-endian UInt32, then the data.
public enum IDXReader {
    /// Images (N, rows·cols) as raw pixel values 0…255, with the labels of `labelsPath` as written.
    public static func read(images imagesPath: String, labels labelsPath: String) throws -> LabeledSamples {
        let images = try Tensor(imagesPath, dimensions: 3)
        let labels = try Tensor(labelsPath, dimensions: 1)
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

    /// An unsigned-byte IDX file: its dimensions and its data, checked against each other.
    struct Tensor {
        var shape: [Int]
        var data: ArraySlice<UInt8>

        init(_ path: String, dimensions: Int) throws {
            let bytes = try FileBytes.read(path)
            guard !bytes.isEmpty else { throw DataError("the file is empty", file: path) }
            guard bytes.count >= 4 else { throw DataError("not an IDX file: only \(bytes.count) bytes", file: path) }
            let expectedMagic = "0x0000080\(dimensions)"
            guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08 else {
                let magic = bytes[0..<4].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                throw DataError("not an unsigned-byte IDX file: magic number 0x\(magic), expected \(expectedMagic)",
                                file: path)
            }
            guard Int(bytes[3]) == dimensions else {
                let what = dimensions == 3 ? "images (count, rows, columns)" : "labels (count)"
                throw DataError("IDX data of \(bytes[3]) dimension\(bytes[3] == 1 ? "" : "s"), expected \(dimensions) "
                                + "for \(what); are the images and labels files swapped?", file: path)
            }
            let headerSize = 4 + 4 * dimensions
            guard bytes.count >= headerSize else {
                throw DataError("truncated IDX header: \(bytes.count) bytes, expected \(headerSize)", file: path)
            }
            let shape = (0..<dimensions).map { d in (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) } }
            // Three 32-bit sizes can overflow Int; such a header is corrupt, like any other mismatch.
            let promised = shape.reduce(Optional(1)) { product, size in
                product.flatMap { p in
                    let (value, overflow) = p.multipliedReportingOverflow(by: size)
                    return overflow ? nil : value
                }
            }
            let actual = bytes.count - headerSize
            guard promised == actual else {
                let sizes = shape.map(String.init).joined(separator: "×")
                let promise = promised.map { shape.count > 1 ? "\(sizes) = \($0) bytes" : "\($0) bytes" } ?? sizes
                let problem = (promised ?? .max) > actual ? "truncated" : "too long"
                throw DataError("\(problem): \(actual) bytes of data, the header promises \(promise)", file: path)
            }
            self.shape = shape
            data = bytes[headerSize...]
        }
    }
}
