import SystemZlib

/// Writes `RGBImage`s as PNG with nothing but the system zlib, so the tool can save pictures without
/// an image library. Only what we need is written: 8-bit RGB, no interlacing, no ancillary chunks.
public enum PNGEncoder {
    /// The fixed first eight bytes of every PNG; its odd bytes catch files mangled by text-mode transfers.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// IDAT data is split into chunks of this size so that no single chunk gets huge; readers join them.
    static let defaultIDATLength = 1 << 16

    public static func encode(_ image: RGBImage) -> [UInt8] {
        encode(image, idatLength: defaultIDATLength)
    }

    /// `idatLength` is a parameter so tests can force many IDAT chunks with a small image.
    static func encode(_ image: RGBImage, idatLength: Int) -> [UInt8] {
        precondition(idatLength > 0)
        // PNG stores dimensions as 31-bit unsigned values.
        precondition(image.width <= Int(Int32.max) && image.height <= Int(Int32.max), "image too large for PNG")

        var out = signature

        var header = [UInt8]()
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [
            8,  // bit depth: 8 bits per sample
            2,  // colour type 2: RGB triples
            0,  // compression method 0: deflate (the only one defined)
            0,  // filter method 0: the five adaptive filters
            0,  // interlace method 0: none
        ]
        appendChunk("IHDR", header[...], to: &out)

        let compressed = zlibCompress(PNGFilter.filterScanlines(image))
        var start = 0
        repeat {
            let end = min(start + idatLength, compressed.count)
            appendChunk("IDAT", compressed[start..<end], to: &out)
            start = end
        } while start < compressed.count

        appendChunk("IEND", [][...], to: &out)
        return out
    }

    /// Length, type, data, then a CRC-32 over type and data (not the length), all big-endian as PNG requires.
    static func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4)
        appendBigEndian(UInt32(data.count), to: &out)
        out += typeBytes
        out += data
        var crc = typeBytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, 4) }
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(truncatingIfNeeded: crc), to: &out)
    }

    static func appendBigEndian(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// PNG's IDAT payload is a zlib stream (header + deflate + Adler-32), which is exactly what
    /// `compress2` produces, so no streaming API is needed for images of the sizes we draw.
    static func zlibCompress(_ input: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { dst in
            input.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), Z_BEST_COMPRESSION)
            }
        }
        // compress2 can only fail for lack of memory or a too-small buffer; compressBound rules out the
        // latter, and running out of memory is not something a picture writer can recover from.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        output.removeSubrange(Int(capacity)...)
        return output
    }
}
