extension YAMLScalar.Value {
    /// Resolves a plain (unquoted) scalar by the YAML 1.2 core schema; anything else is a string.
    ///
    /// Only plain scalars get here: libyaml tags every untagged scalar `str`, so the style is what
    /// tells `12` from `"12"`.
    init(plain text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": self = .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": self = .double(-.infinity)
        case ".nan", ".NaN", ".NAN": self = .double(.nan)
        default: self = Self.number(text) ?? .string(text)
        }
    }

    /// An int (`[-+]?[0-9]+`, `0o…`, `0x…`) or a float, or nil when `text` is neither.
    private static func number(_ text: String) -> Self? {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == ascii("0") {
            let digits = bytes[2...]
            if bytes[1] == ascii("o"), digits.allSatisfy(isOctalDigit) {
                return integer(text.dropFirst(2), digits: digits, radix: 8)
            }
            if bytes[1] == ascii("x"), digits.allSatisfy(isHexDigit) {
                return integer(text.dropFirst(2), digits: digits, radix: 16)
            }
        }
        let unsigned = bytes.first == ascii("+") || bytes.first == ascii("-") ? bytes[1...] : bytes[...]
        if !unsigned.isEmpty, unsigned.allSatisfy(isDecimalDigit) {
            // Int(_:) takes the same optional sign; only overflow makes it fail here.
            if let value = Int(text) { return .int(value) }
            return Double(text).map(Self.double)
        }
        if isFloat(unsigned) { return Double(text).map(Self.double) }
        return nil
    }

    /// `digits` in `radix`, as an Int when it fits and as a (rounded) Double when it overflows.
    private static func integer(_ text: Substring, digits: ArraySlice<UInt8>, radix: Int) -> Self {
        if let value = Int(text, radix: radix) { return .int(value) }
        let value = digits.reduce(0.0) { $0 * Double(radix) + Double(hexValue($1)) }
        return .double(value)
    }

    /// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float after its sign.
    private static func isFloat(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        let whole = rest.prefix(while: isDecimalDigit).count
        rest = rest.dropFirst(whole)
        if rest.first == ascii(".") {
            rest = rest.dropFirst()
            let fraction = rest.prefix(while: isDecimalDigit).count
            if whole == 0 && fraction == 0 { return false }
            rest = rest.dropFirst(fraction)
        } else if whole == 0 {
            return false
        }
        if rest.first == ascii("e") || rest.first == ascii("E") {
            rest = rest.dropFirst()
            if rest.first == ascii("+") || rest.first == ascii("-") { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: isDecimalDigit).count
            if exponent == 0 { return false }
            rest = rest.dropFirst(exponent)
        }
        return rest.isEmpty
    }
}

private func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }

private func isDecimalDigit(_ byte: UInt8) -> Bool { (ascii("0")...ascii("9")).contains(byte) }

private func isOctalDigit(_ byte: UInt8) -> Bool { (ascii("0")...ascii("7")).contains(byte) }

private func isHexDigit(_ byte: UInt8) -> Bool {
    isDecimalDigit(byte) || (ascii("a")...ascii("f")).contains(byte) || (ascii("A")...ascii("F")).contains(byte)
}

/// The value of a digit already known to be hexadecimal (so also decimal or octal).
private func hexValue(_ byte: UInt8) -> Int {
    switch byte {
    case ascii("a")...ascii("f"): Int(byte - ascii("a")) + 10
    case ascii("A")...ascii("F"): Int(byte - ascii("A")) + 10
    default: Int(byte - ascii("0"))
    }
}
