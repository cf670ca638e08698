/// A header field name. Known names are kept in their canonical spelling, with compact forms expanded (RFC 3261
/// §7.3.3: `v` is Via, `f` From, `t` To, `i` Call-ID, `m` Contact, `l` Content-Length, `c` Content-Type, `e`
/// Content-Encoding, `s` Subject, `k` Supported; RFC 3515/3892/4028/3265 add `r`, `b`, `x`, `o`, `u`); unknown names
/// are kept as received. Names compare case-insensitively.
public struct SIPHeaderName: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The spelling written on the wire.
    public let name: String
    /// Lower-cased, for comparison.
    let key: String

    public init(_ name: String) {
        let lowered = name.lowercased()
        if let canonical = Self.compactForms[lowered] ?? Self.canonicalSpellings[lowered] {
            self.name = canonical
            self.key = canonical.lowercased()
        } else {
            self.name = name
            self.key = lowered
        }
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { name }

    public static func == (lhs: SIPHeaderName, rhs: SIPHeaderName) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public static let via: SIPHeaderName = "Via"
    public static let from: SIPHeaderName = "From"
    public static let to: SIPHeaderName = "To"
    public static let callID: SIPHeaderName = "Call-ID"
    public static let cseq: SIPHeaderName = "CSeq"
    public static let contact: SIPHeaderName = "Contact"
    public static let maxForwards: SIPHeaderName = "Max-Forwards"
    public static let route: SIPHeaderName = "Route"
    public static let recordRoute: SIPHeaderName = "Record-Route"
    public static let contentLength: SIPHeaderName = "Content-Length"
    public static let contentType: SIPHeaderName = "Content-Type"
    public static let expires: SIPHeaderName = "Expires"
    public static let minExpires: SIPHeaderName = "Min-Expires"
    public static let userAgent: SIPHeaderName = "User-Agent"
    public static let server: SIPHeaderName = "Server"
    public static let allow: SIPHeaderName = "Allow"
    public static let supported: SIPHeaderName = "Supported"
    public static let accept: SIPHeaderName = "Accept"
    public static let wwwAuthenticate: SIPHeaderName = "WWW-Authenticate"
    public static let proxyAuthenticate: SIPHeaderName = "Proxy-Authenticate"
    public static let authorization: SIPHeaderName = "Authorization"
    public static let proxyAuthorization: SIPHeaderName = "Proxy-Authorization"
    public static let warning: SIPHeaderName = "Warning"
    public static let reason: SIPHeaderName = "Reason"
    public static let retryAfter: SIPHeaderName = "Retry-After"
    public static let date: SIPHeaderName = "Date"
    public static let pAssertedIdentity: SIPHeaderName = "P-Asserted-Identity"

    private static let compactForms: [String: String] = [
        "v": "Via", "f": "From", "t": "To", "i": "Call-ID", "m": "Contact", "l": "Content-Length",
        "c": "Content-Type", "e": "Content-Encoding", "s": "Subject", "k": "Supported", "r": "Refer-To",
        "b": "Referred-By", "x": "Session-Expires", "o": "Event", "u": "Allow-Events",
    ]

    private static let canonicalSpellings: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "Via", "From", "To", "Call-ID", "CSeq", "Contact", "Max-Forwards", "Route", "Record-Route",
            "Content-Length", "Content-Type", "Content-Encoding", "Expires", "Min-Expires", "User-Agent", "Server",
            "Allow", "Supported", "Require", "Proxy-Require", "Unsupported", "Accept", "Subject",
            "WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization", "Warning", "Reason",
            "Retry-After", "Date", "P-Asserted-Identity", "Refer-To", "Referred-By", "Session-Expires", "Event",
            "Allow-Events",
        ].map { ($0.lowercased(), $0) }
    )
}

/// One header field: its name and its value, unfolded (RFC 3261 §7.3.1: each CRLF and the whitespace after it
/// became one space) and trimmed.
public struct SIPHeaderField: Hashable, Sendable {
    public var name: SIPHeaderName
    public var value: String

    public init(_ name: SIPHeaderName, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A message's header fields in order, as raw text; the typed accessors (`SIPHeaders+Typed.swift`) parse the ones
/// the stack needs when asked.
public struct SIPHeaders: Hashable, Sendable, Sequence {
    public private(set) var fields: [SIPHeaderField]

    public init(_ fields: [SIPHeaderField] = []) {
        self.fields = fields
    }

    public func makeIterator() -> IndexingIterator<[SIPHeaderField]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The first value of `name`, raw.
    public subscript(name: SIPHeaderName) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every field line of `name`, raw, in order (a line may still hold a comma-separated list).
    public func lines(_ name: SIPHeaderName) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Every value of `name`, with comma-separated lists split (commas inside quoted strings and `<…>` are not
    /// separators), empty values included so that validation can reject them (RFC 4475 §3.1.2.1).
    public func values(_ name: SIPHeaderName) -> [String] {
        lines(name).flatMap(Self.splitList)
    }

    public mutating func append(_ name: SIPHeaderName, _ value: String) {
        fields.append(SIPHeaderField(name, value))
    }

    /// Inserts a field before every other (a Via on a forwarded request, a Route).
    public mutating func prepend(_ name: SIPHeaderName, _ value: String) {
        fields.insert(SIPHeaderField(name, value), at: 0)
    }

    /// Replaces every field of `name` by one with `value`, where the first one was (or at the end).
    public mutating func set(_ name: SIPHeaderName, _ value: String) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].value = value
            var seen = false
            fields.removeAll { field in
                guard field.name == name else { return false }
                defer { seen = true }
                return seen
            }
        } else {
            append(name, value)
        }
    }

    public mutating func remove(_ name: SIPHeaderName) {
        fields.removeAll { $0.name == name }
    }

    /// Splits a header value at top-level commas.
    public static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var inAngles = false
        var escaped = false
        for byte in value.utf8 {
            if inQuotes {
                current.append(byte)
                if escaped {
                    escaped = false
                } else if byte == SIPGrammar.backslash {
                    escaped = true
                } else if byte == SIPGrammar.quote {
                    inQuotes = false
                }
                continue
            }
            switch byte {
            case SIPGrammar.quote:
                inQuotes = true
                current.append(byte)
            case SIPGrammar.lessThan:
                inAngles = true
                current.append(byte)
            case SIPGrammar.greaterThan:
                inAngles = false
                current.append(byte)
            case SIPGrammar.comma where !inAngles:
                parts.append(Self.trimmed(current))
                current.removeAll(keepingCapacity: true)
            default:
                current.append(byte)
            }
        }
        parts.append(Self.trimmed(current))
        return parts
    }

    static func trimmed<C: BidirectionalCollection>(_ bytes: C) -> String where C.Element == UInt8 {
        var slice = bytes[...]
        while let first = slice.first, SIPGrammar.isWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, SIPGrammar.isWhitespace(last) { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
