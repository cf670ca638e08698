/// `;name=value` parameters of a URI or a header value, in order. Names compare case-insensitively (RFC 3261 §7.3.1);
/// a parameter may have no value (`;lr`).
public struct SIPParameters: Hashable, Sendable, CustomStringConvertible {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        /// nil for a parameter without `=`; a quoted value is kept with its quotes resolved and ``isQuoted`` set.
        public var value: String?
        public var isQuoted: Bool

        public init(name: String, value: String?, isQuoted: Bool = false) {
            self.name = name
            self.value = value
            self.isQuoted = isQuoted
        }
    }

    public var items: [Parameter]

    public init(_ items: [Parameter] = []) {
        self.items = items
    }

    public var isEmpty: Bool { items.isEmpty }

    /// Whether a parameter with this name is present (with or without a value).
    public func contains(_ name: String) -> Bool {
        items.contains { $0.name.caseInsensitiveEquals(name) }
    }

    /// The value of the first parameter with this name; `.some(nil)` when it has no value, nil when absent.
    public subscript(name: String) -> String?? {
        guard let item = items.first(where: { $0.name.caseInsensitiveEquals(name) }) else { return nil }
        return .some(item.value)
    }

    /// The value, or nil when absent or valueless.
    public func value(_ name: String) -> String? {
        self[name] ?? nil
    }

    /// Sets (replacing every one of that name) or, with nil, adds a valueless parameter.
    public mutating func set(_ name: String, _ value: String?, quoted: Bool = false) {
        let item = Parameter(name: name, value: value, isQuoted: quoted)
        if let index = items.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
            items[index] = item
            items.removeAll { $0.name.caseInsensitiveEquals(name) && $0 != item }
        } else {
            items.append(item)
        }
    }

    public mutating func remove(_ name: String) {
        items.removeAll { $0.name.caseInsensitiveEquals(name) }
    }

    /// `;a=b;c`, as serialised after a URI or header value.
    public var description: String {
        items.map { item in
            guard let value = item.value else { return ";\(item.name)" }
            return ";\(item.name)=\(item.isQuoted ? value.sipQuoted : value)"
        }.joined()
    }

    /// Parses header parameters: `*( SEMI generic-param )`, `generic-param = token [ EQUAL gen-value ]`,
    /// `gen-value = token / host / quoted-string`. The scanner stands before the first `;`. Stops at the end or at
    /// anything that is not `;` (the caller decides whether that is an error).
    static func parseHeaderParameters(_ scanner: inout SIPScanner) -> SIPParameters? {
        var result = SIPParameters()
        while scanner.consume(SIPGrammar.semicolon) {
            guard let name = scanner.readToken() else { return nil }
            if scanner.consume(SIPGrammar.equals) {
                if scanner.peek == SIPGrammar.quote {
                    guard let value = scanner.readQuotedString() else { return nil }
                    result.items.append(Parameter(name: name, value: value, isQuoted: true))
                } else {
                    // token / host (an IPv6 reference has [ ] and :).
                    let value = scanner.readWhile {
                        SIPGrammar.isTokenCharacter($0) || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]")
                            || $0 == SIPGrammar.colon
                    }
                    guard !value.isEmpty else { return nil }
                    result.items.append(Parameter(name: name, value: String(decoding: value, as: UTF8.self)))
                }
            } else {
                result.items.append(Parameter(name: name, value: nil))
            }
            scanner.skipWhitespace()
        }
        return result
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = self.utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { SIPGrammar.lowercased($0) == SIPGrammar.lowercased($1) }
    }
}
