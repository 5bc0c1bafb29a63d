import LibYAML

extension YAMLLoader {
    /// The error libyaml reported, at its problem mark, with its context when it has one:
    /// `syntax error: could not find expected ':' (while scanning a simple key at line 3, column 1)`.
    static func parseError(_ parser: yaml_parser_t, bytes: [UInt8], file: String) -> ConfigError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return ConfigError("out of memory while parsing YAML", at: SourceLocation(file: file, line: 1, column: 1))
        case YAML_READER_ERROR:
            // The reader reports a byte offset, not a mark.
            let location = location(ofByte: parser.problem_offset, in: bytes, file: file)
            return ConfigError("unreadable text: \(problem)", at: location)
        default:
            let location = SourceLocation(mark: parser.problem_mark, file: file)
            var message = "syntax error: \(problem)"
            if let context = parser.context.map({ String(cString: $0) }) {
                let contextLocation = SourceLocation(mark: parser.context_mark, file: file)
                message += " (\(context) at line \(contextLocation.line), column \(contextLocation.column))"
            }
            return ConfigError(message, at: location)
        }
    }

    /// The 1-based line and column (in characters) of byte `offset` of UTF-8 text.
    static func location(ofByte offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        let before = bytes.prefix(max(0, offset))
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = 1 + before.count { $0 == UInt8(ascii: "\n") }
        // Count only bytes that start a character: UTF-8 continuation bytes are 0b10xxxxxx.
        let column = 1 + before[lineStart...].count { $0 & 0xC0 != 0x80 }
        return SourceLocation(file: file, line: line, column: column)
    }
}
