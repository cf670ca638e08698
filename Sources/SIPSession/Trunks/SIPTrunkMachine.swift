public import SIPWire

/// One trunk's life without calls: an OPTIONS keepalive every ``keepAliveInterval`` that decides whether the peer
/// is up, and, when the trunk has credentials, a registration (RFC 3261 §10.2) answered through digest challenges
/// and refreshed before it expires. Sans-I/O: it builds requests and asks for timers; the endpoint runs the
/// transactions and hands back their outcomes.
public struct SIPTrunkMachine: Sendable {
    /// What the trunk's requests are for, so that their outcomes come back to the right part.
    public enum Purpose: Hashable, Sendable {
        case keepAlive
        case register
    }

    public enum Timer: String, Hashable, Sendable {
        /// Send the next OPTIONS.
        case keepAlive
        /// Send the next REGISTER (refresh before expiry, or retry after a failure).
        case register
    }

    public enum Action: Hashable, Sendable {
        /// Start a client transaction with this request to the trunk's peer.
        case send(SIPRequest, Purpose)
        case schedule(Timer, at: SIPInstant)
        case statusChanged(SIPTrunkStatus)
    }

    /// How the trunk machines behave (the same for every trunk).
    public struct Settings: Hashable, Sendable {
        /// Between one OPTIONS's outcome and the next (30 s: a carrier's usual qualify interval).
        public var keepAliveInterval: Duration
        /// The registration lifetime asked for (3600 s, RFC 3261 §10.2.1.1's default).
        public var registrationExpires: UInt32
        /// The first wait after a failed registration; doubles up to ``maximumRetryInterval``.
        public var retryInterval: Duration
        public var maximumRetryInterval: Duration

        public init(
            keepAliveInterval: Duration = .seconds(30),
            registrationExpires: UInt32 = 3600,
            retryInterval: Duration = .seconds(30),
            maximumRetryInterval: Duration = .seconds(600)
        ) {
            self.keepAliveInterval = keepAliveInterval
            self.registrationExpires = registrationExpires
            self.retryInterval = retryInterval
            self.maximumRetryInterval = maximumRetryInterval
        }
    }

    private enum RegistrationState: Sendable {
        case disabled
        /// A REGISTER is out; `answersFreshChallenge` when it answers the challenge that came in reply to the one
        /// before (another challenge then means the credentials are wrong).
        case registering(answersFreshChallenge: Bool)
        case registered(until: SIPInstant)
        case waitingToRetry
    }

    public let configuration: SIPTrunkConfiguration
    public private(set) var status: SIPTrunkStatus
    private let settings: Settings
    private let local: SIPLocalIdentity
    private var keepAliveOutstanding = false
    private var registration: RegistrationState
    private var registerCallID: String?
    private let localTag: String
    private var registerSequence: UInt32 = 0
    private var requestedExpires: UInt32
    /// The last challenge answered, and how many requests answered it (the nonce count).
    private var challenge: DigestChallenge?
    private var nonceCount: UInt32 = 0
    private var retryInterval: Duration

    public init(
        configuration: SIPTrunkConfiguration,
        settings: Settings,
        local: SIPLocalIdentity,
        generator: inout SIPIdentifierGenerator
    ) {
        self.configuration = configuration
        self.settings = settings
        self.local = local
        self.registration = configuration.credentials == nil ? .disabled : .waitingToRetry
        self.status = SIPTrunkStatus(registration: configuration.credentials == nil ? .disabled : .registering)
        self.localTag = generator.tag()
        self.requestedExpires = settings.registrationExpires
        self.retryInterval = settings.retryInterval
    }

    /// Sends the first OPTIONS and, with credentials, the first REGISTER.
    public mutating func start(now: SIPInstant, generator: inout SIPIdentifierGenerator) -> [Action] {
        var actions = sendKeepAlive(generator: &generator)
        if configuration.credentials != nil {
            actions += sendRegister(now: now, generator: &generator)
        }
        return actions
    }

    public mutating func timerFired(
        _ timer: Timer,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch timer {
        case .keepAlive:
            return keepAliveOutstanding ? [] : sendKeepAlive(generator: &generator)
        case .register:
            switch registration {
            case .disabled, .registering:
                return []
            case .registered, .waitingToRetry:
                return sendRegister(now: now, generator: &generator)
            }
        }
    }

    /// A final response (or, `nil`, a timeout / transport failure) to one of the trunk's requests.
    public mutating func outcome(
        of purpose: Purpose,
        response: SIPResponse?,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch purpose {
        case .keepAlive:
            return keepAliveOutcome(response, now: now)
        case .register:
            return registerOutcome(response, now: now, generator: &generator)
        }
    }

    // MARK: - Keepalive

    private mutating func sendKeepAlive(generator: inout SIPIdentifierGenerator) -> [Action] {
        keepAliveOutstanding = true
        var uri = SIPURI(host: configuration.host, port: configuration.port)
        if configuration.transport != .udp { uri.parameters.set("transport", configuration.transport.rawValue) }
        var request = baseRequest(
            .options,
            uri: uri,
            to: SIPNameAddress(uri: SIPURI(host: configuration.domain)),
            fromTag: generator.tag(),
            callID: generator.callID(host: local.host),
            sequence: 1,
            generator: &generator
        )
        request.headers.append(.accept, "application/sdp")
        return [.send(request, .keepAlive)]
    }

    private mutating func keepAliveOutcome(_ response: SIPResponse?, now: SIPInstant) -> [Action] {
        keepAliveOutstanding = false
        var status = self.status
        let reachability: SIPTrunkStatus.Reachability = response == nil ? .down : .up
        if reachability != status.reachability { status.since = now }
        status.reachability = reachability
        status.lastResponse = response.map { ($0.statusCode, $0.reasonPhrase) }
        status.lastCheck = now
        self.status = status
        return [.statusChanged(status), .schedule(.keepAlive, at: now + settings.keepAliveInterval)]
    }

    // MARK: - Registration

    private mutating func sendRegister(
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator,
        answeringFreshChallenge: Bool = false
    ) -> [Action] {
        guard let credentials = configuration.credentials else { return [] }
        let callID = registerCallID ?? generator.callID(host: local.host)
        registerCallID = callID
        registerSequence &+= 1
        let aor = SIPNameAddress(uri: SIPURI(user: credentials.username, host: configuration.domain))
        var uri = SIPURI(host: configuration.domain)
        if configuration.transport != .udp { uri.parameters.set("transport", configuration.transport.rawValue) }
        var request = baseRequest(
            .register,
            uri: uri,
            to: aor,
            from: aor,
            fromTag: localTag,
            callID: callID,
            sequence: registerSequence,
            contactUser: credentials.username,
            generator: &generator
        )
        request.headers.append(.expires, "\(requestedExpires)")
        if let challenge {
            // Answer the last challenge again (nonce count up): most registrars accept it and save a round trip.
            nonceCount &+= 1
            request.headers.append(
                challenge.isProxy ? .proxyAuthorization : .authorization,
                DigestClient.authorization(
                    for: challenge,
                    credentials: credentials,
                    method: .register,
                    uri: uri.description,
                    nonceCount: nonceCount,
                    cnonce: generator.cnonce()
                )
            )
        }
        registration = .registering(answersFreshChallenge: answeringFreshChallenge && challenge != nil)
        var actions: [Action] = [.send(request, .register)]
        switch status.registration {
        case .registered, .registering:
            // A refresh stays registered meanwhile.
            break
        case .disabled, .failed:
            status.registration = .registering
            actions.append(.statusChanged(status))
        }
        return actions
    }

    private mutating func registerOutcome(
        _ response: SIPResponse?,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        guard case .registering(let answersFreshChallenge) = registration else { return [] }
        guard let response else {
            return registrationFailed(408, "Request Timeout", now: now)
        }
        switch response.statusCode {
        case 200..<300:
            let granted = grantedExpires(response) ?? requestedExpires
            guard granted > 0 else { return registrationFailed(response.statusCode, "registration not kept", now: now) }
            let until = now + .seconds(Int64(granted))
            registration = .registered(until: until)
            retryInterval = settings.retryInterval
            status.registration = .registered(until: until)
            // Refresh at 85 % of the lifetime, and at least 5 s before it ends.
            let refreshAfter = max(1, min(Int64(granted) * 85 / 100, Int64(granted) - 5))
            return [.statusChanged(status), .schedule(.register, at: now + .seconds(refreshAfter))]
        case 401, 407:
            guard let next = DigestClient.choose(DigestChallenge.challenges(in: response)) else {
                return registrationFailed(response.statusCode, "no digest challenge this side can answer", now: now)
            }
            if answersFreshChallenge, !next.stale {
                // Challenged again right after answering a challenge: the credentials are wrong. Retry later
                // from scratch (the password may be changed meanwhile).
                challenge = nil
                return registrationFailed(response.statusCode, response.reasonPhrase, now: now)
            }
            challenge = next
            nonceCount = 0
            return sendRegister(now: now, generator: &generator, answeringFreshChallenge: true)
        case 423:
            if let minimum = response.headers[.minExpires].flatMap({ UInt32($0.trimmingCharacters(in: " ")) }),
                minimum > requestedExpires, minimum <= 86_400
            {
                requestedExpires = minimum
                return sendRegister(now: now, generator: &generator)
            }
            return registrationFailed(response.statusCode, response.reasonPhrase, now: now)
        default:
            return registrationFailed(response.statusCode, response.reasonPhrase, now: now)
        }
    }

    private mutating func registrationFailed(_ code: Int, _ reason: String, now: SIPInstant) -> [Action] {
        let retryAt = now + retryInterval
        retryInterval = min(retryInterval * 2, settings.maximumRetryInterval)
        registration = .waitingToRetry
        status.registration = .failed(statusCode: code, reason: reason, retryAt: retryAt)
        return [.statusChanged(status), .schedule(.register, at: retryAt)]
    }

    /// The lifetime the registrar granted (RFC 3261 §10.2.4): the `expires` of the Contact that is ours, else the
    /// Expires header.
    private func grantedExpires(_ response: SIPResponse) -> UInt32? {
        let ours = local.hostPort(for: configuration.transport).lowercased()
        if let contacts = try? response.headers.contacts().addresses {
            let mine =
                contacts.first { $0.uri.hostPort.lowercased() == ours } ?? (contacts.count == 1 ? contacts.first : nil)
            if let value = mine?.parameters.value("expires"), let seconds = UInt32(value) { return seconds }
        }
        return (try? response.headers.expires()) ?? nil
    }

    // MARK: - Building requests

    private func baseRequest(
        _ method: SIPMethod,
        uri: SIPURI,
        to: SIPNameAddress,
        from: SIPNameAddress? = nil,
        fromTag: String,
        callID: String,
        sequence: UInt32,
        contactUser: String = "strowger",
        generator: inout SIPIdentifierGenerator
    ) -> SIPRequest {
        var fromAddress = from ?? SIPNameAddress(uri: SIPURI(user: "strowger", host: configuration.domain))
        fromAddress.tag = fromTag
        var headers = SIPHeaders()
        var via = SIPVia(
            transport: configuration.transport.viaToken,
            host: local.host,
            port: local.port(for: configuration.transport),
            branch: generator.branch()
        )
        via.parameters.set("rport", nil)
        headers.append(.via, via.description)
        headers.append(.maxForwards, "\(SIPLimits.initialMaxForwards)")
        headers.append(.from, fromAddress.description)
        headers.append(.to, to.description)
        headers.append(.callID, callID)
        headers.append(.cseq, "\(sequence) \(method)")
        var contact = SIPURI(
            user: contactUser,
            host: local.host.contains(":") ? "[\(local.host)]" : local.host,
            port: local.port(for: configuration.transport)
        )
        if configuration.transport != .udp { contact.parameters.set("transport", configuration.transport.rawValue) }
        headers.append(.contact, SIPNameAddress(uri: contact).description)
        headers.append(.userAgent, local.userAgent)
        return SIPRequest(method: method, uri: uri, headers: headers)
    }
}
