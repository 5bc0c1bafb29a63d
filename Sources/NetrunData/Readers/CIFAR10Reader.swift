import NetrunCore

/// Reads CIFAR-10's binary batches: records of 1 label byte and 3072 pixel bytes
/// (1024 red, then 1024 green, then 1024 blue, each 32×32 row-major).
public enum CIFAR10Reader {
    static let imageSize = 3 * 32 * 32
    static let recordSize = 1 + imageSize
    /// The class names in label order, as in the data set's `batches.meta.txt`.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    /// All records of `paths`, in order, as raw pixel values 0…255 (channel-major, as stored).
    public static func read(_ paths: [String], budget: MemoryBudget = .current) throws -> LabeledSamples {
        guard !paths.isEmpty else { throw DataError("no CIFAR-10 batch files to read", file: "") }
        if try paths.allSatisfy({ !FileBytes.isGzip(try FileBytes.prefix($0, count: 2)) }) {
            return try stream(paths, budget: budget)
        }
        // Compressed: every record is held as bytes and then as Floats; refuse before reading when
        // the files already say that is too much (they are checked again once inflated, below).
        var stored = ByteCount.zero
        for path in paths { stored = stored + ByteCount(try FileBytes.size(path)) }
        try checkBudget(records: stored.value / recordSize, budget, file: paths[0])
        // Every batch is read and checked before any conversion, so the features are one
        // allocation of the final size rather than a growing array (the 5 training batches make 600 MB).
        var batches: [[UInt8]] = [], labels: [Int] = []
        for path in paths {
            let bytes = try FileBytes.read(path, budget: budget)
            guard !bytes.isEmpty else { throw DataError("the file is empty", file: path) }
            guard bytes.count % recordSize == 0 else {
                throw DataError("\(bytes.count) bytes is not a whole number of \(recordSize)-byte CIFAR-10 records: "
                                + "truncated or not a CIFAR-10 binary batch", file: path)
            }
            let count = bytes.count / recordSize
            labels.reserveCapacity(labels.count + count)
            for record in 0..<count {
                let label = Int(bytes[record * recordSize])
                guard label < classNames.count else {
                    throw DataError("record \(record + 1) of \(count) has label \(label); CIFAR-10 labels are 0…9",
                                    file: path)
                }
                labels.append(label)
            }
            batches.append(bytes)
        }
        try checkBudget(records: labels.count, budget, file: paths[0])
        let inputs = Matrix<Float>(rows: labels.count, cols: imageSize)
        var row = 0
        for bytes in batches {
            bytes.withUnsafeBufferPointer { source in
                for start in stride(from: 0, to: source.count, by: recordSize) {
                    initializeFloats(UnsafeMutableBufferPointer(start: inputs.storage + row * imageSize, count: imageSize),
                                     from: UnsafeBufferPointer(rebasing: source[(start + 1)..<(start + recordSize)]))
                    row += 1
                }
            }
        }
        return LabeledSamples(inputs: inputs, labels: labels, classNames: classNames)
    }

    /// Plain batch files, their sizes known up front: one matrix of the final size, filled a chunk
    /// of whole records at a time as each file is read, so a pixel is held once, as a Float.
    private static func stream(_ paths: [String], budget: MemoryBudget) throws -> LabeledSamples {
        var counts: [Int] = []
        for path in paths {
            let size = try FileBytes.size(path)
            guard size > 0 else { throw DataError("the file is empty", file: path) }
            guard size % recordSize == 0 else {
                throw DataError("\(size) bytes is not a whole number of \(recordSize)-byte CIFAR-10 records: "
                                + "truncated or not a CIFAR-10 binary batch", file: path)
            }
            counts.append(size / recordSize)
        }
        let total = counts.reduce(0, +)
        try checkBudget(records: total, budget, file: paths[0], asBytes: false)
        let inputs = Matrix<Float>(rows: total, cols: imageSize)
        var labels: [Int] = []
        labels.reserveCapacity(total)
        for (path, count) in zip(paths, counts) {
            var record = 0
            // Chunks of whole records (about 1 MiB each), so no record straddles two reads.
            try FileBytes.chunks(path, from: 0, chunk: 341 * recordSize) { chunk in
                guard chunk.count % recordSize == 0, record + chunk.count / recordSize <= count else {
                    throw DataError("the file changed while it was read", file: path)
                }
                for start in stride(from: 0, to: chunk.count, by: recordSize) {
                    let label = Int(chunk[start])
                    guard label < classNames.count else {
                        throw DataError("record \(record + 1) of \(count) has label \(label); CIFAR-10 labels are 0…9",
                                        file: path)
                    }
                    labels.append(label)
                    initializeFloats(UnsafeMutableBufferPointer(start: inputs.storage + (labels.count - 1) * imageSize,
                                                                count: imageSize),
                                     from: UnsafeBufferPointer(rebasing: chunk[(start + 1)..<(start + recordSize)]))
                    record += 1
                }
            }
            guard record == count else { throw DataError("the file changed while it was read", file: path) }
        }
        return LabeledSamples(inputs: inputs, labels: labels, classNames: classNames)
    }

    /// Refuses `records` records when their bytes, Floats and labels exceed `budget`.
    /// `asBytes` false: streamed, the records are not also held as bytes.
    private static func checkBudget(records: Int, _ budget: MemoryBudget, file: String, asBytes: Bool = true) throws {
        let need = ByteCount(records) * ((asBytes ? recordSize : 0) + 4 * imageSize + 8)
        guard budget.allows(need) else {
            throw DataError("\(records) CIFAR-10 records need \(need) in memory (as \(asBytes ? "bytes and as " : "")Floats), "
                            + "more than the memory budget of \(budget)", file: file)
        }
    }
}
