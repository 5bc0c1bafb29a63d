import Foundation

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw data.
public enum Safetensors {
    /// Encodes `tensors` in their dtypes (`F32`, `F64`), in the given order, with optional string metadata.
    public static func encode(_ tensors: [ExportTensor], metadata: [String: String] = [:]) throws -> Data {
        var seen = Set<String>()
        var entries: [String] = []
        var offset = 0
        for tensor in tensors {
            try tensor.check()
            guard !tensor.name.isEmpty, tensor.name != "__metadata__" else {
                throw ExportError("'\(tensor.name)' cannot name a tensor")
            }
            guard seen.insert(tensor.name).inserted else { throw ExportError("two tensors are named '\(tensor.name)'") }
            let end = offset + tensor.dtype.size * tensor.values.count
            let dtype = tensor.dtype == .float32 ? "F32" : "F64"
            entries.append("\(json(tensor.name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                           + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        if !metadata.isEmpty {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\(json($0.key)):\(json($0.value))" }
            entries.insert("\"__metadata__\":{\(fields.joined(separator: ","))}", at: 0)
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (8 + header.count) % 8 != 0 { header.append(0x20) }

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for tensor in tensors { data.append(tensor.bytes) }
        return data
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
