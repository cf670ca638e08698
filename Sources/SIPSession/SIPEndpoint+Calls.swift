public import CallControl
import SIPWire

/// The calls of every trunk, by the keys they are found by: the endpoint's key (an inbound call's token), the dialog
/// (requests and ACKs from the far end), the core's leg (its commands), the INVITE's server transaction (a CANCEL).
/// Every call is in each table it belongs to and leaves all of them at once.
struct SIPCallTable: Sendable {
    struct TrunkLeg: Hashable, Sendable {
        var trunk: TrunkName
        var reference: CallReference
    }

    private(set) var calls: [SIPTrunkCall.ID: SIPTrunkCall] = [:]
    private(set) var byDialog: [SIPDialog.ID: SIPTrunkCall.ID] = [:]
    private(set) var byLeg: [TrunkLeg: SIPTrunkCall.ID] = [:]
    private(set) var byInviteServer: [SIPServerTransactionID: SIPTrunkCall.ID] = [:]
    /// Calls per trunk, for the limits and the status.
    private(set) var countByTrunk: [String: Int] = [:]
    /// Each call's client transactions, forgotten with it.
    private var transactions: [SIPTrunkCall.ID: [SIPClientTransactionID]] = [:]
    private var lastID: SIPTrunkCall.ID = 0

    var count: Int { calls.count }

    subscript(id: SIPTrunkCall.ID) -> SIPTrunkCall? { calls[id] }

    /// A key no live call has (they wrap after 2^64, and skip any still in use).
    mutating func newID() -> SIPTrunkCall.ID {
        repeat { lastID &+= 1 } while lastID == 0 || calls[lastID] != nil
        return lastID
    }

    mutating func insert(_ call: SIPTrunkCall) {
        calls[call.id] = call
        countByTrunk[call.trunk.rawValue, default: 0] += 1
        if let server = call.inviteServer { byInviteServer[server] = call.id }
        index(call)
    }

    /// Stores `call` back, with the keys it has gained (a dialog at the 2xx, a leg when bound).
    mutating func update(_ call: SIPTrunkCall) {
        guard calls[call.id] != nil else { return }
        calls[call.id] = call
        index(call)
    }

    private mutating func index(_ call: SIPTrunkCall) {
        if let dialog = call.dialogID, byDialog[dialog] == nil { byDialog[dialog] = call.id }
        if let reference = call.reference {
            let leg = TrunkLeg(trunk: call.trunk, reference: reference)
            if byLeg[leg] == nil { byLeg[leg] = call.id }
        }
    }

    mutating func addTransaction(_ transaction: SIPClientTransactionID, to id: SIPTrunkCall.ID) {
        guard calls[id] != nil else { return }
        transactions[id, default: []].append(transaction)
    }

    /// Forgets the call; returns its client transactions, for the endpoint to forget too.
    mutating func remove(_ id: SIPTrunkCall.ID) -> [SIPClientTransactionID] {
        guard let call = calls.removeValue(forKey: id) else { return [] }
        let trunk = call.trunk.rawValue
        countByTrunk[trunk, default: 1] -= 1
        if countByTrunk[trunk] == 0 { countByTrunk[trunk] = nil }
        if let dialog = call.dialogID, byDialog[dialog] == id { byDialog[dialog] = nil }
        if let reference = call.reference {
            let leg = TrunkLeg(trunk: call.trunk, reference: reference)
            if byLeg[leg] == id { byLeg[leg] = nil }
        }
        if let server = call.inviteServer, byInviteServer[server] == id { byInviteServer[server] = nil }
        return transactions.removeValue(forKey: id) ?? []
    }

    /// The calls of `trunk`, in key order.
    func ids(of trunk: String) -> [SIPTrunkCall.ID] {
        calls.values.filter { $0.trunk.rawValue == trunk }.map(\.id).sorted()
    }

    var allIDs: [SIPTrunkCall.ID] { calls.keys.sorted() }
}

extension SIPEndpoint {
    /// Calls per trunk now (trunks without calls absent).
    public var callCounts: [String: Int] { calls.countByTrunk }

    /// All calls now.
    public var callCount: Int { calls.count }

    /// The most calls `configuration`'s trunk may have at once.
    func callLimit(of configuration: SIPTrunkConfiguration) -> Int {
        configuration.maximumCalls ?? settings.maximumCallsPerTrunk
    }

    // MARK: - The core's commands

    /// One batch of the core's commands for the trunks (``CallControl/CallCommand/trunk(_:call:_:)``), in order.
    /// Each call they touched then sends what has become possible (``SIPTrunkCall/reconcile(now:generator:)``).
    public mutating func callCommands(_ commands: [CallCommand], now: SIPInstant) -> [Action] {
        var result: [Action] = []
        var touched: [SIPTrunkCall.ID] = []
        for command in commands {
            guard case .trunk(let trunk, let reference, let trunkCommand) = command else { continue }
            switch trunkCommand {
            case .bound(let token):
                guard let call = calls[token], call.trunk == trunk else { continue }
                result += withCall(token, now: now) { call, _ in call.bound(reference) }
                touched.append(token)
            case .place(let caller, let called, let offer):
                result += place(
                    on: trunk,
                    reference: reference,
                    caller: caller,
                    called: called,
                    offer: offer,
                    now: now
                )
            case .indicate, .openMedia, .startMedia, .closeMedia, .sendDigit:
                guard let id = calls.byLeg[SIPCallTable.TrunkLeg(trunk: trunk, reference: reference)] else {
                    // A leg whose dialog is over (the far end ended it; a `cleared` for it is a no-op).
                    continue
                }
                result += withCall(id, now: now) { call, generator in
                    call.command(trunkCommand, now: now, generator: &generator)
                }
                if !touched.contains(id) { touched.append(id) }
            }
        }
        for id in touched {
            result += withCall(id, now: now) { call, generator in call.reconcile(now: now, generator: &generator) }
        }
        return result
    }

    /// The core places a call on `trunk`: an INVITE, or at once `trunkCallEnded` when the trunk is unknown or has
    /// as many calls as it may (the caller hears reorder).
    private mutating func place(
        on trunk: TrunkName,
        reference: CallReference,
        caller: Party,
        called: String,
        offer: TrunkOffer?,
        now: SIPInstant
    ) -> [Action] {
        guard let configuration = trunks[trunk.rawValue]?.configuration,
            calls.countByTrunk[trunk.rawValue, default: 0] < callLimit(of: configuration),
            calls.count < settings.maximumCalls
        else {
            return [.callEvent(.trunkCallEnded(trunk, call: reference, .unavailable, sipStatus: nil))]
        }
        let id = calls.newID()
        let (call, actions) = SIPTrunkCall.outbound(
            reference: reference,
            caller: caller,
            called: called,
            offer: offer,
            id: id,
            trunk: configuration,
            local: local,
            settings: settings.call,
            generator: &generator
        )
        calls.insert(call)
        return runCall(id, peer: configuration.peer, actions, now: now)
    }

    // MARK: - The far end's requests

    /// A new INVITE from `trunk`: a call, unless the request or the limits refuse it.
    mutating func inviteReceived(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        trunk: String,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> [Action] {
        guard let configuration = trunks[trunk]?.configuration else { return [] }
        guard let (server, started) = startServerTransaction(request, essentials, from: peer, now: now) else {
            return refuse(request, essentials, from: peer, .overloaded, status: 503, reason: "Service Unavailable")
        }
        let result = started
        let tag = generator.tag()
        if let refusal = Self.inviteRefusal(request, tag: tag, host: local.host) {
            var response = refusal
            response.headers.append(.server, local.userAgent)
            return result + handle(transactions.respond(server, with: response, now: now), now: now)
        }
        guard calls.countByTrunk[trunk, default: 0] < callLimit(of: configuration),
            calls.count < settings.maximumCalls
        else {
            var response = SIPResponse(replyingTo: request, statusCode: 503, toTag: tag)
            response.headers.append(.retryAfter, "5")
            response.headers.append(.warning, "399 \(local.host) \"Too many calls on trunk \(trunk)\"")
            response.headers.append(.server, local.userAgent)
            return result + handle(transactions.respond(server, with: response, now: now), now: now)
                + [.refused(.callLimit, request.method, from: peer)]
        }
        let id = calls.newID()
        let (call, actions) = SIPTrunkCall.inbound(
            request,
            server: server,
            reliable: peer.transport.isReliable,
            id: id,
            trunk: configuration,
            local: local,
            settings: settings.call,
            generator: &generator,
            now: now
        )
        if let call { calls.insert(call) }
        return result + runCall(id, peer: configuration.peer, actions, now: now)
    }

    /// What an INVITE is refused with before it becomes a call: an unknown URI scheme (416, RFC 3261 §8.2.2.1), an
    /// extension it requires (420, §8.2.2.3), a body that is not SDP (415).
    static func inviteRefusal(_ request: SIPRequest, tag: String, host: String) -> SIPResponse? {
        switch request.uri.scheme {
        case .sip, .sips, .tel: break
        case .other: return SIPResponse(replyingTo: request, statusCode: 416, toTag: tag)
        }
        if let require = request.headers[.init("Require")] {
            var response = SIPResponse(replyingTo: request, statusCode: 420, toTag: tag)
            response.headers.append(.init("Unsupported"), require)
            return response
        }
        if !request.body.isEmpty, let type = request.headers[.contentType],
            !type.lowercased().hasPrefix("application/sdp")
        {
            var response = SIPResponse(replyingTo: request, statusCode: 415, toTag: tag)
            response.headers.append(.accept, "application/sdp")
            return response
        }
        return nil
    }

    /// A request carrying the tags of a call's dialog.
    mutating func dialogRequest(
        _ request: SIPRequest,
        _ essentials: SIPEssentials,
        call id: SIPTrunkCall.ID,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> [Action] {
        guard let (server, started) = startServerTransaction(request, essentials, from: peer, now: now) else {
            return refuse(request, essentials, from: peer, .overloaded, status: 503, reason: "Service Unavailable")
        }
        var result = started
        result += withCall(id, now: now) { call, generator in
            call.requestReceived(
                request,
                server: server,
                reliable: peer.transport.isReliable,
                now: now,
                generator: &generator
            )
        }
        return result
    }

    /// An ACK outside any transaction: the ACK of a call's 2xx. Its dialog's tags (random, 48 bits each) are what
    /// admit it.
    mutating func ackReceived(_ request: SIPRequest, now: SIPInstant) -> [Action] {
        guard let essentials = try? request.essentials(), let dialog = SIPDialog.id(ofReceived: essentials),
            let id = calls.byDialog[dialog]
        else { return [] }
        return withCall(id, now: now) { call, generator in call.ackReceived(request, now: now, generator: &generator) }
    }

    // MARK: - Trunks as the core sees them

    /// A trunk starts: its session claims it (`trunkAttached`), up unless its keepalive already found it down.
    mutating func trunkAdded(_ name: String, status: SIPTrunkStatus) -> [Action] {
        guard settings.connectsCalls else { return [] }
        let isUp = status.reachability != .down
        reportedUp[name] = isUp
        return [.callEvent(.trunkAttached(TrunkName(name), isUp: isUp))]
    }

    /// A trunk is removed: its calls end on the SIP side (BYE, CANCEL or a final response) and the core is told
    /// the trunk is gone, which ends them there.
    mutating func trunkRemoved(_ name: String, now: SIPInstant) -> [Action] {
        var result: [Action] = []
        for id in calls.ids(of: name) {
            result += withCall(id, now: now) { call, generator in call.terminate(now: now, generator: &generator) }
        }
        guard reportedUp.removeValue(forKey: name) != nil else { return result }
        return result + [.callEvent(.trunkDetached(TrunkName(name)))]
    }

    /// The keepalive found the trunk up or down: the core routes calls only to a trunk that is up. A trunk not
    /// checked yet counts as up, so that calls work from the start.
    mutating func trunkReachabilityChanged(_ name: String, status: SIPTrunkStatus) -> [Action] {
        guard let wasUp = reportedUp[name] else { return [] }
        let isUp = status.reachability != .down
        guard isUp != wasUp else { return [] }
        reportedUp[name] = isUp
        return [.callEvent(.trunkStatusChanged(TrunkName(name), isUp: isUp))]
    }

    /// The server stops: every call ends on the SIP side and every trunk is detached from the core.
    public mutating func shutDown(now: SIPInstant) -> [Action] {
        var result: [Action] = []
        for name in Set(trunks.keys).union(reportedUp.keys).sorted() {
            result += trunkRemoved(name, now: now)
        }
        for id in calls.allIDs {
            result += withCall(id, now: now) { call, generator in call.terminate(now: now, generator: &generator) }
        }
        return result
    }

    // MARK: - Running a call

    /// Runs `body` on call `id` (if it is still there) and carries out what it returns.
    mutating func withCall(
        _ id: SIPTrunkCall.ID,
        now: SIPInstant,
        _ body: (inout SIPTrunkCall, inout SIPIdentifierGenerator) -> [SIPTrunkCall.Action]
    ) -> [Action] {
        guard var call = calls[id] else { return [] }
        let actions = body(&call, &generator)
        calls.update(call)
        return runCall(id, peer: call.configuration.peer, actions, now: now)
    }

    /// A call's actions as the endpoint's: requests through the transaction layer to the trunk's peer, responses
    /// through their server transactions, events for the core; a finished call is forgotten.
    private mutating func runCall(
        _ id: SIPTrunkCall.ID,
        peer: SIPPeer,
        _ actions: [SIPTrunkCall.Action],
        now: SIPInstant
    ) -> [Action] {
        var result: [Action] = []
        for action in actions {
            switch action {
            case .sendRequest(let request, let purpose):
                do throws(SIPTransactionLayer.Refusal) {
                    let (transaction, sent) = try transactions.sendRequest(request, to: peer, now: now)
                    pending[transaction] = .call(id, purpose)
                    calls.addTransaction(transaction, to: id)
                    result += handle(sent, now: now)
                } catch {
                    // The table is full: the request fails as if it had timed out.
                    result += withCall(id, now: now) { call, generator in
                        call.requestTimedOut(purpose, now: now, generator: &generator)
                    }
                }
            case .sendAck(let request):
                result += handle(transactions.sendStatelessly(.request(request), to: peer), now: now)
            case .respond(let server, let response):
                result += handle(transactions.respond(server, with: response, now: now), now: now)
            case .schedule(let timer, let instant):
                result.append(.schedule(.call(id, timer), at: instant))
            case .report(let event):
                result.append(.callEvent(event))
            case .finished:
                for transaction in calls.remove(id) { pending[transaction] = nil }
            }
        }
        return result
    }
}
