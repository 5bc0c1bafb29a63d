/// A named float32 tensor to write out, row-major.
public struct ExportTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
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
