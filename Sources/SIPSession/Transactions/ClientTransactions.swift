public import SIPWire

/// An INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026's Accepted state).
///
/// It sends the INVITE (retransmitting over UDP on Timer A), hands every response to its user, ACKs a non-2xx
/// final response itself (§17.1.1.3) and absorbs its retransmissions, and stays around for 64·T1 after a 2xx so
/// that retransmitted 2xx responses reach the user, who ACKs them (the ACK for a 2xx belongs to the dialog).
public struct InviteClientTransaction: Sendable {
    private enum State: Sendable {
        /// INVITE sent, nothing heard; Timer A retransmits (UDP) with this interval.
        case calling(retransmitInterval: Duration)
        /// A provisional response arrived; no more retransmissions (§17.1.1.2).
        case proceeding
        /// A 2xx arrived; further 2xx are passed up until Timer M (RFC 6026 §8.4).
        case accepted
        /// A non-2xx final arrived and was ACKed; retransmissions of it are ACKed again until Timer D.
        case completed(ack: SIPRequest)
        case terminated
    }

    public let request: SIPRequest
    private let reliable: Bool
    private let timers: SIPTimerSettings
    private var state: State

    /// Starts the transaction: the returned actions send the INVITE and arm Timers A (UDP) and B.
    public static func start(
        _ request: SIPRequest,
        reliable: Bool,
        timers: SIPTimerSettings,
        now: SIPInstant
    ) -> (InviteClientTransaction, [TransactionAction]) {
        let transaction = InviteClientTransaction(
            request: request,
            reliable: reliable,
            timers: timers,
            state: .calling(retransmitInterval: timers.t1)
        )
        var actions: [TransactionAction] = [.send(.request(request))]
        if !reliable { actions.append(.schedule(.a, at: now + timers.t1)) }
        actions.append(.schedule(.b, at: now + timers.transactionTimeout))
        return (transaction, actions)
    }

    private init(request: SIPRequest, reliable: Bool, timers: SIPTimerSettings, state: State) {
        self.request = request
        self.reliable = reliable
        self.timers = timers
        self.state = state
    }

    public var isTerminated: Bool {
        if case .terminated = state { return true }
        return false
    }

    public mutating func responseReceived(_ response: SIPResponse, now: SIPInstant) -> [TransactionAction] {
        switch state {
        case .calling, .proceeding:
            if response.isProvisional {
                state = .proceeding
                return [.deliver(response)]
            }
            if response.isSuccess {
                state = .accepted
                return [.deliver(response), .schedule(.m, at: now + timers.transactionTimeout)]
            }
            let ack = Self.ack(for: request, response: response)
            if reliable {
                state = .terminated
                return [.send(.request(ack)), .deliver(response), .terminated]
            }
            state = .completed(ack: ack)
            return [.send(.request(ack)), .deliver(response), .schedule(.d, at: now + timers.timerD(reliable: false))]
        case .accepted:
            return response.isSuccess ? [.deliver(response)] : []
        case .completed(let ack):
            return response.isProvisional || response.isSuccess ? [] : [.send(.request(ack))]
        case .terminated:
            return []
        }
    }

    public mutating func timerFired(_ timer: TransactionTimer, now: SIPInstant) -> [TransactionAction] {
        switch (state, timer) {
        case (.calling(let interval), .a):
            let next = interval * 2
            state = .calling(retransmitInterval: next)
            return [.send(.request(request)), .schedule(.a, at: now + next)]
        case (.calling, .b):
            state = .terminated
            return [.timedOut, .terminated]
        case (.completed, .d), (.accepted, .m):
            state = .terminated
            return [.terminated]
        case (.calling, _), (.proceeding, _), (.accepted, _), (.completed, _), (.terminated, _):
            return []
        }
    }

    /// The transport could not deliver the INVITE (§17.1.4).
    public mutating func transportFailed() -> [TransactionAction] {
        switch state {
        case .terminated:
            return []
        case .calling, .proceeding, .accepted, .completed:
            state = .terminated
            return [.timedOut, .terminated]
        }
    }

    /// The ACK for a non-2xx final response (§17.1.1.3): the INVITE's Request-URI, Call-ID, From, top Via and
    /// Route, the response's To (with its tag), CSeq with the same number and method ACK.
    static func ack(for invite: SIPRequest, response: SIPResponse) -> SIPRequest {
        var headers = SIPHeaders()
        if let via = invite.headers.values(.via).first { headers.append(.via, via) }
        headers.append(.maxForwards, "\(SIPLimits.initialMaxForwards)")
        if let from = invite.headers[.from] { headers.append(.from, from) }
        if let to = response.headers[.to] ?? invite.headers[.to] { headers.append(.to, to) }
        if let callID = invite.headers[.callID] { headers.append(.callID, callID) }
        let sequence = (try? invite.headers.cseq().sequence) ?? 1
        headers.append(.cseq, "\(sequence) ACK")
        for route in invite.headers.lines(.route) { headers.append(.route, route) }
        return SIPRequest(method: .ack, uri: invite.uri, headers: headers)
    }
}

/// A non-INVITE client transaction (RFC 3261 §17.1.2): OPTIONS, REGISTER, BYE, CANCEL, INFO…
public struct NonInviteClientTransaction: Sendable {
    private enum State: Sendable {
        /// Request sent; Timer E retransmits (UDP) with this interval, doubling up to T2.
        case trying(retransmitInterval: Duration)
        /// A provisional arrived; Timer E now retransmits every T2.
        case proceeding
        /// A final response arrived; its retransmissions are absorbed until Timer K.
        case completed
        case terminated
    }

    public let request: SIPRequest
    private let reliable: Bool
    private let timers: SIPTimerSettings
    private var state: State

    public static func start(
        _ request: SIPRequest,
        reliable: Bool,
        timers: SIPTimerSettings,
        now: SIPInstant
    ) -> (NonInviteClientTransaction, [TransactionAction]) {
        let transaction = NonInviteClientTransaction(
            request: request,
            reliable: reliable,
            timers: timers,
            state: .trying(retransmitInterval: timers.t1)
        )
        var actions: [TransactionAction] = [.send(.request(request))]
        if !reliable { actions.append(.schedule(.e, at: now + timers.t1)) }
        actions.append(.schedule(.f, at: now + timers.transactionTimeout))
        return (transaction, actions)
    }

    private init(request: SIPRequest, reliable: Bool, timers: SIPTimerSettings, state: State) {
        self.request = request
        self.reliable = reliable
        self.timers = timers
        self.state = state
    }

    public var isTerminated: Bool {
        if case .terminated = state { return true }
        return false
    }

    public mutating func responseReceived(_ response: SIPResponse, now: SIPInstant) -> [TransactionAction] {
        switch state {
        case .trying, .proceeding:
            if response.isProvisional {
                state = .proceeding
                return [.deliver(response)]
            }
            if reliable {
                state = .terminated
                return [.deliver(response), .terminated]
            }
            state = .completed
            return [.deliver(response), .schedule(.k, at: now + timers.t4)]
        case .completed, .terminated:
            return []
        }
    }

    public mutating func timerFired(_ timer: TransactionTimer, now: SIPInstant) -> [TransactionAction] {
        switch (state, timer) {
        case (.trying(let interval), .e):
            let next = min(interval * 2, timers.t2)
            state = .trying(retransmitInterval: next)
            return [.send(.request(request)), .schedule(.e, at: now + next)]
        case (.proceeding, .e):
            return [.send(.request(request)), .schedule(.e, at: now + timers.t2)]
        case (.trying, .f), (.proceeding, .f):
            state = .terminated
            return [.timedOut, .terminated]
        case (.completed, .k):
            state = .terminated
            return [.terminated]
        case (.trying, _), (.proceeding, _), (.completed, _), (.terminated, _):
            return []
        }
    }

    public mutating func transportFailed() -> [TransactionAction] {
        switch state {
        case .terminated, .completed:
            return []
        case .trying, .proceeding:
            state = .terminated
            return [.timedOut, .terminated]
        }
    }
}
