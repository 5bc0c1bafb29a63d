import Foundation
import SystemZlib

/// Reads a data file whole, inflating it when it is gzip-compressed (by content, not by name),
/// and never holding more than the memory budget allows: a file, or what it inflates to, larger
/// than the budget is refused before it is all in memory.
enum FileBytes {
    /// The bytes of `path`, gunzipped when they start with the gzip magic number.
    static func read(_ path: String, budget: MemoryBudget = .current) throws -> [UInt8] {
        let file = try stored(path, budget: budget)
        guard isGzip(file) else { return file }
        let bytes = try gunzip(file, path: path, atMost: budget.bytes.value)
        guard bytes.count <= budget.bytes.value else {
            throw DataError("inflates to more than the memory budget of \(budget)", file: path)
        }
        return bytes
    }

    /// The bytes of `path` as stored (not inflated); a file larger than the budget is refused unread.
    static func stored(_ path: String, budget: MemoryBudget) throws -> [UInt8] {
        let size = try self.size(path)
        guard budget.allows(ByteCount(size)) else {
            throw DataError("the file is \(ByteCount(size)), more than the memory budget of \(budget)", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError("cannot read it (permissions?)", file: path)
        }
        return [UInt8](data)
    }

    /// The length of `path` in bytes, without reading it; an error when it is missing or a folder.
    static func size(_ path: String) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError("no such file", file: path)
        }
        guard !isDirectory.boolValue else { throw DataError("is a folder, not a file", file: path) }
        // A device or FIFO may never end (/dev/zero) or block reading (a FIFO nobody writes).
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw DataError("is not a regular file (a device, FIFO or socket)", file: path)
        }
        return Int(status.st_size)
    }

    /// The first `count` bytes of `path` as stored (fewer when the file is shorter); a missing
    /// file, a folder or a device is refused as `size` refuses it.
    static func prefix(_ path: String, count: Int) throws -> [UInt8] {
        _ = try size(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError("cannot read it (permissions?)", file: path) }
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }

    /// Calls `body` with the stored bytes of `path` from `offset` to its end, `chunk` bytes at a time
    /// (the last may be shorter), so a large file is converted without being held whole.
    static func chunks(_ path: String, from offset: Int, chunk: Int = 1 << 20,
                       _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError("cannot read it (permissions?)", file: path) }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        while let data = try handle.read(upToCount: chunk), !data.isEmpty {
            try data.withUnsafeBytes { try body($0.bindMemory(to: UInt8.self)) }
        }
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: gzipMagic) }

    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// Inflates a gzip file; a truncated or corrupt one is an error, not a short result. Stops once
    /// more than `atMost` bytes are out (returning `atMost + 1` bytes), so a small file that
    /// inflates to gigabytes (a "gzip bomb") costs no more than the caller expects to hold.
    static func gunzip(_ input: [UInt8], path: String, atMost: Int = .max) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(min(expectedSize(input), atMost))
        try inflate(input, path: path, atMost: atMost) { output.append(contentsOf: $0) }
        return output
    }

    /// Inflates a gzip file as `gunzip` does, handing the output to `body` a chunk (at most 1 MiB)
    /// at a time instead of collecting it: at most `atMost + 1` bytes in all.
    static func inflate(_ input: [UInt8], path: String, atMost: Int = .max,
                        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        // zlib counts input in UInt32; no data set this tool reads comes near 4 GiB compressed.
        guard input.count <= UInt32.max else { throw DataError("too large to decompress (over 4 GiB)", file: path) }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer, so zlib checks the CRC and length.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("cannot start gzip decompression", file: path)
        }
        defer { inflateEnd(&stream) }
        var produced = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                // Never more out than one byte past the limit: enough to tell "more" from "exactly".
                let left = atMost - produced
                let room = left < chunk.count ? left + 1 : chunk.count
                let status = try chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(room)
                    let status = SystemZlib.inflate(&stream, Z_NO_FLUSH)
                    let out = room - Int(stream.avail_out)
                    produced += out
                    try body(UnsafeBufferPointer(rebasing: buffer[..<out]))
                    return status
                }
                if produced > atMost { return }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    // gzip allows members back to back (`cat a.gz b.gz`); gunzip joins them, so do we.
                    let rest = source[(source.count - Int(stream.avail_in))...]
                    guard rest.starts(with: gzipMagic) else {
                        throw DataError("\(rest.count) bytes of something else after the gzip data", file: path)
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR:
                    // The output buffer always has room, so zlib stalled for want of input.
                    throw DataError("truncated gzip data: the file ends inside the compressed stream", file: path)
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DataError("corrupt gzip data (\(reason))", file: path)
                }
            }
        }
    }

    /// The size gzip's trailer records (modulo 2³²), bounded by deflate's best ratio (1032:1) so a
    /// corrupt trailer cannot make us reserve gigabytes.
    private static func expectedSize(_ input: [UInt8]) -> Int {
        guard input.count >= 18 else { return 0 }
        let size = input.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        return min(size, input.count * 1032)
    }
}
