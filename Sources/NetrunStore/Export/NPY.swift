import Foundation

/// NumPy's `.npy` format, version 1.0: magic `\x93NUMPY`, version 1.0, a little-endian uint16
/// header length, a Python-literal header dict padded to a multiple of 64 bytes, then the data.
public enum NPY {
    /// One float32 array, C order.
    public static func encode(shape: [Int], values: [Float]) throws -> Data {
        try encode(ExportTensor(name: "array", shape: shape, values: values))
    }

    /// One array in the tensor's dtype (`<f4` or `<f8`), C order.
    public static func encode(_ tensor: ExportTensor) throws -> Data {
        try tensor.check()
        let shape = tensor.shape
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '<f\(tensor.dtype.size)', 'fortran_order': False, 'shape': \(dimensions), }".utf8)
        let prefix = 6 + 2 + 2  // magic, version, header length
        while (prefix + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        guard header.count <= Int(UInt16.max) else { throw ExportError("shape \(shape) makes too long an .npy header") }

        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        data.append(tensor.bytes)
        return data
    }
}
