import Foundation

/// Reads a YAML file's text: only a regular file, only UTF-8, with the place of the first bad byte.
enum YAMLFile {
    /// The text of `path`; a missing file, a folder, a device, UTF-16 or invalid UTF-8 is a
    /// `ConfigError` naming the file (and the line, column and byte of bad UTF-8).
    static func text(_ path: String) throws -> String {
        try decode(try bytes(path), file: path)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw ConfigError("\(path): \(reason)", at: nil)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ConfigError("\(path) is a folder, not a file", at: nil)
        // Reading a device or FIFO may never end (/dev/zero) or block (a FIFO nobody writes).
        default: throw ConfigError("\(path) is not a regular file (a device, FIFO or socket)", at: nil)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("\(path): cannot read it (permission denied or an I/O error)", at: nil)
        }
        return [UInt8](data)
    }

    /// `bytes` as a String if they are UTF-8 (a UTF-8 byte order mark is dropped, as libyaml does).
    static func decode(_ bytes: [UInt8], file: String) throws -> String {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ConfigError("the file is UTF-16 text; netrun reads configs in UTF-8, so save it as UTF-8",
                              at: SourceLocation(file: file, line: 1, column: 1))
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let offset = firstInvalidUTF8(body) {
            let byte = offset + bytes.count - body.count
            throw ConfigError(String(format: "invalid UTF-8 at byte %d (0x%02X); configs are UTF-8 text", byte, bytes[byte]),
                              at: YAMLLoader.location(ofByte: byte, in: bytes, file: file))
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }
}
