import Foundation
import LibYAML

/// Reads one YAML document into a `YAMLNode` tree, turning every problem into a located `ConfigError`.
public enum YAMLLoader {
    /// Parses exactly one document; `file` is only used in locations.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Reads and parses the file at `path`; a missing or unreadable file is a `ConfigError` naming it.
    public static func load(contentsOfFile path: String) throws -> YAMLNode {
        let bytes = try YAMLFile.bytes(path)
        // Checked here so bad UTF-8 is reported with its byte offset; libyaml then parses the same bytes.
        _ = try YAMLFile.decode(bytes, file: path)
        return try parse(bytes: bytes, file: path)
    }

    static func parse(bytes: [UInt8], file: String) throws -> YAMLNode {
        let start = SourceLocation(file: file, line: 1, column: 1)
        // libyaml asserts on a null input pointer, which an empty array may give.
        guard !bytes.isEmpty else { throw ConfigError("config is empty", at: start) }

        try withParser(reading: bytes, file: file) { parser in
            try YAMLNestingCheck.run(parser, file: file)
        }
        return try withParser(reading: bytes, file: file) { parser in
            let root = try withDocument(from: parser, bytes: bytes, file: file) { document in
                guard let root = yaml_document_get_root_node(document), !isNull(root.pointee) else {
                    throw ConfigError("config is empty", at: start)
                }
                var builder = YAMLTreeBuilder(document: document, file: file)
                return try builder.buildRoot()
            }
            try withDocument(from: parser, bytes: bytes, file: file) { document in
                if yaml_document_get_root_node(document) != nil {
                    let location = SourceLocation(mark: document.pointee.start_mark, file: file)
                    throw ConfigError("a config is a single YAML document; a second one starts here", at: location)
                }
            }
            return root
        }
    }

    /// A parser over `bytes` for the duration of `body`, freed on every path.
    private static func withParser<T>(
        reading bytes: [UInt8], file: String, _ body: (UnsafeMutablePointer<yaml_parser_t>) throws -> T
    ) throws -> T {
        // Heap-allocated because the parser keeps a pointer to itself (its read handler's data).
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            throw ConfigError("out of memory while starting the YAML parser", at: SourceLocation(file: file, line: 1, column: 1))
        }
        defer { yaml_parser_delete(parser) }
        return try bytes.withUnsafeBufferPointer { input in
            yaml_parser_set_input_string(parser, input.baseAddress, input.count)
            return try body(parser)
        }
    }

    /// Loads the parser's next document (one without a root at the end of the stream), hands it
    /// to `body` and frees it.
    private static func withDocument<T>(
        from parser: UnsafeMutablePointer<yaml_parser_t>, bytes: [UInt8], file: String,
        _ body: (UnsafeMutablePointer<yaml_document_t>) throws -> T
    ) throws -> T {
        let document = UnsafeMutablePointer<yaml_document_t>.allocate(capacity: 1)
        defer { document.deallocate() }
        // On failure yaml_parser_load has already freed the document.
        guard yaml_parser_load(parser, document) != 0 else {
            throw parseError(parser.pointee, bytes: bytes, file: file)
        }
        defer { yaml_document_delete(document) }
        return try body(document)
    }

    private static func isNull(_ node: yaml_node_t) -> Bool {
        guard node.type == YAML_SCALAR_NODE, node.data.scalar.style == YAML_PLAIN_SCALAR_STYLE else { return false }
        let data = node.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        return YAMLScalar.Value(plain: text) == .null
    }
}
