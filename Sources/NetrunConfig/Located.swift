/// A decoded value with the place it came from, so later checks (the builder's shape checks,
/// the data loader's) can still point at the line that caused them.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation?
    public var path: String

    public init(_ value: Value, location: SourceLocation?, path: String) {
        self.value = value
        self.location = location
        self.path = path
    }

    public init(_ value: Value, at source: ConfigValue) {
        self.init(value, location: source.location, path: source.path)
    }

    /// An error at this value's place.
    public func error(_ message: String) -> ConfigError {
        ConfigError(message, at: location, path: path)
    }
}
