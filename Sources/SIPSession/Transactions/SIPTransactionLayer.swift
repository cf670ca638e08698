public import SIPWire

/// A client transaction's identity: the branch of the Via Strowger put on the request and the CSeq method
/// (RFC 3261 §17.1.3; a CANCEL shares its INVITE's branch but is a transaction of its own).
public struct SIPClientTransactionID: Hashable, Sendable, CustomStringConvertible {
    public let branch: String
    public let method: SIPMethod

    public var description: String { "\(method) \(branch)" }
}

/// A server transaction's identity (§17.2.3): the request's branch, the top Via's sent-by, and the method (an ACK
/// matches its INVITE's transaction). A request without an RFC 3261 branch (an RFC 2543 peer) is keyed by its
/// Call-ID, From tag, CSeq and top Via instead.
public struct SIPServerTransactionID: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let method: SIPMethod

    public var description: String { "\(method) \(key)" }

    init(request method: SIPMethod, essentials: SIPEssentials) {
        let via = essentials.topVia
        let sentBy = "\(via.host.lowercased()):\(via.port ?? 5060)"
        if via.hasRFC3261Branch, let branch = via.branch {
            self.key = "\(branch)|\(sentBy)"
        } else {
            self.key = "2543|\(essentials.callID)|\(essentials.from.tag ?? "")|\(essentials.cseq.sequence)|\(via)"
        }
        self.method = method == .ack ? .invite : method
    }
}

/// Which transaction a timer belongs to.
public enum SIPTransactionRef: Hashable, Sendable {
    case client(SIPClientTransactionID)
    case server(SIPServerTransactionID)
}

/// A timer the host must run: fire ``SIPTransactionLayer/timerFired(_:now:)`` with it at its deadline.
public struct SIPTransactionTimerID: Hashable, Sendable {
    public let transaction: SIPTransactionRef
    public let timer: TransactionTimer

    public init(transaction: SIPTransactionRef, timer: TransactionTimer) {
        self.transaction = transaction
        self.timer = timer
    }
}

/// All of one endpoint's transactions (RFC 3261 §17), matched to what arrives, sans-I/O.
///
/// The layer never decides policy: a new request is handed up (``Action/requestReceived(_:from:)``) without a
/// transaction, and the user either answers it statelessly (a 403 to a stranger costs no state, so a flood of them
/// cannot grow memory) or takes it with ``acceptRequest(_:essentials:from:now:)``. Both tables are bounded.
public struct SIPTransactionLayer: Sendable {
    /// What the host and the transaction user must do.
    public enum Action: Hashable, Sendable {
        /// Put this message on the wire to `peer`.
        case send(SIPMessage, to: SIPPeer)
        /// Run this timer (replacing an earlier one with the same id).
        case schedule(SIPTransactionTimerID, at: SIPInstant)
        /// A new request that matches no transaction, with its essentials (an ACK for a 2xx comes as
        /// ``ackReceived(_:from:)`` instead). The user accepts it or answers statelessly.
        case requestReceived(SIPRequest, SIPEssentials, from: SIPPeer)
        /// A response for a client transaction.
        case responseReceived(SIPClientTransactionID, SIPResponse)
        /// A client transaction got no final response (Timer B/F) or its transport failed: treat as 408.
        case clientTimedOut(SIPClientTransactionID)
        /// An ACK that belongs to no transaction (the ACK of a 2xx, §13.2.2.4) or reached an Accepted one.
        case ackReceived(SIPRequest, from: SIPPeer)
        /// A CANCEL for an INVITE server transaction that has no final response yet: the user answers the INVITE
        /// 487 (§9.2). The CANCEL itself was answered 200 by the layer.
        case cancelReceived(SIPServerTransactionID)
        /// The ACK for a non-2xx final response never came (Timer H).
        case noAckReceived(SIPServerTransactionID)
        /// A response matching no client transaction: a retransmitted 2xx to an INVITE whose transaction ended
        /// (the dialog re-sends its ACK), or noise.
        case strayResponse(SIPResponse, from: SIPPeer)
        /// A message that failed validation; a reply was sent when possible (its `.send` comes before this).
        case malformed(SIPParseError, from: SIPPeer)
    }

    /// Why a transaction could not be created.
    public enum Refusal: Error, Hashable, Sendable {
        /// The table is full (``maximumTransactions``).
        case tooManyTransactions
        /// The request has no Via or CSeq the layer can key it by.
        case invalidRequest
    }

    private enum Client: Sendable {
        case invite(InviteClientTransaction, SIPPeer)
        case nonInvite(NonInviteClientTransaction, SIPPeer)
    }

    private enum Server: Sendable {
        case invite(InviteServerTransaction, SIPPeer)
        case nonInvite(NonInviteServerTransaction, SIPPeer)
    }

    public let timers: SIPTimerSettings
    /// The most transactions of each kind (client, server) held at once; past it requests are refused (503) rather
    /// than held.
    public let maximumTransactions: Int

    /// 16,384 of each kind. Over UDP an INVITE server transaction lives 64·T1 = 32 s after its 2xx (Timer L) and a
    /// BYE's 32 s (Timer J), so a trunk carrying 100 calls a second holds about 6,400; the bound leaves room for 250
    /// calls a second. Each holds a request and its last response, a few KB: the table stays below 100 MB.
    public static let defaultMaximumTransactions = 16_384

    /// Transactions past ``maximumTransactions`` that only BYE and CANCEL may take: requests that end calls free more
    /// than they cost, and a BYE refused 503 on a full table would leave its call up on the phone (seen at 300 calls a
    /// second, BENCHMARKS.md "SIP trunk load"). An eighth more, so the tables stay bounded.
    public var endingReserve: Int { max(1, maximumTransactions / 8) }

    /// The most transactions a table may hold when `method`'s is added.
    private func limit(for method: SIPMethod) -> Int {
        method == .bye || method == .cancel ? maximumTransactions + endingReserve : maximumTransactions
    }
    private var clients: [SIPClientTransactionID: Client] = [:]
    private var servers: [SIPServerTransactionID: Server] = [:]

    public init(timers: SIPTimerSettings = SIPTimerSettings(), maximumTransactions: Int = defaultMaximumTransactions) {
        self.timers = timers
        self.maximumTransactions = maximumTransactions
    }

    public var clientTransactionCount: Int { clients.count }
    public var serverTransactionCount: Int { servers.count }

    // MARK: - Client side

    /// Starts a client transaction for `request` (which must carry a top Via with a fresh branch and a CSeq) to
    /// `peer`. An ACK has no transaction: send it with ``sendStatelessly(_:to:)``.
    public mutating func sendRequest(
        _ request: SIPRequest,
        to peer: SIPPeer,
        now: SIPInstant
    ) throws(Refusal) -> (SIPClientTransactionID, [Action]) {
        guard let branch = (try? request.headers.topVia())?.branch, request.method != .ack else {
            throw .invalidRequest
        }
        guard clients.count < limit(for: request.method) else { throw .tooManyTransactions }
        let id = SIPClientTransactionID(branch: branch, method: request.method)
        let reliable = peer.transport.isReliable
        let actions: [TransactionAction]
        if request.method == .invite {
            let (transaction, started) = InviteClientTransaction.start(
                request,
                reliable: reliable,
                timers: timers,
                now: now
            )
            clients[id] = .invite(transaction, peer)
            actions = started
        } else {
            let (transaction, started) = NonInviteClientTransaction.start(
                request,
                reliable: reliable,
                timers: timers,
                now: now
            )
            clients[id] = .nonInvite(transaction, peer)
            actions = started
        }
        return (id, map(actions, .client(id), peer: peer))
    }

    /// A message with no transaction (the ACK of a 2xx, a stateless reply).
    public func sendStatelessly(_ message: SIPMessage, to peer: SIPPeer) -> [Action] {
        [.send(message, to: peer)]
    }

    /// The transport could not reach the peer of this client transaction.
    public mutating func transportFailed(_ id: SIPClientTransactionID) -> [Action] {
        switch clients[id] {
        case .invite(var transaction, let peer):
            let actions = transaction.transportFailed()
            clients[id] = .invite(transaction, peer)
            return map(actions, .client(id), peer: peer)
        case .nonInvite(var transaction, let peer):
            let actions = transaction.transportFailed()
            clients[id] = .nonInvite(transaction, peer)
            return map(actions, .client(id), peer: peer)
        case nil:
            return []
        }
    }

    // MARK: - Server side

    /// Takes a new request into a server transaction (an INVITE is answered 100 Trying at once).
    public mutating func acceptRequest(
        _ request: SIPRequest,
        essentials: SIPEssentials,
        from source: SIPPeer,
        now: SIPInstant
    ) throws(Refusal) -> (SIPServerTransactionID, [Action]) {
        guard request.method != .ack else { throw .invalidRequest }
        guard servers.count < limit(for: request.method) else { throw .tooManyTransactions }
        let id = SIPServerTransactionID(request: request.method, essentials: essentials)
        let peer = Self.responseDestination(for: essentials.topVia, source: source)
        let reliable = source.transport.isReliable
        if request.method == .invite {
            let (transaction, actions) = InviteServerTransaction.start(request, reliable: reliable, timers: timers)
            servers[id] = .invite(transaction, peer)
            return (id, map(actions, .server(id), peer: peer))
        }
        servers[id] = .nonInvite(NonInviteServerTransaction(request, reliable: reliable, timers: timers), peer)
        return (id, [])
    }

    /// The user's response for a server transaction.
    public mutating func respond(
        _ id: SIPServerTransactionID,
        with response: SIPResponse,
        now: SIPInstant
    ) -> [Action] {
        switch servers[id] {
        case .invite(var transaction, let peer):
            let actions = transaction.respond(response, now: now)
            servers[id] = .invite(transaction, peer)
            return map(actions, .server(id), peer: peer)
        case .nonInvite(var transaction, let peer):
            let actions = transaction.respond(response, now: now)
            servers[id] = .nonInvite(transaction, peer)
            return map(actions, .server(id), peer: peer)
        case nil:
            return []
        }
    }

    /// A response sent without a transaction, to where §18.2.2 says responses to `request` go.
    public func respondStatelessly(
        to request: SIPEssentials,
        with response: SIPResponse,
        from source: SIPPeer
    ) -> [Action] {
        [.send(.response(response), to: Self.responseDestination(for: request.topVia, source: source))]
    }

    /// Where responses to a request go (RFC 3261 §18.2.2, RFC 3581): back on the connection it came on (streams);
    /// over UDP to the address it came from, at the source port when the Via asks with `rport`, else at the Via's
    /// port.
    public static func responseDestination(for via: SIPVia, source: SIPPeer) -> SIPPeer {
        guard source.transport == .udp else { return source }
        let port: Int
        if case .some = via.rport {
            port = source.port
        } else {
            port = via.port ?? 5060
        }
        return SIPPeer(transport: .udp, host: source.host, port: port)
    }

    // MARK: - Input

    /// A message from `peer`: matched to its transaction, or handed up.
    public mutating func received(_ message: SIPMessage, from peer: SIPPeer, now: SIPInstant) -> [Action] {
        switch message {
        case .response(let response):
            return responseReceived(response, from: peer, now: now)
        case .request(let request):
            return requestReceived(request, from: peer, now: now)
        }
    }

    /// A request the transport could frame but not parse: answered (400, or 505/513) when it carried enough to
    /// be answered and was not an ACK, and reported.
    public func malformedReceived(_ error: SIPParseError, from peer: SIPPeer) -> [Action] {
        var actions: [Action] = []
        if let reply = error.reply, reply.method != .ack {
            var response = SIPResponse(
                replyingTo: reply,
                statusCode: error.statusCode,
                reasonPhrase: error.reasonPhrase
            )
            response.headers.append(.server, "Strowger")
            let via = reply.vias.first.flatMap { SIPHeaders.splitList($0).first }.flatMap { try? SIPVia(parsing: $0) }
            let destination = via.map { Self.responseDestination(for: $0, source: peer) } ?? peer
            actions.append(.send(.response(response), to: destination))
        }
        actions.append(.malformed(error, from: peer))
        return actions
    }

    private mutating func responseReceived(_ response: SIPResponse, from peer: SIPPeer, now: SIPInstant) -> [Action] {
        guard let essentials = try? response.essentials(), let branch = essentials.topVia.branch else {
            return [.malformed(SIPParseError(code: .missingHeader, detail: "response without Via branch"), from: peer)]
        }
        let id = SIPClientTransactionID(branch: branch, method: essentials.cseq.method)
        switch clients[id] {
        case .invite(var transaction, let target):
            let actions = transaction.responseReceived(response, now: now)
            clients[id] = .invite(transaction, target)
            return map(actions, .client(id), peer: target)
        case .nonInvite(var transaction, let target):
            let actions = transaction.responseReceived(response, now: now)
            clients[id] = .nonInvite(transaction, target)
            return map(actions, .client(id), peer: target)
        case nil:
            return [.strayResponse(response, from: peer)]
        }
    }

    private mutating func requestReceived(_ request: SIPRequest, from peer: SIPPeer, now: SIPInstant) -> [Action] {
        let essentials: SIPEssentials
        do throws(SIPParseError) {
            essentials = try request.essentials()
        } catch {
            return malformedReceived(error, from: peer)
        }
        let id = SIPServerTransactionID(request: request.method, essentials: essentials)
        switch (servers[id], request.method) {
        case (.invite(var transaction, let target), .ack):
            let actions = transaction.ackReceived(request, now: now)
            servers[id] = .invite(transaction, target)
            return map(actions, .server(id), peer: target)
        case (nil, .ack), (.nonInvite, .ack):
            return [.ackReceived(request, from: peer)]
        case (.invite(var transaction, let target), _):
            let actions = transaction.requestRetransmitted()
            servers[id] = .invite(transaction, target)
            return map(actions, .server(id), peer: target)
        case (.nonInvite(var transaction, let target), _):
            let actions = transaction.requestRetransmitted()
            servers[id] = .nonInvite(transaction, target)
            return map(actions, .server(id), peer: target)
        case (nil, .cancel):
            return cancelReceived(request, essentials: essentials, from: peer, now: now)
        case (nil, _):
            return [.requestReceived(request, essentials, from: peer)]
        }
    }

    /// §9.2: a CANCEL matching an INVITE server transaction is answered 200 and, if the INVITE has no final
    /// response yet, reported so that the user answers it 487; one matching nothing is answered 481.
    private mutating func cancelReceived(
        _ request: SIPRequest,
        essentials: SIPEssentials,
        from peer: SIPPeer,
        now: SIPInstant
    ) -> [Action] {
        let inviteID = SIPServerTransactionID(request: .invite, essentials: essentials)
        guard case .invite(let invite, _) = servers[inviteID] else {
            return respondStatelessly(
                to: essentials,
                with: SIPResponse(replyingTo: request, statusCode: 481),
                from: peer
            )
        }
        guard let (cancelID, accepted) = try? acceptRequest(request, essentials: essentials, from: peer, now: now)
        else {
            return respondStatelessly(
                to: essentials,
                with: SIPResponse(replyingTo: request, statusCode: 503),
                from: peer
            )
        }
        var actions = accepted
        let toTag = (try? invite.request.headers.to())?.tag
        actions += respond(cancelID, with: SIPResponse(replyingTo: request, statusCode: 200, toTag: toTag), now: now)
        if !invite.hasFinalResponse { actions.append(.cancelReceived(inviteID)) }
        return actions
    }

    /// A timer the host ran reached its deadline.
    public mutating func timerFired(_ timer: SIPTransactionTimerID, now: SIPInstant) -> [Action] {
        switch timer.transaction {
        case .client(let id):
            switch clients[id] {
            case .invite(var transaction, let peer):
                let actions = transaction.timerFired(timer.timer, now: now)
                clients[id] = .invite(transaction, peer)
                return map(actions, timer.transaction, peer: peer)
            case .nonInvite(var transaction, let peer):
                let actions = transaction.timerFired(timer.timer, now: now)
                clients[id] = .nonInvite(transaction, peer)
                return map(actions, timer.transaction, peer: peer)
            case nil:
                return []
            }
        case .server(let id):
            switch servers[id] {
            case .invite(var transaction, let peer):
                let actions = transaction.timerFired(timer.timer, now: now)
                servers[id] = .invite(transaction, peer)
                return map(actions, timer.transaction, peer: peer)
            case .nonInvite(var transaction, let peer):
                let actions = transaction.timerFired(timer.timer, now: now)
                servers[id] = .nonInvite(transaction, peer)
                return map(actions, timer.transaction, peer: peer)
            case nil:
                return []
            }
        }
    }

    /// Turns one transaction's actions into the layer's, removing the transaction when it terminates.
    private mutating func map(_ actions: [TransactionAction], _ ref: SIPTransactionRef, peer: SIPPeer) -> [Action] {
        var result: [Action] = []
        for action in actions {
            switch (action, ref) {
            case (.send(let message), _):
                result.append(.send(message, to: peer))
            case (.schedule(let timer, let deadline), _):
                result.append(.schedule(SIPTransactionTimerID(transaction: ref, timer: timer), at: deadline))
            case (.deliver(let response), .client(let id)):
                result.append(.responseReceived(id, response))
            case (.timedOut, .client(let id)):
                result.append(.clientTimedOut(id))
            case (.noAck, .server(let id)):
                result.append(.noAckReceived(id))
            case (.deliverAck(let ack), .server):
                result.append(.ackReceived(ack, from: peer))
            case (.terminated, .client(let id)):
                clients[id] = nil
            case (.terminated, .server(let id)):
                servers[id] = nil
            case (.deliver, .server), (.timedOut, .server), (.noAck, .client), (.deliverAck, .client):
                // Client-only and server-only actions never come from the other side's transactions.
                continue
            }
        }
        return result
    }
}
