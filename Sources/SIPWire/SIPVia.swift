/// One Via value (RFC 3261 §20.42): `SIP/2.0/UDP host:port;branch=z9hG4bK…;received=…;rport`.
public struct SIPVia: Hashable, Sendable, CustomStringConvertible {
    /// The transport token, upper-cased (`UDP`, `TCP`, `TLS`, `SCTP`, or any other token: RFC 4475 §3.1.1.10).
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: SIPParameters

    public init(transport: String, host: String, port: Int? = nil, branch: String? = nil) {
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        self.parameters = SIPParameters()
        if let branch { self.parameters.set("branch", branch) }
    }

    /// The transaction id a request carries (RFC 3261 §8.1.1.7); nil for an RFC 2543 peer that sends none.
    public var branch: String? { parameters.value("branch") }

    /// Whether the branch starts with the RFC 3261 magic cookie, i.e. can be used alone to match transactions
    /// (§17.2.3).
    public var hasRFC3261Branch: Bool {
        branch.map { $0.hasPrefix(SIPLimits.branchMagicCookie) && $0.count > SIPLimits.branchMagicCookie.count }
            ?? false
    }

    public var received: String? { parameters.value("received") }

    /// `rport` (RFC 3581): present without a value in a request that asks for it; with the source port in the
    /// response.
    public var rport: Int?? {
        guard let value = parameters["rport"] else { return nil }
        return .some(value.flatMap { Int($0) })
    }

    public var description: String {
        "SIP/2.0/\(transport) \(port.map { "\(host):\($0)" } ?? host)\(parameters)"
    }

    /// Parses one Via value (after comma splitting).
    public init(parsing text: String) throws(SIPParseError) {
        func fail(_ why: String) -> SIPParseError {
            SIPParseError(code: .invalidHeaderValue, detail: "Via: \(why)")
        }
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        guard let protocolName = scanner.readToken(), protocolName.caseInsensitiveEquals("SIP"),
            scanner.consume(SIPGrammar.slash), let version = scanner.readToken(), version == "2.0",
            scanner.consume(SIPGrammar.slash), let transport = scanner.readToken()
        else { throw fail("sent-protocol is not SIP/2.0/transport") }
        scanner.skipWhitespace()
        let host: String
        do throws(SIPParseError) {
            host = try SIPURI.parseHost(&scanner)
        } catch {
            throw fail("no valid host")
        }
        var port: Int?
        if scanner.consume(SIPGrammar.colon) {
            guard let value = SIPGrammar.parseDecimal(scanner.readWhile(SIPGrammar.isDigit), maximum: 65_535) else {
                throw fail("invalid port")
            }
            port = Int(value)
        }
        guard let parameters = SIPParameters.parseHeaderParameters(&scanner) else { throw fail("invalid parameter") }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw fail("unexpected text after the parameters") }
        self.transport = transport.uppercased()
        self.host = host
        self.port = port
        self.parameters = parameters
    }
}

/// A CSeq value (RFC 3261 §20.16): a sequence number below 2^31 and a method.
public struct SIPCSeq: Hashable, Sendable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public var description: String { "\(sequence) \(method)" }

    public init(parsing text: String) throws(SIPParseError) {
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        guard
            let number = SIPGrammar.parseDecimal(
                scanner.readWhile(SIPGrammar.isDigit),
                maximum: UInt64(SIPLimits.maximumCSeq)
            )
        else { throw SIPParseError(code: .invalidHeaderValue, detail: "CSeq: not a number below 2^31") }
        scanner.skipWhitespace()
        guard let token = scanner.readToken(), let method = SIPMethod(token: token) else {
            throw SIPParseError(code: .invalidHeaderValue, detail: "CSeq: no method")
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw SIPParseError(code: .invalidHeaderValue, detail: "CSeq: trailing text") }
        self.sequence = UInt32(number)
        self.method = method
    }
}

/// A `name-addr` or `addr-spec` with header parameters (From, To, Contact, Route, Record-Route, RFC 3261 §20):
/// `"Alice" <sip:alice@example.com>;tag=1928301774`.
public struct SIPNameAddress: Hashable, Sendable, CustomStringConvertible {
    /// The display name, unquoted; nil when absent.
    public var displayName: String?
    public var uri: SIPURI
    public var parameters: SIPParameters

    public init(displayName: String? = nil, uri: SIPURI, parameters: SIPParameters = SIPParameters()) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    /// The `tag` parameter (From/To: RFC 3261 §19.3).
    public var tag: String? {
        get { parameters.value("tag") }
        set {
            if let newValue { parameters.set("tag", newValue) } else { parameters.remove("tag") }
        }
    }

    /// Always serialised in the `name-addr` form (`<…>`), which is valid whatever the URI holds.
    public var description: String {
        let name = displayName.map { $0.isEmpty ? "" : "\($0.sipQuoted) " } ?? ""
        return "\(name)<\(uri)>\(parameters)"
    }

    public init(parsing text: String, header: String = "address") throws(SIPParseError) {
        func fail(_ why: String) -> SIPParseError {
            SIPParseError(code: .invalidHeaderValue, detail: "\(header): \(why)")
        }
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        var displayName: String?
        let uriBytes: ArraySlice<UInt8>
        if scanner.peek == SIPGrammar.quote {
            guard let quoted = scanner.readQuotedString() else { throw fail("unterminated quoted display name") }
            displayName = quoted
            scanner.skipWhitespace()
            guard scanner.peek == SIPGrammar.lessThan else { throw fail("display name without <URI>") }
        }
        if scanner.peek != SIPGrammar.lessThan {
            // Either `*(token LWS) <…>` or a bare addr-spec. Look ahead for '<' outside any quoted string.
            let rest = scanner.rest
            if let angle = rest.firstIndex(of: SIPGrammar.lessThan) {
                let nameBytes = rest[rest.startIndex..<angle]
                var nameScanner = SIPScanner(Array(nameBytes))
                var words: [String] = []
                nameScanner.skipWhitespace()
                while !nameScanner.isAtEnd {
                    guard let word = nameScanner.readToken() else { throw fail("display name is not tokens") }
                    words.append(word)
                    nameScanner.skipWhitespace()
                }
                displayName = words.joined(separator: " ")
                scanner.index = angle
            }
        }
        var parameters: SIPParameters
        if scanner.consumeExactly(SIPGrammar.lessThan) {
            let start = scanner.index
            guard let end = scanner.bytes[start...].firstIndex(of: SIPGrammar.greaterThan) else {
                throw fail("< without >")
            }
            uriBytes = scanner.bytes[start..<end]
            scanner.index = end + 1
        } else {
            // addr-spec: RFC 3261 §20.10, a URI with a comma, question mark or semicolon must be in <>, so the URI
            // ends at the first ';' (the header parameters) — or whitespace.
            let start = scanner.index
            let end =
                scanner.bytes[start...].firstIndex { $0 == SIPGrammar.semicolon || SIPGrammar.isWhitespace($0) }
                ?? scanner.bytes.endIndex
            uriBytes = scanner.bytes[start..<end]
            if uriBytes.contains(SIPGrammar.question) { throw fail("URI with headers must be in <>") }
            scanner.index = end
        }
        do throws(SIPParseError) {
            self.uri = try SIPURI.parse(uriBytes)
        } catch {
            throw fail(error.detail)
        }
        guard let parsed = SIPParameters.parseHeaderParameters(&scanner) else { throw fail("invalid parameter") }
        parameters = parsed
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw fail("unexpected text") }
        self.displayName = displayName
        self.parameters = parameters
    }
}
