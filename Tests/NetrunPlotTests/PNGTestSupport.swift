import Foundation
import XCTest

/// A chunk as read back from encoded bytes, for checking our output independently of the encoder.
struct ParsedChunk {
    let type: String
    let data: [UInt8]
    let storedCRC: UInt32
}

enum PNGTestSupport {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Splits a PNG into chunks, failing the test on truncation rather than trapping.
    static func parseChunks(_ png: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [ParsedChunk] {
        var chunks = [ParsedChunk]()
        var pos = 8
        while pos < png.count {
            guard pos + 12 <= png.count else {
                XCTFail("truncated chunk header at \(pos)", file: file, line: line)
                return chunks
            }
            let length = Int(bigEndian32(png, at: pos))
            guard pos + 12 + length <= png.count else {
                XCTFail("chunk at \(pos) runs past the end", file: file, line: line)
                return chunks
            }
            let type = String(decoding: png[(pos + 4)..<(pos + 8)], as: UTF8.self)
            let data = Array(png[(pos + 8)..<(pos + 8 + length)])
            chunks.append(ParsedChunk(type: type, data: data, storedCRC: bigEndian32(png, at: pos + 8 + length)))
            pos += 12 + length
        }
        return chunks
    }

    /// A bitwise CRC-32 (ISO-HDLC, as PNG uses), written here so the check does not share zlib's
    /// implementation with the encoder.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// What the Python decoder reports.
    struct Decoded: Decodable {
        let width: Int
        let height: Int
        let bitDepth: Int
        let colourType: Int
        let chunks: [String]
        let filters: [Int]
        let pixels: [[Int]]
        let hex: String
    }

    /// A PNG reader in Python using only the standard library's zlib and struct: an implementation
    /// that shares nothing with ours, so agreement means the file really is a valid PNG.
    static let pythonDecoder = """
        import json, struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        if data[:8] != b'\\x89PNG\\r\\n\\x1a\\n':
            sys.exit('bad signature')
        pos, chunks = 8, []
        while pos < len(data):
            (length,) = struct.unpack('>I', data[pos:pos + 4])
            ctype = data[pos + 4:pos + 8]
            body = data[pos + 8:pos + 8 + length]
            (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
            if zlib.crc32(ctype + body) & 0xffffffff != crc:
                sys.exit('bad CRC in ' + ctype.decode('ascii'))
            chunks.append((ctype.decode('ascii'), body))
            pos += 12 + length
        if chunks[0][0] != 'IHDR' or chunks[-1][0] != 'IEND':
            sys.exit('bad chunk order')
        w, h, depth, colour, comp, filt, interlace = struct.unpack('>IIBBBBB', chunks[0][1])
        if (depth, colour, comp, filt, interlace) != (8, 2, 0, 0, 0):
            sys.exit('unsupported format')
        raw = zlib.decompress(b''.join(body for t, body in chunks if t == 'IDAT'))
        bpp, stride = 3, w * 3
        if len(raw) != h * (stride + 1):
            sys.exit('wrong decompressed size')
        rows, prev, used = [], bytearray(stride), set()
        for y in range(h):
            f = raw[y * (stride + 1)]
            used.add(f)
            line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                if f == 0:
                    p = 0
                elif f == 1:
                    p = a
                elif f == 2:
                    p = b
                elif f == 3:
                    p = (a + b) // 2
                elif f == 4:
                    q = a + b - c
                    pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                else:
                    sys.exit('bad filter type %d' % f)
                line[i] = (line[i] + p) & 0xff
            rows.append(line)
            prev = line
        coords = [int(v) for v in sys.argv[2:]]
        pixels = [list(rows[coords[k + 1]][3 * coords[k]:3 * coords[k] + 3]) for k in range(0, len(coords), 2)]
        print(json.dumps({'width': w, 'height': h, 'bitDepth': depth, 'colourType': colour,
                          'chunks': [t for t, _ in chunks], 'filters': sorted(used),
                          'pixels': pixels, 'hex': b''.join(rows).hex()}))
        """

    /// Runs the Python decoder on `png`, asking for the pixels at `points`; skips the test when no
    /// python3 can be started.
    static func decodeWithPython(_ png: [UInt8], points: [(x: Int, y: Int)]) throws -> Decoded {
        let result = try runPythonDecoder(png, points: points)
        guard result.status == 0 else {
            XCTFail("python decoder failed (\(result.status)): \(String(decoding: result.stderr, as: UTF8.self))")
            throw XCTSkip("decoder failed")
        }
        return try JSONDecoder().decode(Decoded.self, from: result.stdout)
    }

    static func runPythonDecoder(_ png: [UInt8], points: [(x: Int, y: Int)]) throws
        -> (status: Int32, stdout: Data, stderr: Data) {
        let env = URL(fileURLWithPath: "/usr/bin/env")
        guard FileManager.default.isExecutableFile(atPath: env.path) else {
            throw XCTSkip("/usr/bin/env is not available")
        }
        let probe = try? run(env, ["python3", "-c", "import json, struct, zlib"])
        guard let probe, probe.status == 0 else { throw XCTSkip("python3 is not available") }

        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("netrun-png-test-\(UUID().uuidString).png")
        try Data(png).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        var arguments = ["python3", "-c", pythonDecoder, url.path]
        for point in points { arguments += [String(point.x), String(point.y)] }
        return try run(env, arguments)
    }

    /// Stdout is read to the end before waiting, so a large output cannot fill the pipe and deadlock;
    /// stderr goes to a file for the same reason.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("netrun-png-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errHandle.close()
        let stderr = (try? Data(contentsOf: errURL)) ?? Data()
        return (process.terminationStatus, stdout, stderr)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
