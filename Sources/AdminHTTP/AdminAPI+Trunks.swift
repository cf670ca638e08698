public import Foundation

extension AdminAPI {
    // MARK: - SIP trunks

    /// A SIP trunk (`/api/trunks`). In a response the password is never shown: ``hasRegistrationPassword`` says
    /// whether one is set. `POST` needs `name` and `host`; `PATCH /api/trunks/{name}` changes the fields given
    /// (`registrationUser: ""` removes the registration; `fromDomain: ""` and `defaultNumber: ""` clear them).
    public struct Trunk: Codable, Hashable, Sendable {
        public var name: String?
        public var host: String?
        /// nil: the transport's default (5060, 5061 for TLS).
        public var port: Int?
        /// `udp` (default), `tcp` or `tls`.
        public var transport: String?
        public var registrationUser: String?
        /// Requests only; responses leave it out.
        public var registrationPassword: String?
        /// Responses only.
        public var hasRegistrationPassword: Bool?
        public var fromDomain: String?
        public var acceptsInboundCredentials: Bool?
        public var inboundStrip: Int?
        public var inboundPrefix: String?
        public var defaultNumber: String?
        public var description: String?
        /// The most calls at once; nil (or 0 in a request): the server's default (200).
        public var maxCalls: Int?

        public init(
            name: String? = nil,
            host: String? = nil,
            port: Int? = nil,
            transport: String? = nil,
            registrationUser: String? = nil,
            registrationPassword: String? = nil,
            hasRegistrationPassword: Bool? = nil,
            fromDomain: String? = nil,
            acceptsInboundCredentials: Bool? = nil,
            inboundStrip: Int? = nil,
            inboundPrefix: String? = nil,
            defaultNumber: String? = nil,
            description: String? = nil,
            maxCalls: Int? = nil
        ) {
            self.name = name
            self.host = host
            self.port = port
            self.transport = transport
            self.registrationUser = registrationUser
            self.registrationPassword = registrationPassword
            self.hasRegistrationPassword = hasRegistrationPassword
            self.fromDomain = fromDomain
            self.acceptsInboundCredentials = acceptsInboundCredentials
            self.inboundStrip = inboundStrip
            self.inboundPrefix = inboundPrefix
            self.defaultNumber = defaultNumber
            self.description = description
            self.maxCalls = maxCalls
        }
    }

    /// A trunk's live state (`GET /api/status/trunks`, `strowger show status`).
    public struct TrunkStatus: Codable, Hashable, Sendable {
        public var name: String
        /// `unknown` (no OPTIONS answered yet), `up` or `down`.
        public var state: String
        /// The last OPTIONS response's status code and reason; nil before the first or after a timeout.
        public var lastResponseCode: Int?
        public var lastResponseReason: String?
        /// When the last OPTIONS was answered or gave up.
        public var lastCheck: Date?
        /// When `state` last changed.
        public var since: Date?
        /// `disabled`, `registering`, `registered`, `failed`.
        public var registration: String
        /// Registered until (`registered`), or the next attempt (`failed`).
        public var registrationUntil: Date?
        /// The status and reason of the last failed registration.
        public var registrationError: String?
        /// Calls on the trunk now (set up, in progress or ending).
        public var activeCalls: Int?

        public init(
            name: String,
            state: String,
            lastResponseCode: Int? = nil,
            lastResponseReason: String? = nil,
            lastCheck: Date? = nil,
            since: Date? = nil,
            registration: String,
            registrationUntil: Date? = nil,
            registrationError: String? = nil,
            activeCalls: Int? = nil
        ) {
            self.name = name
            self.state = state
            self.lastResponseCode = lastResponseCode
            self.lastResponseReason = lastResponseReason
            self.lastCheck = lastCheck
            self.since = since
            self.registration = registration
            self.registrationUntil = registrationUntil
            self.registrationError = registrationError
            self.activeCalls = activeCalls
        }
    }
}

/// The SIP service's live trunk states, for the admin API; the composition root provides it.
public protocol AdminTrunkStatus: Sendable {
    func trunkStatuses() async -> [AdminAPI.TrunkStatus]
}
