/// Initializes the first `source.count` elements of `target` to the values of `source` (0…255).
///
/// Raw pointers rather than `map`: MNIST and CIFAR-10 are tens of millions of bytes, and the
/// generic paths are several times slower in debug builds, which `swift run` makes by default.
func initializeFloats(_ target: UnsafeMutableBufferPointer<Float>, from source: UnsafeBufferPointer<UInt8>) {
    precondition(target.count >= source.count, "\(source.count) bytes into \(target.count) Floats")
    guard var from = source.baseAddress, var to = target.baseAddress else { return }
    let end = from + source.count
    while from < end {
        to.initialize(to: Float(from.pointee))
        from += 1
        to += 1
    }
}
