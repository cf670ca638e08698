import NIOCore
import SkinnyWire

/// A wait for a message: offered every message that arrives until it resolves, times out, is cancelled or the
/// connection closes.
struct MessageWaiter {
    /// A description for errors, e.g. "CallState Connected".
    let what: String
    /// Resolves the waiter's promise and returns true if `message` is the one.
    let offer: (CallManagerMessage) -> Bool
    let fail: (any Error) -> Void
    let timeout: Scheduled<Void>?
}

/// A wait for a condition on the phone's state: checked after every change until it holds.
struct StateWaiter {
    let what: String
    /// Resolves the waiter's promise and returns true if the condition holds.
    let offer: (SkinnyPhone.State) -> Bool
    let fail: (any Error) -> Void
    let timeout: Scheduled<Void>?
}

extension SkinnyPhoneHandler {
    /// The message sequence number that `since` stands for.
    func start(of since: SkinnyPhone.Since) -> Int {
        switch since {
        case .now: self.state.messagesReceived
        case .lastAction: self.lastActionMark
        case .mark(let mark): mark.sequence
        case .start: 0
        }
    }

    /// Resolves `promise` with the first message after `since` that `extract` accepts: one already in the history,
    /// or the next one to arrive.
    func addMessageWaiter<T: Sendable>(
        key: ObjectIdentifier,
        promise: EventLoopPromise<T>,
        what: String,
        since: SkinnyPhone.Since,
        timeout: TimeAmount,
        extract: @escaping (CallManagerMessage) -> T?
    ) {
        for received in self.received(since: self.start(of: since)) {
            if let value = extract(received.message) {
                promise.succeed(value)
                return
            }
        }
        guard self.state.connection != .closed else {
            promise.fail(self.closedError(waitingFor: what))
            return
        }
        let scheduled = self.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard let waiter = self.messageWaiters.removeValue(forKey: key) else { return }
            waiter.fail(
                SkinnyPhoneError.timedOut(
                    self.deviceName,
                    waitingFor: what,
                    after: Duration(timeout),
                    recent: self.recentMessages()
                )
            )
        }
        self.messageWaiters[key] = MessageWaiter(
            what: what,
            offer: { message in
                guard let value = extract(message) else { return false }
                promise.succeed(value)
                return true
            },
            fail: { promise.fail($0) },
            timeout: scheduled
        )
    }

    /// Resolves `promise` as soon as `extract` returns a value for the phone's state: now, or after a change.
    func addStateWaiter<T: Sendable>(
        key: ObjectIdentifier,
        promise: EventLoopPromise<T>,
        what: String,
        timeout: TimeAmount,
        extract: @escaping (SkinnyPhone.State) -> T?
    ) {
        if let value = extract(self.state) {
            promise.succeed(value)
            return
        }
        guard self.state.connection != .closed else {
            promise.fail(self.closedError(waitingFor: what))
            return
        }
        let scheduled = self.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard let waiter = self.stateWaiters.removeValue(forKey: key) else { return }
            waiter.fail(
                SkinnyPhoneError.timedOut(
                    self.deviceName,
                    waitingFor: what,
                    after: Duration(timeout),
                    recent: self.recentMessages()
                )
            )
        }
        self.stateWaiters[key] = StateWaiter(
            what: what,
            offer: { state in
                guard let value = extract(state) else { return false }
                promise.succeed(value)
                return true
            },
            fail: { promise.fail($0) },
            timeout: scheduled
        )
    }

    /// The task waiting on `key` was cancelled.
    func cancelWaiter(_ key: ObjectIdentifier) {
        if let waiter = self.messageWaiters.removeValue(forKey: key) {
            waiter.timeout?.cancel()
            waiter.fail(CancellationError())
        }
        if let waiter = self.stateWaiters.removeValue(forKey: key) {
            waiter.timeout?.cancel()
            waiter.fail(CancellationError())
        }
    }

    /// Offers a new message to the message waiters.
    func offerToMessageWaiters(_ message: CallManagerMessage) {
        guard !self.messageWaiters.isEmpty else { return }
        for (key, waiter) in self.messageWaiters where waiter.offer(message) {
            waiter.timeout?.cancel()
            self.messageWaiters.removeValue(forKey: key)
        }
    }

    /// Offers the state to the state waiters after a change.
    func stateChanged() {
        guard !self.stateWaiters.isEmpty else { return }
        for (key, waiter) in self.stateWaiters where waiter.offer(self.state) {
            waiter.timeout?.cancel()
            self.stateWaiters.removeValue(forKey: key)
        }
    }

    /// The connection closed: state waiters that the closed state satisfies resolve, all others fail.
    func connectionClosedForWaiters() {
        self.stateChanged()
        let messageWaiters = self.messageWaiters
        let stateWaiters = self.stateWaiters
        self.messageWaiters.removeAll()
        self.stateWaiters.removeAll()
        for waiter in messageWaiters.values {
            waiter.timeout?.cancel()
            waiter.fail(self.closedError(waitingFor: waiter.what))
        }
        for waiter in stateWaiters.values {
            waiter.timeout?.cancel()
            waiter.fail(self.closedError(waitingFor: waiter.what))
        }
    }
}
