import SIPWire

/// One SIP trunk as the stack runs it: where the peer is, how to reach it, and the optional registration.
/// Made by the host from the Store's trunk records.
public struct SIPTrunkConfiguration: Hashable, Sendable {
    /// The trunk's name (unique; what route patterns and the status name it by).
    public var name: String
    /// The peer's host name or address.
    public var host: String
    public var port: Int
    public var transport: SIPTransport
    /// Register with these credentials (and answer the peer's digest challenges with them); nil: no registration.
    public var credentials: DigestCredentials?
    /// The domain in From, To and the REGISTER Request-URI; the host when nil.
    public var fromDomain: String?
    /// Whether a request from an address that is not the trunk's is accepted when it authenticates with the
    /// trunk's credentials (a carrier whose gateways send from many addresses). Needs ``credentials``.
    public var acceptsInboundCredentials: Bool
    /// What inbound called numbers become before they are looked up.
    public var inboundTranslation: SIPInboundTranslation
    /// The most calls the trunk may carry at once (a carrier's channels); nil: the endpoint's default
    /// (``SIPEndpoint/Settings/maximumCallsPerTrunk``). Past it an INVITE is answered 503 and an outgoing call fails
    /// at once (reorder).
    public var maximumCalls: Int?

    public init(
        name: String,
        host: String,
        port: Int? = nil,
        transport: SIPTransport = .udp,
        credentials: DigestCredentials? = nil,
        fromDomain: String? = nil,
        acceptsInboundCredentials: Bool = false,
        inboundTranslation: SIPInboundTranslation = SIPInboundTranslation(),
        maximumCalls: Int? = nil
    ) {
        self.name = name
        self.host = host
        self.port = port ?? transport.defaultPort
        self.transport = transport
        self.credentials = credentials
        self.fromDomain = fromDomain
        self.acceptsInboundCredentials = acceptsInboundCredentials
        self.inboundTranslation = inboundTranslation
        self.maximumCalls = maximumCalls
    }

    /// Where requests to the trunk go.
    public var peer: SIPPeer { SIPPeer(transport: transport, host: host, port: port) }

    /// The domain of this side's and the peer's addresses in requests to the trunk.
    public var domain: String { fromDomain ?? host }
}

/// How an inbound call's called number (the Request-URI's user part, a DID) becomes a directory number: strip
/// leading digits, then prefix; a number that is empty afterwards, or a call without one, goes to the default
/// number.
public struct SIPInboundTranslation: Hashable, Sendable {
    public var stripDigits: Int
    public var prefix: String
    public var defaultNumber: String?

    public init(stripDigits: Int = 0, prefix: String = "", defaultNumber: String? = nil) {
        self.stripDigits = stripDigits
        self.prefix = prefix
        self.defaultNumber = defaultNumber
    }

    /// The directory number `called` (a Request-URI user part, percent-decoded, maybe with a leading `+` and
    /// visual separators) is translated to; nil when there is none and no default.
    public func translate(_ called: String?) -> String? {
        let digits = (called ?? "").filter { $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "*" || $0 == "#") }
        guard !digits.isEmpty else { return defaultNumber }
        let stripped = String(digits.dropFirst(stripDigits))
        guard !stripped.isEmpty else { return defaultNumber }
        return prefix + stripped
    }
}
