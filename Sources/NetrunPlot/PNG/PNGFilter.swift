/// PNG's per-row prediction filters. Weight images are flat blocks of enlarged pixels, where predicting
/// from the left or above turns most bytes into zeros, so choosing a filter per row makes files much
/// smaller than always using filter 0.
enum PNGFilter {
    /// Bytes per complete pixel for 8-bit RGB; filters predict from the same channel one pixel back.
    static let bytesPerPixel = 3

    /// Every row becomes one filter-type byte followed by the filtered row. The filter for each row is
    /// chosen by the spec's suggested heuristic: the smallest sum of the bytes read as signed values.
    static func filterScanlines(_ image: RGBImage) -> [UInt8] {
        let stride = image.width * bytesPerPixel
        var out = [UInt8]()
        out.reserveCapacity(image.height * (stride + 1))
        let zeros = [UInt8](repeating: 0, count: stride)
        // One scratch row per filter type, reused across rows to avoid allocating per row.
        var candidates = [[UInt8]](repeating: [UInt8](repeating: 0, count: stride), count: 5)

        image.pixels.withUnsafeBufferPointer { pixels in
            zeros.withUnsafeBufferPointer { zeroRow in
                for y in 0..<image.height {
                    let row = UnsafeBufferPointer(rebasing: pixels[(y * stride)..<((y + 1) * stride)])
                    let above = y == 0 ? zeroRow : UnsafeBufferPointer(rebasing: pixels[((y - 1) * stride)..<(y * stride)])
                    var best = 0
                    var bestCost = Int.max
                    for type in 0..<5 {
                        let cost = candidates[type].withUnsafeMutableBufferPointer { dst in
                            apply(type: type, row: row, above: above, into: dst)
                        }
                        if cost < bestCost {
                            bestCost = cost
                            best = type
                        }
                    }
                    out.append(UInt8(best))
                    out += candidates[best]
                }
            }
        }
        return out
    }

    /// Filters one row with the given type and returns its cost (sum of |byte as Int8|).
    /// Bytes before the row's start and the row above the first row count as zero, as the spec says.
    static func apply(type: Int, row: UnsafeBufferPointer<UInt8>, above: UnsafeBufferPointer<UInt8>,
                      into dst: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let bpp = bytesPerPixel
        var cost = 0
        for i in 0..<row.count {
            let x = row[i]
            let a = i >= bpp ? row[i - bpp] : 0
            let b = above[i]
            let c = i >= bpp ? above[i - bpp] : 0
            let predicted: UInt8
            switch type {
            case 0: predicted = 0
            case 1: predicted = a
            case 2: predicted = b
            case 3: predicted = UInt8((Int(a) + Int(b)) / 2)
            default: predicted = paeth(a, b, c)
            }
            let filtered = x &- predicted
            dst[i] = filtered
            cost += abs(Int(Int8(bitPattern: filtered)))
        }
        return cost
    }

    /// The spec's Paeth predictor, with its exact tie-breaking order (a, then b, then c), which decoders
    /// rely on to reproduce the same prediction.
    @inline(__always)
    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        if pb <= pc { return b }
        return c
    }
}
