import Foundation

/// A tensor read from a safetensors file, its values widened to Double (exact for F32).
public struct ImportedTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Double]

    public init(name: String, shape: [Int], values: [Double]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// A safetensors file that cannot be read: what is wrong with it, in a sentence.
public struct SafetensorsError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Safetensors {
    /// The largest header read: the reference implementation refuses more than 100 MB too.
    static let maxHeaderLength = 100_000_000

    /// Reads every tensor of a safetensors file, in header order (`__metadata__` skipped).
    ///
    /// The file is untrusted: the header length, the JSON, each dtype (F32 or F64 only), shape and
    /// byte range are checked against the file before a byte of data is read, and every problem is
    /// a `SafetensorsError`, never a trap.
    public static func decode(_ data: Data) throws -> [ImportedTensor] {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw SafetensorsError("it has \(bytes.count) bytes, fewer than the 8 of the header length")
        }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(bytes.count - 8) else {
            throw SafetensorsError("its header length \(length) runs past the end of the \(bytes.count)-byte file")
        }
        guard length <= UInt64(maxHeaderLength) else {
            throw SafetensorsError("its header length \(length) is above the \(maxHeaderLength) bytes safetensors allows")
        }
        let headerEnd = 8 + Int(length), dataSize = bytes.count - headerEnd
        // JSONSerialization refuses nesting deeper than 512 levels with an error, not a stack overflow.
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw SafetensorsError("its header is not JSON")
        }
        guard let header = json as? [String: Any] else { throw SafetensorsError("its header is not a JSON object") }

        var tensors: [(begin: Int, tensor: ImportedTensor)] = []
        for (name, entry) in header where name != "__metadata__" {
            func bad(_ reason: String) -> SafetensorsError { SafetensorsError("tensor '\(name)': \(reason)") }
            guard let entry = entry as? [String: Any] else { throw bad("its entry is not a JSON object") }
            guard let dtype = entry["dtype"] as? String else { throw bad("no dtype") }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            default: throw bad("dtype \(dtype) is not supported; netrun reads F32 and F64")
            }
            guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("its shape is not a list of non-negative integers")
            }
            guard let offsets = integers(entry["data_offsets"]), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize else {
                throw bad("its data_offsets are not [begin, end] within the \(dataSize) bytes of data")
            }
            var count = 1
            for size in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow else { throw bad("its shape \(shape) holds too many values") }
                count = product
            }
            guard count.multipliedReportingOverflow(by: width) == (offsets[1] - offsets[0], false) else {
                throw bad("shape \(shape) of \(dtype) needs \(count) values but data_offsets span \(offsets[1] - offsets[0]) bytes")
            }
            let start = headerEnd + offsets[0]
            let values = (0..<count).map { index -> Double in
                let at = start + index * width
                if width == 4 {
                    let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
                    return Double(Float(bitPattern: bits))
                }
                return Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) })
            }
            tensors.append((offsets[0], ImportedTensor(name: name, shape: shape, values: values)))
        }
        // JSON objects are unordered; the data's order is the file's.
        return tensors.sorted { ($0.begin, $0.tensor.name) < ($1.begin, $1.tensor.name) }.map(\.tensor)
    }

    /// A JSON list of integers (no fractions), or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in list {
            guard let number = item as? NSNumber, let int = Int(exactly: number.doubleValue) else { return nil }
            result.append(int)
        }
        return result
    }
}
