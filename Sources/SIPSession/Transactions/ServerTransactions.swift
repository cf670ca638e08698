public import SIPWire

/// An INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted state).
///
/// It answers retransmitted INVITEs with the last response, retransmits a non-2xx final response over UDP (Timer
/// G) until the ACK comes (or Timer H gives up), absorbs retransmitted ACKs (Timer I), and after a 2xx stays for
/// 64·T1 (Timer L) absorbing retransmitted INVITEs and passing ACKs up: the 2xx itself is retransmitted by the
/// transaction user until its ACK arrives (§13.3.1.4).
public struct InviteServerTransaction: Sendable {
    private enum State: Sendable {
        /// The user has not answered finally; the last provisional is resent on a retransmitted INVITE.
        case proceeding(lastProvisional: SIPResponse?)
        /// A 2xx was sent.
        case accepted
        /// A non-2xx final was sent; Timer G retransmits it (UDP) with this interval until the ACK.
        case completed(response: SIPResponse, retransmitInterval: Duration)
        /// The ACK came; retransmitted ACKs are absorbed until Timer I.
        case confirmed
        case terminated
    }

    public let request: SIPRequest
    private let reliable: Bool
    private let timers: SIPTimerSettings
    private var state: State

    /// A new INVITE arrived. The transaction answers 100 Trying at once (§17.2.1 allows waiting 200 ms for the
    /// user; a trunk peer is better told straight away that the INVITE arrived, which stops its retransmissions).
    public static func start(
        _ request: SIPRequest,
        reliable: Bool,
        timers: SIPTimerSettings
    ) -> (InviteServerTransaction, [TransactionAction]) {
        let trying = SIPResponse(replyingTo: request, statusCode: 100)
        let transaction = InviteServerTransaction(
            request: request,
            reliable: reliable,
            timers: timers,
            state: .proceeding(lastProvisional: trying)
        )
        return (transaction, [.send(.response(trying))])
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

    /// Whether a final response has been sent (a CANCEL then gets 200 but changes nothing, §9.2).
    public var hasFinalResponse: Bool {
        if case .proceeding = state { return false }
        return true
    }

    /// The user answers.
    public mutating func respond(_ response: SIPResponse, now: SIPInstant) -> [TransactionAction] {
        switch state {
        case .proceeding:
            if response.isProvisional {
                state = .proceeding(lastProvisional: response)
                return [.send(.response(response))]
            }
            if response.isSuccess {
                state = .accepted
                return [.send(.response(response)), .schedule(.l, at: now + timers.transactionTimeout)]
            }
            state = .completed(response: response, retransmitInterval: timers.t1)
            var actions: [TransactionAction] = [.send(.response(response))]
            if !reliable { actions.append(.schedule(.g, at: now + timers.t1)) }
            actions.append(.schedule(.h, at: now + timers.transactionTimeout))
            return actions
        case .accepted:
            // The user retransmits its 2xx through the transaction while it lasts.
            return response.isSuccess ? [.send(.response(response))] : []
        case .completed, .confirmed, .terminated:
            return []
        }
    }

    /// The same INVITE again (a retransmission).
    public mutating func requestRetransmitted() -> [TransactionAction] {
        switch state {
        case .proceeding(let last):
            return last.map { [.send(.response($0))] } ?? []
        case .completed(let response, _):
            return [.send(.response(response))]
        case .accepted, .confirmed, .terminated:
            return []
        }
    }

    public mutating func ackReceived(_ ack: SIPRequest, now: SIPInstant) -> [TransactionAction] {
        switch state {
        case .completed:
            if reliable {
                state = .terminated
                return [.terminated]
            }
            state = .confirmed
            return [.schedule(.i, at: now + timers.t4)]
        case .accepted:
            return [.deliverAck(ack)]
        case .proceeding, .confirmed, .terminated:
            return []
        }
    }

    public mutating func timerFired(_ timer: TransactionTimer, now: SIPInstant) -> [TransactionAction] {
        switch (state, timer) {
        case (.completed(let response, let interval), .g):
            let next = min(interval * 2, timers.t2)
            state = .completed(response: response, retransmitInterval: next)
            return [.send(.response(response)), .schedule(.g, at: now + next)]
        case (.completed, .h):
            state = .terminated
            return [.noAck, .terminated]
        case (.confirmed, .i), (.accepted, .l):
            state = .terminated
            return [.terminated]
        case (.proceeding, _), (.accepted, _), (.completed, _), (.confirmed, _), (.terminated, _):
            return []
        }
    }
}

/// A non-INVITE server transaction (RFC 3261 §17.2.2).
public struct NonInviteServerTransaction: Sendable {
    private enum State: Sendable {
        /// No response yet; a retransmitted request is ignored.
        case trying
        /// A provisional was sent; it is resent on a retransmitted request.
        case proceeding(lastProvisional: SIPResponse)
        /// The final response was sent; it is resent on a retransmitted request until Timer J.
        case completed(response: SIPResponse)
        case terminated
    }

    public let request: SIPRequest
    private let reliable: Bool
    private let timers: SIPTimerSettings
    private var state: State = .trying

    public init(_ request: SIPRequest, reliable: Bool, timers: SIPTimerSettings) {
        self.request = request
        self.reliable = reliable
        self.timers = timers
    }

    public var isTerminated: Bool {
        if case .terminated = state { return true }
        return false
    }

    public mutating func respond(_ response: SIPResponse, now: SIPInstant) -> [TransactionAction] {
        switch state {
        case .trying, .proceeding:
            if response.isProvisional {
                state = .proceeding(lastProvisional: response)
                return [.send(.response(response))]
            }
            if reliable {
                state = .terminated
                return [.send(.response(response)), .terminated]
            }
            state = .completed(response: response)
            return [.send(.response(response)), .schedule(.j, at: now + timers.transactionTimeout)]
        case .completed, .terminated:
            return []
        }
    }

    public mutating func requestRetransmitted() -> [TransactionAction] {
        switch state {
        case .trying, .terminated: return []
        case .proceeding(let response), .completed(let response): return [.send(.response(response))]
        }
    }

    public mutating func timerFired(_ timer: TransactionTimer, now: SIPInstant) -> [TransactionAction] {
        switch (state, timer) {
        case (.completed, .j):
            state = .terminated
            return [.terminated]
        case (.trying, _), (.proceeding, _), (.completed, _), (.terminated, _):
            return []
        }
    }
}
