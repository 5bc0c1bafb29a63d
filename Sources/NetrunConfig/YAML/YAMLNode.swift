/// One node of a parsed YAML document, with the place it starts.
///
/// Aliases are already expanded: an alias becomes a copy of the anchored node (arrays are
/// copy-on-write, so the copy shares storage) and keeps the anchor's location.
public struct YAMLNode: Sendable {
    /// What a node holds.
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    public var kind: Kind
    /// Where the node starts, 1-based.
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// One `key: value` pair of a mapping, in document order.
public struct YAMLEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode
    /// Added by a `ConfigOverride` (a command-line or grid key), not written in the document.
    public var isOverride = false

    public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A scalar resolved by the YAML 1.2 core schema, plus its text as written.
public struct YAMLScalar: Sendable, Equatable {
    /// The typed value of a scalar.
    public enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
    }

    public var value: Value
    /// The scalar as written (without quotes), for messages.
    public var text: String

    public init(_ value: Value, text: String) {
        self.value = value
        self.text = text
    }
}
