import Foundation

import NetrunCore

/// Tensors as little-endian bytes, the layout numpy's `frombuffer(dtype='<f4')` (or `'<f8'`) reads.
enum LittleEndian {
    /// Float32 or Float64 values, by their own width.
    static func bytes<Scalar: NetScalar>(_ values: [Scalar]) -> Data {
        #if _endian(little)
        // Stored as held, copied in bulk. (Casting the array to [Float] first converted it value by
        // value through the runtime: most of what a checkpoint cost.)
        return values.withUnsafeBytes { Data($0) }
        #else
        if let floats = values as? [Float] { return bytes(floats) }
        let doubles = values as! [Double]
        var data = Data(capacity: doubles.count * 8)
        for value in doubles {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
        #endif
    }

    /// `values` written as `dtype` (exact: a float32 tensor's values are Floats held as Doubles).
    static func bytes(_ values: [Double], as dtype: DType) -> Data {
        dtype == .float32 ? bytes(values.map { Float($0) }) : bytes(values)
    }

    /// Nil when the blob's length is not a whole number of `Scalar` values.
    static func values<Scalar: NetScalar>(_ data: Data, as: Scalar.Type) -> [Scalar]? {
        if Scalar.self == Float.self { return floats(data) as! [Scalar]? }
        guard data.count % 8 == 0 else { return nil }
        #if _endian(little)
        return [Double](unsafeUninitializedCapacity: data.count / 8) { buffer, count in
            count = data.copyBytes(to: buffer) / 8
        } as? [Scalar]
        #else
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 8).map { i in
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[i + k]) << (8 * k) }
            return Scalar(Double(bitPattern: bits))
        }
        #endif
    }

    /// A blob of `dtype` values as Doubles (exact for float32); nil for another length or dtype.
    static func doubles(_ data: Data, dtype: String) -> [Double]? {
        switch DType(rawValue: dtype) {
        case .float32: floats(data).map { $0.map(Double.init) }
        case .float64: values(data, as: Double.self)
        case nil: nil
        }
    }

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
