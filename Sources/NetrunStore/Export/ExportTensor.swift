import Foundation
import NetrunCore

/// A named tensor to write out, row-major, in its dtype.
public struct ExportTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    /// Held as Doubles; a float32 tensor's are Floats, exactly.
    public var values: [Double]
    public var dtype: DType

    public init<Scalar: NetScalar>(name: String, shape: [Int], values: [Scalar]) {
        self.init(name: name, shape: shape, values: values.map(Double.init), dtype: Scalar.dtype)
    }

    public init(name: String, shape: [Int], values: [Double], dtype: DType) {
        self.name = name
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    /// The values as `dtype`'s little-endian bytes.
    var bytes: Data { LittleEndian.bytes(values, as: dtype) }
}

/// A tensor set that cannot be written: a bad name or a shape that does not hold the values.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ExportTensor {
    func check() throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw ExportError("tensor '\(name)': shape \(shape) does not hold \(values.count) values")
        }
    }
}
