import Foundation

/// The floating-point types netrun computes in: `Float` for training, `Double` for gradient checks.
///
/// The elementary functions are requirements, not free functions, so generic kernels specialised
/// for one type call that type's libm routine directly.
public protocol NetScalar: BinaryFloatingPoint, Sendable {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    static func sqrt(_ x: Self) -> Self
    /// The dtype stored with saved tensors.
    static var dtype: DType { get }
}

extension Float: NetScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.logf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanhf(x) }
    @inlinable public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    public static var dtype: DType { .float32 }
}

extension Double: NetScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    public static var dtype: DType { .float64 }
}

/// The precision a run computes and stores in, by the names numpy and the store use.
public enum DType: String, Sendable, Equatable, CaseIterable {
    /// Training's default: fast kernels, half the memory.
    case float32
    /// The plain loops: slower, for exact comparisons with float64 references.
    case float64

    /// Bytes per value.
    public var size: Int { self == .float32 ? 4 : 8 }
}

extension NetScalar {
    public static var dtypeName: String { dtype.rawValue }
}
