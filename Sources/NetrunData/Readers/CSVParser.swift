/// Splits CSV bytes into records of fields: RFC 4180 quoting, LF, CRLF or CR line ends, spaces
/// around fields ignored, blank lines skipped.
enum CSVParser {
    struct Record {
        /// Unquoted fields without their surrounding spaces; quoted ones exactly as quoted.
        var fields: [String]
        /// The 1-based line the record starts on.
        var line: Int
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), space = UInt8(ascii: " "),
                       tab = UInt8(ascii: "\t"), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// The records of `bytes`; `path` only names the file in errors.
    static func records(in bytes: [UInt8], path: String) throws -> [Record] {
        // Bytes rather than characters: every delimiter is ASCII, which never occurs inside a
        // multi-byte UTF-8 sequence, and a field is decoded once, whole.
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // a UTF-8 byte order mark
        var line = 1
        var records: [Record] = []

        func skipBlanks() { while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 } }
        func decode(_ field: ArraySlice<UInt8>, column: Int) throws -> String {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw DataError("not UTF-8 text", file: path, row: line, column: column)
            }
            return text
        }

        while i < bytes.count {
            let recordLine = line
            var fields: [String] = [], quotedAny = false
            while true {
                let column = fields.count + 1
                skipBlanks()
                if i < bytes.count, bytes[i] == quote {
                    quotedAny = true
                    i += 1
                    var content: [UInt8] = []
                    while true {
                        guard i < bytes.count else {
                            throw DataError("unterminated quoted field: the quote opened here is never closed",
                                            file: path, row: recordLine, column: column)
                        }
                        let byte = bytes[i]
                        i += 1
                        if byte == quote {
                            guard i < bytes.count, bytes[i] == quote else { break }
                            i += 1  // a doubled quote stands for one
                        } else if byte == lf || (byte == cr && (i == bytes.count || bytes[i] != lf)) {
                            line += 1
                        }
                        content.append(byte)
                    }
                    skipBlanks()
                    if i < bytes.count, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr {
                        throw DataError("text after the closing quote; a quote inside a quoted field is written \"\"",
                                        file: path, row: line, column: column)
                    }
                    fields.append(try decode(content[...], column: column))
                } else {
                    let start = i
                    while i < bytes.count, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
                    var end = i
                    while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
                    fields.append(try decode(bytes[start..<end], column: column))
                }
                guard i < bytes.count, bytes[i] == comma else { break }
                i += 1
            }
            // The record ends at a line end (CRLF counts once) or at the end of the file.
            if i < bytes.count {
                if bytes[i] == cr, i + 1 < bytes.count, bytes[i + 1] == lf { i += 1 }
                i += 1
                line += 1
            }
            let blank = fields == [""] && !quotedAny
            if !blank { records.append(Record(fields: fields, line: recordLine)) }
        }
        return records
    }
}
