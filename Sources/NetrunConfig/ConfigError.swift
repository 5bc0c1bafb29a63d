/// A place in a config file, 1-based as editors show it.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem with a config, located by file, line, column and key path.
///
/// Printed as `configs/xor.yaml:7:17: model.layers[1].activation: unknown activation 'sigmod'
/// (did you mean 'sigmoid'?)`, the shape compilers use so editors can jump to it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation?
    /// Key path from the document root, e.g. `training.learning_rate`; empty for the whole document.
    public var path: String
    public var message: String

    public init(_ message: String, at location: SourceLocation?, path: String = "") {
        self.location = location
        self.path = path
        self.message = message
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        if !path.isEmpty { text += "\(path): " }
        return text + message
    }
}
