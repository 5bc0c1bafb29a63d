import Foundation

/// Float32 tensors as little-endian bytes, the layout numpy's `frombuffer(dtype='<f4')` reads.
enum LittleEndian {
    static func bytes(_ values: [Float]) -> Data {
        #if _endian(little)
        // The in-memory layout already is the stored one: copy in bulk, as checkpoints repeat it.
        return values.withUnsafeBytes { Data($0) }
        #else
        var data = Data(capacity: values.count * 4)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
        #endif
    }

    /// Nil when the blob's length is not a whole number of floats.
    static func floats(_ data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        #if _endian(little)
        return [Float](unsafeUninitializedCapacity: data.count / 4) { buffer, count in
            count = data.copyBytes(to: buffer) / 4
        }
        #else
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            let bits = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            return Float(bitPattern: bits)
        }
        #endif
    }

    /// Sample indices as little-endian int32.
    static func bytes(_ values: [Int]) -> Data {
        // Converted into one buffer, not appended value by value: a checkpoint holds the order of
        // every training sample, and Data's per-append overhead made it most of a checkpoint's cost.
        let words = [Int32](unsafeUninitializedCapacity: values.count) { buffer, count in
            for (i, value) in values.enumerated() { buffer[i] = Int32(truncatingIfNeeded: value).littleEndian }
            count = values.count
        }
        return words.withUnsafeBytes { Data($0) }
    }

    static func ints(_ data: Data) -> [Int]? {
        guard data.count % 4 == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Int(Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24))
        }
    }
}
