extension ConfigValue {
    /// An integer scalar from 0 through UInt64.max, read exactly: the resolver types integers past
    /// Int.max as (rounded) doubles, so their digits are read again from the text as written.
    /// `what` opens the message for a number out of range: "a seed is an integer from 0 to …".
    public func uint64(_ what: String) throws -> UInt64 {
        if case .scalar(let scalar) = node.kind {
            let outOfRange = error("\(what) is an integer from 0 to \(UInt64.max), got \(scalar.text)")
            switch scalar.value {
            case .int(let value):
                guard value >= 0 else { throw outOfRange }
                return UInt64(value)
            case .double where Self.isIntegerText(scalar.text):
                guard let value = Self.parseUInt64(scalar.text) else { throw outOfRange }
                return value
            default:
                break
            }
        }
        // Not an integer at all: the usual "expected an integer, got …".
        return UInt64(clamping: try int())
    }

    /// Whether `text` is a core-schema integer (`[-+]?[0-9]+`, `0o…`, `0x…`), whatever its size.
    private static func isIntegerText(_ text: String) -> Bool {
        if text.hasPrefix("0x") || text.hasPrefix("0o") { return text.count > 2 }
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The integer `text` spells, or nil when it is negative or past UInt64.max.
    private static func parseUInt64(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return UInt64(text.dropFirst(2), radix: 8) }
        return UInt64(text)
    }
}
