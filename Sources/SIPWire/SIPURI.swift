/// A URI as SIP carries it: `sip:` and `sips:` (RFC 3261 §19.1), `tel:` (RFC 3966), or any other absolute URI, kept
/// opaque (RFC 4475 §3.3.2–§3.3.4: an unknown scheme must parse, and is answered 416 only where it is used).
///
/// Escapes (`%41`) are kept as received, so that a URI serialises back to the same text; ``decodedUser`` resolves
/// them for comparisons with dialled digits.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: Hashable, Sendable, CustomStringConvertible {
        case sip
        case sips
        case tel
        /// Any other scheme, lower-cased.
        case other(String)

        public var description: String {
            switch self {
            case .sip: "sip"
            case .sips: "sips"
            case .tel: "tel"
            case .other(let name): name
            }
        }
    }

    /// A `?name=value` header of a SIP URI (RFC 3261 §19.1.1).
    public struct Header: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var scheme: Scheme
    /// The user part (sip/sips), escaped as received; nil when the URI has none.
    public var user: String?
    public var password: String?
    /// The host (sip/sips: a name, an IPv4 address or a bracketed IPv6 reference), the number (tel), or everything
    /// after the colon (other schemes).
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters
    public var headers: [Header]

    public init(
        scheme: Scheme = .sip,
        user: String? = nil,
        password: String? = nil,
        host: String,
        port: Int? = nil,
        parameters: SIPParameters = SIPParameters(),
        headers: [Header] = []
    ) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    /// The user part with `%HH` escapes resolved.
    public var decodedUser: String? {
        user.map(Self.percentDecoded)
    }

    /// The `transport` parameter, lower-cased.
    public var transportParameter: String? {
        parameters.value("transport")?.lowercased()
    }

    /// `host[:port]`, with the port only when it is set.
    public var hostPort: String {
        port.map { "\(host):\($0)" } ?? host
    }

    public var description: String {
        switch scheme {
        case .other(let name):
            return "\(name):\(host)"
        case .tel:
            return "tel:\(host)\(parameters)"
        case .sip, .sips:
            var text = "\(scheme):"
            if let user {
                text += user
                if let password { text += ":\(password)" }
                text += "@"
            }
            text += hostPort
            text += parameters.description
            if !headers.isEmpty {
                text += "?" + headers.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            }
            return text
        }
    }

    /// Parses a whole URI; throws ``SIPParseError/Code/invalidURI`` naming what is wrong.
    public init(parsing text: String) throws(SIPParseError) {
        self = try Self.parse(Array(text.utf8)[...])
    }

    static func parse(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> SIPURI {
        func fail(_ why: String) -> SIPParseError {
            SIPParseError(code: .invalidURI, detail: "URI \(why)")
        }
        guard let colon = bytes.firstIndex(of: SIPGrammar.colon), colon > bytes.startIndex else {
            throw fail("has no scheme")
        }
        let schemeBytes = bytes[bytes.startIndex..<colon]
        guard let first = schemeBytes.first, SIPGrammar.isAlpha(first),
            schemeBytes.allSatisfy({
                SIPGrammar.isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ".")
            })
        else { throw fail("has an invalid scheme") }
        let scheme = String(decoding: schemeBytes.map(SIPGrammar.lowercased), as: UTF8.self)
        let rest = bytes[(colon + 1)...]
        guard !rest.isEmpty else { throw fail("is empty after the scheme") }
        switch scheme {
        case "sip", "sips":
            return try parseSIP(rest, scheme: scheme == "sip" ? .sip : .sips)
        case "tel":
            return try parseTel(rest)
        default:
            guard rest.allSatisfy(SIPGrammar.isOpaqueURICharacter) else { throw fail("has an invalid character") }
            return SIPURI(scheme: .other(scheme), host: String(decoding: rest, as: UTF8.self))
        }
    }

    private static func parseSIP(_ bytes: ArraySlice<UInt8>, scheme: Scheme) throws(SIPParseError) -> SIPURI {
        func fail(_ why: String) -> SIPParseError {
            SIPParseError(code: .invalidURI, detail: "SIP URI \(why)")
        }
        var remainder = bytes
        var user: String?
        var password: String?
        // Neither the host, the parameters nor the headers may hold '@', so the first '@' ends the userinfo
        // (whose user part may hold ';', '?', ',' and '/': RFC 4475 §3.1.1.2 and §3.1.1.9).
        if let at = remainder.firstIndex(of: SIPGrammar.at) {
            let userinfo = remainder[remainder.startIndex..<at]
            let userBytes: ArraySlice<UInt8>
            if let colon = userinfo.firstIndex(of: SIPGrammar.colon) {
                userBytes = userinfo[userinfo.startIndex..<colon]
                let passwordBytes = userinfo[(colon + 1)...]
                guard Self.isEscaped(passwordBytes, allowing: SIPGrammar.isPasswordCharacter) else {
                    throw fail("has an invalid password")
                }
                password = String(decoding: passwordBytes, as: UTF8.self)
            } else {
                userBytes = userinfo
            }
            guard !userBytes.isEmpty, Self.isEscaped(userBytes, allowing: SIPGrammar.isUserCharacter) else {
                throw fail("has an invalid user part")
            }
            user = String(decoding: userBytes, as: UTF8.self)
            remainder = remainder[(at + 1)...]
        }
        var scanner = SIPScanner(Array(remainder))
        let host = try parseHost(&scanner)
        var port: Int?
        if scanner.consumeExactly(SIPGrammar.colon) {
            let digits = scanner.readWhile(SIPGrammar.isDigit)
            guard let value = SIPGrammar.parseDecimal(digits, maximum: 65_535) else {
                throw fail("has an invalid port")
            }
            port = Int(value)
        }
        var parameters = SIPParameters()
        while scanner.consumeExactly(SIPGrammar.semicolon) {
            let name = scanner.readWhile({ SIPGrammar.isURIParameterCharacter($0) || $0 == SIPGrammar.percent })
            guard !name.isEmpty, isEscaped(name, allowing: SIPGrammar.isURIParameterCharacter) else {
                throw fail("has an invalid parameter")
            }
            var value: String?
            if scanner.consumeExactly(SIPGrammar.equals) {
                let valueBytes = scanner.readWhile({
                    SIPGrammar.isURIParameterCharacter($0) || $0 == SIPGrammar.percent
                })
                guard !valueBytes.isEmpty, isEscaped(valueBytes, allowing: SIPGrammar.isURIParameterCharacter) else {
                    throw fail("has an invalid parameter value")
                }
                value = String(decoding: valueBytes, as: UTF8.self)
            }
            parameters.items.append(.init(name: String(decoding: name, as: UTF8.self), value: value))
        }
        var headers: [Header] = []
        if scanner.consumeExactly(SIPGrammar.question) {
            repeat {
                let name = scanner.readWhile({ SIPGrammar.isURIHeaderCharacter($0) || $0 == SIPGrammar.percent })
                guard !name.isEmpty, isEscaped(name, allowing: SIPGrammar.isURIHeaderCharacter),
                    scanner.consumeExactly(SIPGrammar.equals)
                else { throw fail("has an invalid header") }
                let value = scanner.readWhile({ SIPGrammar.isURIHeaderCharacter($0) || $0 == SIPGrammar.percent })
                guard isEscaped(value, allowing: SIPGrammar.isURIHeaderCharacter) else {
                    throw fail("has an invalid header value")
                }
                headers.append(
                    Header(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
                )
            } while scanner.consumeExactly(SIPGrammar.ampersand)
        }
        guard scanner.isAtEnd else { throw fail("has an unexpected character after the host") }
        return SIPURI(
            scheme: scheme,
            user: user,
            password: password,
            host: host,
            port: port,
            parameters: parameters,
            headers: headers
        )
    }

    /// `host = hostname / IPv4address / IPv6reference`.
    static func parseHost(_ scanner: inout SIPScanner) throws(SIPParseError) -> String {
        if scanner.peek == UInt8(ascii: "[") {
            let start = scanner.index
            scanner.index += 1
            let inner = scanner.readWhile {
                SIPGrammar.isHexDigit($0) || $0 == SIPGrammar.colon || $0 == UInt8(ascii: ".")
            }
            guard inner.contains(SIPGrammar.colon), scanner.consumeExactly(UInt8(ascii: "]")) else {
                throw SIPParseError(code: .invalidURI, detail: "host has an invalid IPv6 reference")
            }
            return String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)
        }
        let host = scanner.readWhile(SIPGrammar.isHostCharacter)
        guard let first = host.first, SIPGrammar.isAlphanumeric(first) else {
            throw SIPParseError(code: .invalidURI, detail: "host is missing or invalid")
        }
        return String(decoding: host, as: UTF8.self)
    }

    /// RFC 3966: `tel:` global (`+` and digits) or local number, with visual separators, then parameters.
    private static func parseTel(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) -> SIPURI {
        var scanner = SIPScanner(Array(bytes))
        let number = scanner.readWhile {
            SIPGrammar.isHexDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")") || $0 == UInt8(ascii: "*")
                || $0 == UInt8(ascii: "#")
        }
        guard !number.isEmpty else { throw SIPParseError(code: .invalidURI, detail: "tel URI has no number") }
        var parameters = SIPParameters()
        while scanner.consumeExactly(SIPGrammar.semicolon) {
            let name = scanner.readWhile { SIPGrammar.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            guard !name.isEmpty else {
                throw SIPParseError(code: .invalidURI, detail: "tel URI has an invalid parameter")
            }
            var value: String?
            if scanner.consumeExactly(SIPGrammar.equals) {
                let valueBytes = scanner.readWhile({
                    SIPGrammar.isURIParameterCharacter($0) || $0 == SIPGrammar.percent
                })
                guard !valueBytes.isEmpty else {
                    throw SIPParseError(code: .invalidURI, detail: "tel URI has an invalid parameter value")
                }
                value = String(decoding: valueBytes, as: UTF8.self)
            }
            parameters.items.append(.init(name: String(decoding: name, as: UTF8.self), value: value))
        }
        guard scanner.isAtEnd else {
            throw SIPParseError(code: .invalidURI, detail: "tel URI has an invalid character")
        }
        return SIPURI(scheme: .tel, host: String(decoding: number, as: UTF8.self), parameters: parameters)
    }

    /// Whether `bytes` are all `allowed` characters or well-formed `%HH` escapes.
    static func isEscaped(_ bytes: ArraySlice<UInt8>, allowing allowed: (UInt8) -> Bool) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == SIPGrammar.percent {
                guard index + 2 < bytes.endIndex else { return false }
                guard SIPGrammar.isHexDigit(bytes[index + 1]), SIPGrammar.isHexDigit(bytes[index + 2]) else {
                    return false
                }
                index += 3
            } else {
                guard allowed(byte) else { return false }
                index += 1
            }
        }
        return true
    }

    /// Resolves `%HH` escapes; malformed ones are kept as they are.
    public static func percentDecoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == SIPGrammar.percent, index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
