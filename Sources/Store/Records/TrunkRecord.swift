/// A SIP trunk: a gateway, carrier or PBX that Strowger exchanges calls with over SIP (issue 15). Table `trunk`
/// (migration `addSIPTrunks`), keyed by name.
///
/// The registration password is stored as given, because the digest client needs it: RFC 8760's response is a
/// hash over `user:realm:password` and the realm is known only when the carrier's challenge arrives (and SHA-256
/// and MD5 need different hashes). It is protected the way the whole database is (the data directory and
/// `strowger.db` are the server user's alone; docs/sip.md), never returned by the admin API (which says only
/// whether one is set) and never logged.
public struct TrunkRecord: Codable, Hashable, Sendable {
    public enum Transport: String, Codable, Hashable, Sendable, CaseIterable {
        case udp
        case tcp
        case tls

        /// 5060, 5061 for TLS (RFC 3261 §19.1.2).
        public var defaultPort: Int { self == .tls ? 5061 : 5060 }
    }

    /// The longest host name DNS allows as text (RFC 1035).
    public static let maximumHostLength = 253
    /// Longest user name, password and domain accepted (carriers' are far shorter; the bound keeps rows small).
    public static let maximumCredentialLength = 128

    /// 1–64 of letters, digits, `.`, `_` and `-`, unique without regard to case.
    public var name: String
    /// The peer's host name or IP address (IPv6 without brackets).
    public var host: String
    /// The peer's port; nil for the transport's default.
    public var port: Int?
    public var transport: Transport
    /// Register with the peer as this user (and answer its challenges with it); nil: no registration.
    public var registrationUser: String?
    /// The password that goes with ``registrationUser``.
    public var registrationPassword: String?
    /// The domain of From, To and the REGISTER Request-URI; the host when nil.
    public var fromDomain: String?
    /// Accept requests from other addresses that authenticate with the registration credentials.
    public var acceptsInboundCredentials: Bool
    /// Inbound called numbers: drop this many leading digits …
    public var inboundStrip: Int
    /// … then put these in front.
    public var inboundPrefix: String
    /// Where an inbound call goes when its called number is empty after translation or is no directory number.
    public var defaultNumber: String?
    public var description: String
    /// The most calls the trunk carries at once (a carrier's channels); nil: the server's default (200). Past it an
    /// inbound INVITE is answered 503 and an outgoing call gets reorder. Column added by migration `addSIPCalls`.
    public var maxCalls: Int?

    /// The largest ``maxCalls``: the SIP endpoint holds 4,096 calls in all.
    public static let maximumMaxCalls = 4_096

    public init(
        name: String,
        host: String,
        port: Int? = nil,
        transport: Transport = .udp,
        registrationUser: String? = nil,
        registrationPassword: String? = nil,
        fromDomain: String? = nil,
        acceptsInboundCredentials: Bool = false,
        inboundStrip: Int = 0,
        inboundPrefix: String = "",
        defaultNumber: String? = nil,
        description: String = "",
        maxCalls: Int? = nil
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.transport = transport
        self.registrationUser = registrationUser
        self.registrationPassword = registrationPassword
        self.fromDomain = fromDomain
        self.acceptsInboundCredentials = acceptsInboundCredentials
        self.inboundStrip = inboundStrip
        self.inboundPrefix = inboundPrefix
        self.defaultNumber = defaultNumber
        self.description = description
        self.maxCalls = maxCalls
    }

    /// The port in use: ``port`` or the transport's default.
    public var effectivePort: Int { port ?? transport.defaultPort }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Self.validateName(name, field: "trunk.name")
        guard CallManagerGroupRecord.Member.isValidHost(host), host.utf8.count <= Self.maximumHostLength else {
            throw .invalidValue(
                "trunk.host",
                "trunk host \(Validation.quoted(host)) must be a host name or IP address (letters, digits, . - :)"
            )
        }
        if let port {
            try Validation.range(port, 1...65_535, field: "trunk.port")
        }
        switch (registrationUser, registrationPassword) {
        case (nil, nil):
            guard !acceptsInboundCredentials else {
                throw .invalidValue(
                    "trunk.acceptsInboundCredentials",
                    "trunk accepting inbound credentials needs registration credentials (user and password)"
                )
            }
        case (let user?, let password?):
            try Self.validateCredential(user, field: "trunk.registrationUser")
            try Self.validateCredential(password, field: "trunk.registrationPassword")
        default:
            throw .invalidValue(
                "trunk.registrationPassword",
                "trunk registration needs both a user and a password"
            )
        }
        if let fromDomain {
            guard CallManagerGroupRecord.Member.isValidHost(fromDomain) else {
                throw .invalidValue(
                    "trunk.fromDomain",
                    "trunk from-domain \(Validation.quoted(fromDomain)) must be a domain or IP address"
                )
            }
        }
        try Validation.range(inboundStrip, 0...32, field: "trunk.inboundStrip")
        try Validation.optionalDialString(inboundPrefix.isEmpty ? nil : inboundPrefix, field: "trunk.inboundPrefix")
        if let defaultNumber {
            try Validation.directoryNumber(defaultNumber, field: "trunk.defaultNumber")
        }
        if let maxCalls {
            try Validation.range(maxCalls, 1...Self.maximumMaxCalls, field: "trunk.maxCalls")
        }
        try Validation.text(
            description,
            field: "trunk.description",
            maximumLength: Validation.maximumDescriptionLength,
            allowsEmpty: true
        )
    }

    static func validateName(_ name: String, field: String) throws(StoreError) {
        let valid =
            !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
        guard valid else {
            throw .invalidValue(field, "trunk name \(Validation.quoted(name)) must be 1-64 of letters, digits, . _ -")
        }
    }

    /// Printable ASCII without `"`, `\` or `:` in a user name (they would need quoting in a digest header, and
    /// the CLI splits USER:PASSWORD at the first colon).
    private static func validateCredential(_ value: String, field: String) throws(StoreError) {
        let isUser = field.hasSuffix("User")
        let valid =
            !value.isEmpty && value.utf8.count <= maximumCredentialLength
            && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            && (!isUser || !value.contains(":"))
        guard valid else {
            throw .invalidValue(
                field,
                "trunk \(isUser ? "registration user" : "registration password") must be 1-\(maximumCredentialLength)"
                    + " printable characters without spaces, quotes or backslashes\(isUser ? " or colons" : "")"
            )
        }
    }
}

extension TrunkRecord: SQLRecord {
    static let tableName = "trunk"
    static let primaryKey = "name"
}
