public import CallControl
public import SIPWire

/// Strowger's SIP side, sans-I/O: the transaction layer, one ``SIPTrunkMachine`` per trunk, and the policy for
/// requests that arrive. The host (ServerNIO's SIP listener) parses bytes into messages, feeds them in with the
/// time, runs the timers it is asked for and puts ``Action/send(_:to:)`` on the wire. One owner (an event loop)
/// drives it, so it needs no locks.
///
/// Inbound policy: a request is taken only from a trunk's address, or, for a trunk that allows it, with that trunk's
/// credentials (a 401 challenge first); anything else is answered 403 statelessly (no state per stranger) and
/// reported. From a trunk: an INVITE starts a call (``SIPTrunkCall``, when ``Settings/connectsCalls``; else 503), a
/// request with a dialog's tags goes to its call, OPTIONS is answered 200; BYE, INFO, UPDATE, PRACK outside any
/// dialog 481; other methods 405.
///
/// Calls (SIPEndpoint+Calls.swift): the endpoint speaks for every trunk to the call core: it reports
/// `trunkAttached`, `trunkStatusChanged` (from the OPTIONS keepalive) and `trunkDetached` as
/// ``Action/callEvent(_:)``, takes the core's trunk commands (``callCommands(_:now:)``) and keeps one
/// ``SIPTrunkCall`` per call, bounded per trunk and in all.
public struct SIPEndpoint: Sendable {
    public enum Timer: Hashable, Sendable {
        case transaction(SIPTransactionTimerID)
        case trunk(String, SIPTrunkMachine.Timer)
        case call(SIPTrunkCall.ID, SIPTrunkCall.Timer)
    }

    /// Why a request was refused; the host counts them (the `/metrics` reasons).
    public enum Refusal: String, Hashable, Sendable, CaseIterable {
        /// From an address that is no trunk's, without valid credentials: 403.
        case notATrunk = "not_a_trunk"
        /// Credentials that did not verify: 403.
        case authenticationFailed = "authentication_failed"
        /// The transaction table is full: 503.
        case overloaded
        /// The trunk has as many calls as it may (``SIPTrunkConfiguration/maximumCalls``), or the endpoint as many as
        /// it holds: an INVITE is answered 503.
        case callLimit = "call_limit"
    }

    public enum Action: Hashable, Sendable {
        case send(SIPMessage, to: SIPPeer)
        case schedule(Timer, at: SIPInstant)
        case trunkStatusChanged(String, SIPTrunkStatus)
        /// A request refused by policy (answered already).
        case refused(Refusal, SIPMethod, from: SIPPeer)
        /// A message that did not parse or validate (answered 400 when it could be).
        case malformed(SIPParseError, from: SIPPeer)
        /// For the call core, from the trunk's session (the event names the trunk).
        case callEvent(CallEvent)
    }

    public struct Settings: Hashable, Sendable {
        public var timers: SIPTimerSettings
        public var trunk: SIPTrunkMachine.Settings
        /// The realm of the challenges sent to peers that authenticate with a trunk's credentials.
        public var realm: String
        /// Whether calls cross the trunks: the host has a call core to report to. Without one, an INVITE is answered
        /// 503 and nothing is reported.
        public var connectsCalls: Bool
        /// The calls one trunk may have at once unless it says otherwise (``SIPTrunkConfiguration/maximumCalls``):
        /// a carrier's channels, and a bound on what one peer can make this side hold.
        public var maximumCallsPerTrunk: Int
        /// The calls the endpoint holds at once over all trunks; each holds a dialog and, for 32 s after it ends,
        /// transactions.
        public var maximumCalls: Int
        /// How each call behaves.
        public var call: SIPTrunkCall.Settings

        public init(
            timers: SIPTimerSettings = SIPTimerSettings(),
            trunk: SIPTrunkMachine.Settings = SIPTrunkMachine.Settings(),
            realm: String = "strowger",
            connectsCalls: Bool = false,
            maximumCallsPerTrunk: Int = 200,
            maximumCalls: Int = 4_096,
            call: SIPTrunkCall.Settings? = nil
        ) {
            self.timers = timers
            self.trunk = trunk
            self.realm = realm
            self.connectsCalls = connectsCalls
            self.maximumCallsPerTrunk = maximumCallsPerTrunk
            self.maximumCalls = maximumCalls
            self.call = call ?? SIPTrunkCall.Settings(timers: timers)
        }
    }

    /// The methods Strowger's trunk side handles (the Allow header).
    public static let allowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO"

    /// Whose request a client transaction is, and what for.
    enum Pending: Hashable, Sendable {
        case trunk(String, SIPTrunkMachine.Purpose)
        case call(SIPTrunkCall.ID, SIPTrunkCall.RequestPurpose)
    }

    public let settings: Settings
    public private(set) var local: SIPLocalIdentity
    var transactions: SIPTransactionLayer
    var trunks: [String: SIPTrunkMachine] = [:]
    /// Which trunk's or call's request each client transaction is, and what for.
    var pending: [SIPClientTransactionID: Pending] = [:]
    /// Each trunk's peer addresses (IP literals, resolved by the host), for inbound matching.
    private var trunkAddresses: [String: Set<String>] = [:]
    var generator: SIPIdentifierGenerator
    private let digest: DigestServer
    /// The calls on the trunks (SIPEndpoint+Calls.swift).
    var calls = SIPCallTable()
    /// Whether each attached trunk was last reported up to the core.
    var reportedUp: [String: Bool] = [:]

    public init(
        settings: Settings = Settings(),
        local: SIPLocalIdentity,
        generator: SIPIdentifierGenerator = SIPIdentifierGenerator(),
        digestSecret: [UInt8]? = nil
    ) {
        self.settings = settings
        self.local = local
        self.transactions = SIPTransactionLayer(
            timers: settings.timers,
            maximumTransactions: SIPTransactionLayer.defaultMaximumTransactions
        )
        self.generator = generator
        self.digest = DigestServer(realm: settings.realm, secret: digestSecret)
    }

    /// Every trunk's status now.
    public var trunkStatuses: [String: SIPTrunkStatus] { trunks.mapValues(\.status) }

    public var transactionCounts: (client: Int, server: Int) {
        (transactions.clientTransactionCount, transactions.serverTransactionCount)
    }

    /// The trunks to run, with their peers' addresses as IP literals (the host resolves names). A trunk whose
    /// configuration is unchanged keeps running; a new or changed one starts over; a removed one stops.
    public mutating func trunksChanged(
        _ configurations: [SIPTrunkConfiguration],
        addresses: [String: Set<String>],
        now: SIPInstant
    ) -> [Action] {
        trunkAddresses = addresses
        var actions: [Action] = []
        let wanted = Dictionary(configurations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in trunks.keys.sorted() where wanted[name] == nil {
            trunks[name] = nil
            pending = pending.filter { $0.value != .trunk(name, .keepAlive) && $0.value != .trunk(name, .register) }
            actions += trunkRemoved(name, now: now)
        }
        for (name, configuration) in wanted.sorted(by: { $0.key < $1.key }) {
            if let existing = trunks[name], existing.configuration == configuration { continue }
            pending = pending.filter { $0.value != .trunk(name, .keepAlive) && $0.value != .trunk(name, .register) }
            let isNew = trunks[name] == nil
            var machine = SIPTrunkMachine(
                configuration: configuration,
                settings: settings.trunk,
                local: local,
                generator: &generator
            )
            let started = machine.start(now: now, generator: &generator)
            trunks[name] = machine
            if isNew { actions += trunkAdded(name, status: machine.status) }
            actions += [.trunkStatusChanged(name, machine.status)]
            actions += runTrunk(name, started, now: now)
        }
        return actions
    }

    /// A message from `peer`.
    public mutating func received(_ message: SIPMessage, from peer: SIPPeer, now: SIPInstant) -> [Action] {
        handle(transactions.received(message, from: peer, now: now), now: now)
    }

    /// A request the transport framed but could not parse.
    public mutating func malformedReceived(_ error: SIPParseError, from peer: SIPPeer, now: SIPInstant) -> [Action] {
        handle(transactions.malformedReceived(error, from: peer), now: now)
    }

    /// The host could not deliver `message` (no route, connection refused, TLS failure): the transaction that sent
    /// it fails as if it had timed out (RFC 3261 §17.1.4).
    public mutating func sendFailed(_ message: SIPMessage, now: SIPInstant) -> [Action] {
        guard case .request(let request) = message, request.method != .ack,
            let branch = (try? request.headers.topVia())?.branch
        else { return [] }
        let id = SIPClientTransactionID(branch: branch, method: request.method)
        return handle(transactions.transportFailed(id), now: now)
    }

    public mutating func timerFired(_ timer: Timer, now: SIPInstant) -> [Action] {
        switch timer {
        case .transaction(let id):
            return handle(transactions.timerFired(id, now: now), now: now)
        case .trunk(let name, let trunkTimer):
            guard var machine = trunks[name] else { return [] }
            let actions = machine.timerFired(trunkTimer, now: now, generator: &generator)
            trunks[name] = machine
            return runTrunk(name, actions, now: now)
        case .call(let id, let callTimer):
            return withCall(id, now: now) { call, generator in
                call.timerFired(callTimer, now: now, generator: &generator)
            }
        }
    }

    // MARK: - Trunks

    private mutating func runTrunk(_ name: String, _ actions: [SIPTrunkMachine.Action], now: SIPInstant) -> [Action] {
        var result: [Action] = []
        for action in actions {
            switch action {
            case .send(let request, let purpose):
                guard let peer = trunks[name]?.configuration.peer else { continue }
                do throws(SIPTransactionLayer.Refusal) {
                    let (id, sent) = try transactions.sendRequest(request, to: peer, now: now)
                    pending[id] = .trunk(name, purpose)
                    result += handle(sent, now: now)
                } catch {
                    // The table is full: count it as a failed attempt; the machine retries on its own timer.
                    result += trunkOutcome(name, purpose, response: nil, now: now)
                }
            case .schedule(let timer, let deadline):
                result.append(.schedule(.trunk(name, timer), at: deadline))
            case .statusChanged(let status):
                result.append(.trunkStatusChanged(name, status))
                result += trunkReachabilityChanged(name, status: status)
            }
        }
        return result
    }

    private mutating func trunkOutcome(
        _ name: String,
        _ purpose: SIPTrunkMachine.Purpose,
        response: SIPResponse?,
        now: SIPInstant
    ) -> [Action] {
        guard var machine = trunks[name] else { return [] }
        let actions = machine.outcome(of: purpose, response: response, now: now, generator: &generator)
        trunks[name] = machine
        return runTrunk(name, actions, now: now)
    }

    // MARK: - Transaction layer output

    mutating func handle(_ actions: [SIPTransactionLayer.Action], now: SIPInstant) -> [Action] {
        var result: [Action] = []
        for action in actions {
            switch action {
            case .send(let message, let peer):
                result.append(.send(message, to: peer))
            case .schedule(let id, let deadline):
                result.append(.schedule(.transaction(id), at: deadline))
            case .responseReceived(let id, let response):
                switch pending[id] {
                case .trunk(let trunk, let purpose):
                    guard !response.isProvisional else { continue }
                    pending[id] = nil
                    result += trunkOutcome(trunk, purpose, response: response, now: now)
                case .call(let call, let purpose):
                    // An INVITE's entry stays while its call lives: retransmitted 2xx come through it.
                    if !response.isProvisional, purpose != .invite, purpose != .reinvite { pending[id] = nil }
                    result += withCall(call, now: now) { call, generator in
                        call.responseReceived(response, to: purpose, now: now, generator: &generator)
                    }
                case nil:
                    continue
                }
            case .clientTimedOut(let id):
                switch pending.removeValue(forKey: id) {
                case .trunk(let trunk, let purpose):
                    result += trunkOutcome(trunk, purpose, response: nil, now: now)
                case .call(let call, let purpose):
                    result += withCall(call, now: now) { call, generator in
                        call.requestTimedOut(purpose, now: now, generator: &generator)
                    }
                case nil:
                    continue
                }
            case .requestReceived(let request, let essentials, let peer):
                result += requestReceived(request, essentials, from: peer, now: now)
            case .ackReceived(let request, _):
                result += ackReceived(request, now: now)
            case .noAckReceived, .strayResponse:
                // A non-2xx final whose ACK never came ends nothing more; a 2xx after its transaction (32 s) is late.
                continue
            case .cancelReceived(let id):
                if let call = calls.byInviteServer[id] {
                    result += withCall(call, now: now) { call, _ in call.cancelReceived() }
                } else {
                    result += handle(transactions.respond(id, with: requestTerminated(id), now: now), now: now)
                }
            case .malformed(let error, let peer):
                result.append(.malformed(error, from: peer))
            }
        }
        return result
    }

    private func requestTerminated(_ id: SIPServerTransactionID) -> SIPResponse {
        // An INVITE without a call answers at once, so this is not reached in practice.
        SIPResponse(statusCode: 487)
    }

    // MARK: - Inbound requests

    /// The trunk whose peer has this address.
    public func trunk(forAddress host: String) -> String? {
        trunkAddresses.first { $0.value.contains(host) }?.key
    }

    private mutating func requestReceived(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> [Action] {
        var trunkName = trunk(forAddress: peer.host)
        if trunkName == nil {
            let candidates = trunks.values.filter {
                $0.configuration.acceptsInboundCredentials && $0.configuration.credentials != nil
            }
            guard !candidates.isEmpty else {
                return refuse(
                    request,
                    essentials,
                    from: peer,
                    .notATrunk,
                    status: 403,
                    reason: "Forbidden (not a trunk)"
                )
            }
            let verdict = digest.verify(request, now: now) { username in
                candidates.first { $0.configuration.credentials?.username == username }?.configuration.credentials?
                    .password
            }
            switch verdict {
            case .valid(let username):
                trunkName = candidates.first { $0.configuration.credentials?.username == username }?.configuration.name
            case .stale:
                return challenge(request, essentials, from: peer, now: now, stale: true)
            case .invalid:
                if request.headers[.authorization] != nil {
                    return refuse(
                        request,
                        essentials,
                        from: peer,
                        .authenticationFailed,
                        status: 403,
                        reason: "Forbidden"
                    )
                }
                return challenge(request, essentials, from: peer, now: now, stale: false)
            }
        }
        guard let trunkName else { return [] }
        if essentials.to.tag != nil, let id = SIPDialog.id(ofReceived: essentials), let call = calls.byDialog[id] {
            return dialogRequest(request, essentials, call: call, from: peer, now: now)
        }
        if request.method == .invite, essentials.to.tag == nil, settings.connectsCalls {
            return inviteReceived(request, essentials, trunk: trunkName, from: peer, now: now)
        }
        return trunkRequest(request, essentials, trunk: trunkName, from: peer, now: now)
    }

    func refuse(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        from peer: SIPPeer,
        _ refusal: Refusal,
        status: Int,
        reason: String
    ) -> [Action] {
        var response = SIPResponse(replyingTo: request, statusCode: status, reasonPhrase: reason, toTag: "sr")
        response.headers.append(.server, local.userAgent)
        let sent: [Action] = transactions.respondStatelessly(to: essentials, with: response, from: peer).compactMap {
            if case .send(let message, let destination) = $0 { return .send(message, to: destination) }
            return nil
        }
        return sent + [.refused(refusal, request.method, from: peer)]
    }

    private mutating func challenge(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        from peer: SIPPeer,
        now: SIPInstant,
        stale: Bool
    ) -> [Action] {
        var response = SIPResponse(replyingTo: request, statusCode: 401, toTag: generator.tag())
        for challenge in digest.challenges(now: now, stale: stale) {
            response.headers.append(.wwwAuthenticate, challenge.headerValue)
        }
        response.headers.append(.server, local.userAgent)
        return transactions.respondStatelessly(to: essentials, with: response, from: peer).compactMap {
            if case .send(let message, let destination) = $0 { return .send(message, to: destination) }
            return nil
        }
    }

    /// The server transaction of `request` and what starting it does; nil when the table cannot take it (it is full,
    /// or the request has no Via or CSeq to key it by), and the caller refuses the request with 503.
    mutating func startServerTransaction(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> (SIPServerTransactionID, [Action])? {
        guard let (id, actions) = try? transactions.acceptRequest(request, essentials: essentials, from: peer, now: now)
        else { return nil }
        return (id, handle(actions, now: now))
    }

    /// A request from a trunk, answered through a server transaction.
    private mutating func trunkRequest(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        trunk: String,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> [Action] {
        guard let (id, started) = startServerTransaction(request, essentials, from: peer, now: now) else {
            return refuse(request, essentials, from: peer, .overloaded, status: 503, reason: "Service Unavailable")
        }
        var result = started
        let response = trunkResponse(to: request, essentials)
        result += handle(transactions.respond(id, with: response, now: now), now: now)
        return result
    }

    /// What phase 1 answers a trunk's request with.
    private mutating func trunkResponse(to request: SIPRequest, _ essentials: SIPEssentials) -> SIPResponse {
        let tag = generator.tag()
        var response: SIPResponse
        switch request.uri.scheme {
        case .sip, .sips, .tel:
            response = methodResponse(to: request, tag: tag)
        case .other:
            // RFC 3261 §8.2.2.1, RFC 4475 §3.3.2.
            response = SIPResponse(replyingTo: request, statusCode: 416, toTag: tag)
        }
        if response.statusCode < 300, let require = request.headers[.init("Require")], request.method != .ack {
            // RFC 3261 §8.2.2.3: no extension is supported (RFC 4475 §3.3.5).
            response = SIPResponse(replyingTo: request, statusCode: 420, toTag: tag)
            response.headers.append(.init("Unsupported"), require)
        }
        response.headers.append(.server, local.userAgent)
        response.headers.append(.allow, Self.allowedMethods)
        return response
    }

    private func methodResponse(to request: SIPRequest, tag: String) -> SIPResponse {
        switch request.method {
        case .options:
            var response = SIPResponse(replyingTo: request, statusCode: 200, toTag: tag)
            response.headers.append(.accept, "application/sdp")
            return response
        case .invite:
            if !request.body.isEmpty,
                let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/sdp")
            {
                var response = SIPResponse(replyingTo: request, statusCode: 415, toTag: tag)
                response.headers.append(.accept, "application/sdp")
                return response
            }
            // An INVITE with a To tag for no dialog of ours, or one that reached here because calls are off.
            if (try? request.headers.to())?.tag != nil {
                return SIPResponse(replyingTo: request, statusCode: 481, toTag: tag)
            }
            var response = SIPResponse(replyingTo: request, statusCode: 503, toTag: tag)
            response.headers.append(
                .warning,
                "399 \(local.host) \"Strowger does not connect calls on this SIP service\""
            )
            return response
        case .bye, .info, .update, .prack:
            return SIPResponse(replyingTo: request, statusCode: 481, toTag: tag)
        default:
            return SIPResponse(replyingTo: request, statusCode: 405, toTag: tag)
        }
    }
}
