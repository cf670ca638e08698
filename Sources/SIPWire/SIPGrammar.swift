/// Character classes of RFC 3261 §25.1 (the SIP grammar), on bytes.
enum SIPGrammar {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let equals = UInt8(ascii: "=")
    static let slash = UInt8(ascii: "/")
    static let at = UInt8(ascii: "@")
    static let question = UInt8(ascii: "?")
    static let percent = UInt8(ascii: "%")
    static let ampersand = UInt8(ascii: "&")

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isAlpha(byte) || isDigit(byte) }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// `token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )`
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        if isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "*"),
            UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "`"), UInt8(ascii: "'"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `word` (Call-ID): token characters and `( ) < > : \ " / [ ] ? { }`.
    static func isWordCharacter(_ byte: UInt8) -> Bool {
        if isTokenCharacter(byte) { return true }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), lessThan, greaterThan, colon, backslash, quote, slash,
            UInt8(ascii: "["), UInt8(ascii: "]"), question, UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    /// `unreserved = alphanum / mark`, `mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"`
    static func isUnreserved(_ byte: UInt8) -> Bool {
        if isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "~"),
            UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        default:
            return false
        }
    }

    /// `user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"`
    static func isUserCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case ampersand, equals, UInt8(ascii: "+"), UInt8(ascii: "$"), comma, semicolon, question, slash:
            return true
        default:
            return false
        }
    }

    /// `password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )`
    static func isPasswordCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case ampersand, equals, UInt8(ascii: "+"), UInt8(ascii: "$"), comma: return true
        default: return false
        }
    }

    /// `paramchar = param-unreserved / unreserved / escaped`, `param-unreserved = "[" / "]" / "/" / ":" / "&" / "+"
    /// / "$"`
    static func isURIParameterCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "]"), slash, colon, ampersand, UInt8(ascii: "+"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// `hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"` (URI header names and values)
    static func isURIHeaderCharacter(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "]"), slash, question, colon, UInt8(ascii: "+"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    /// Characters of a host name or IPv4 address (`alphanum`, `-`, `.`); `_` is accepted too, as real DNS names
    /// carry it.
    static func isHostCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }

    /// `uric` of RFC 2396 without the characters that delimit a SIP header value: for opaque absolute URIs.
    static func isOpaqueURICharacter(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != lessThan && byte != greaterThan && byte != quote
            && byte != UInt8(ascii: "`") && byte != UInt8(ascii: "{") && byte != UInt8(ascii: "}")
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Parses `1*DIGIT` as a value at most `maximum`; nil if not all digits, empty, or above it. Leading zeros are
    /// fine (RFC 4475 §3.1.1.1: "0068").
    static func parseDecimal<C: Collection>(_ digits: C, maximum: UInt64) -> UInt64? where C.Element == UInt8 {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard isDigit(byte) else { return nil }
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow1, !overflow2, sum <= maximum else { return nil }
            value = sum
        }
        return value
    }

    /// Parses `1*DIGIT`, saturating at `maximum` rather than failing (RFC 3261 §20.19 Expires: a value above
    /// 2**32-1 is taken as 2**32-1).
    static func parseSaturatingDecimal<C: Collection>(_ digits: C, maximum: UInt64) -> UInt64?
    where C.Element == UInt8 {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard isDigit(byte) else { return nil }
            value = min(maximum, value &* 10 &+ UInt64(byte - 0x30))
            if value >= maximum { value = maximum }
        }
        return value
    }

    static func isToken<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy(isTokenCharacter)
    }
}

/// A cursor over the bytes of one header value (already unfolded: every CRLF+WSP became one space). Every read is
/// bounds-checked; nothing traps on any input.
struct SIPScanner {
    let bytes: [UInt8]
    var index: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.index = 0
    }

    init(_ text: String) {
        self.init(Array(text.utf8))
    }

    var isAtEnd: Bool { index >= bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, SIPGrammar.isWhitespace(byte) { index += 1 }
    }

    /// Consumes `byte` (after optional whitespace, and the whitespace after it): SIP's `SEMI`, `COLON`, `EQUAL`,
    /// `SLASH`, `COMMA`, `LAQUOT`, `RAQUOT` all allow LWS around them.
    mutating func consume(_ byte: UInt8) -> Bool {
        let saved = index
        skipWhitespace()
        guard peek == byte else {
            index = saved
            return false
        }
        index += 1
        skipWhitespace()
        return true
    }

    /// Consumes `byte` with no whitespace skipping.
    mutating func consumeExactly(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func readWhile(_ predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while let byte = peek, predicate(byte) { index += 1 }
        return bytes[start..<index]
    }

    mutating func readToken() -> String? {
        let slice = readWhile(SIPGrammar.isTokenCharacter)
        return slice.isEmpty ? nil : String(decoding: slice, as: UTF8.self)
    }

    /// Reads a `quoted-string` (the opening quote must be next) and returns its content with quoted-pairs resolved;
    /// nil if it is not terminated.
    mutating func readQuotedString() -> String? {
        guard consumeExactly(SIPGrammar.quote) else { return nil }
        var content: [UInt8] = []
        while let byte = peek {
            index += 1
            if byte == SIPGrammar.quote {
                return String(decoding: content, as: UTF8.self)
            }
            if byte == SIPGrammar.backslash {
                guard let escaped = peek, escaped != SIPGrammar.cr, escaped != SIPGrammar.lf, escaped < 0x80 else {
                    return nil
                }
                index += 1
                content.append(escaped)
            } else {
                content.append(byte)
            }
        }
        return nil
    }

    var rest: ArraySlice<UInt8> { bytes[min(index, bytes.count)...] }
}

extension String {
    /// The string as a SIP `quoted-string`, with `"` and `\` escaped.
    var sipQuoted: String {
        var result = "\""
        for character in self {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        result.append("\"")
        return result
    }
}
