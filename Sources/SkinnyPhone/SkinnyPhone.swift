public import NIOCore
import NIOPosix
import NIOSSL
public import SkinnyWire

/// A simulated Cisco SCCP phone, for integration tests and load generation.
///
/// A phone is one TCP connection to a call manager on a shared `EventLoopGroup`; its state lives on the
/// connection's event loop, so thousands of phones cost no threads and no polling. Every method may be called from
/// any task: it hops onto the loop and back.
///
/// ```swift
/// let phone = try await SkinnyPhone.connect(
///     host: "127.0.0.1", port: port, configuration: .init(deviceName: "SEP000000001001"), group: group)
/// let registration = try await phone.register()
/// try await phone.offHook()
/// try await phone.waitForCallState(.offHook)
/// try await phone.dial("1002")
/// ```
///
/// Waiting never polls: a wait is a promise that the phone resolves when a matching message arrives (or already
/// arrived after the wait's starting point), when the state it asks about comes true, on timeout, on cancellation
/// of the waiting task, or when the connection closes.
public final class SkinnyPhone: Sendable {
    /// How the phone presents itself and behaves.
    public let configuration: Configuration
    /// The event loop this phone's connection, timers and RTP sockets run on.
    public let eventLoop: any EventLoop
    /// The TCP connection to the call manager.
    public let channel: any Channel
    let handler: NIOLoopBound<SkinnyPhoneHandler>

    private init(
        configuration: Configuration,
        eventLoop: any EventLoop,
        channel: any Channel,
        handler: NIOLoopBound<SkinnyPhoneHandler>
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.channel = channel
        self.handler = handler
    }

    /// The device name.
    public var deviceName: String { self.configuration.deviceName }

    /// Opens a TCP connection to the call manager at `host`:`port` on one of `group`'s event loops. The phone is
    /// connected but not registered: call `register(timeout:)`.
    public static func connect(
        host: String,
        port: Int,
        configuration: Configuration,
        group: any EventLoopGroup
    ) async throws -> SkinnyPhone {
        let eventLoop = group.next()
        let handler = try await eventLoop.submit {
            NIOLoopBound(SkinnyPhoneHandler(configuration: configuration, eventLoop: eventLoop), eventLoop: eventLoop)
        }.get()
        let maximumFrameLength = configuration.maximumFrameLength
        let tls = configuration.tls
        let tlsServerHostname = configuration.tlsServerHostname
        var bootstrap = ClientBootstrap(group: eventLoop)
        if let localAddress = configuration.localAddress {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localAddress, port: 0))
        }
        let channel =
            try await bootstrap
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: tlsServerHostname))
                    }
                    try operations.addHandler(
                        ByteToMessageHandler(SkinnyFrameDecoder(maximumLength: maximumFrameLength))
                    )
                    try operations.addHandler(MessageToByteHandler(SkinnyFrameEncoder()))
                    try operations.addHandler(handler.value)
                }
            }
            .connect(host: host, port: port)
            .get()
        return SkinnyPhone(configuration: configuration, eventLoop: eventLoop, channel: channel, handler: handler)
    }

    /// Runs `body` on the phone's event loop with its handler.
    private func onLoop<T: Sendable>(
        _ body: @escaping @Sendable (SkinnyPhoneHandler) throws -> EventLoopFuture<T>
    ) async throws -> T {
        let handler = self.handler
        return try await self.eventLoop.flatSubmit {
            do {
                return try body(handler.value)
            } catch {
                return handler.value.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    // MARK: Registration

    /// Registers (call-flows §1) and returns once the registration sequence is complete: RegisterAck, then the
    /// TimeDateRes and every LineStatRes the phone asked for. Throws `.registerRejected` with the reject text,
    /// `.timedOut` naming the phase it stopped in, or `.connectionClosed`.
    @discardableResult
    public func register(timeout: Duration = .seconds(10)) async throws -> Registration {
        try await self.onLoop { $0.register(timeout: TimeAmount(timeout)) }
    }

    // MARK: Looking

    /// A snapshot of everything the phone displays and counts.
    public func state() async throws -> State {
        try await self.onLoop { $0.eventLoop.makeSucceededFuture($0.state) }
    }

    /// The received messages the phone still holds (at most `historyCapacity`), oldest first.
    public func history() async throws -> [Received] {
        try await self.onLoop { $0.eventLoop.makeSucceededFuture($0.allHistory) }
    }

    /// The current point in the message history, to wait for messages that arrive after it.
    public func mark() async throws -> Mark {
        try await self.onLoop { $0.eventLoop.makeSucceededFuture(Mark(sequence: $0.state.messagesReceived)) }
    }

    // MARK: Waiting

    /// Waits for the first message after `since` that `extract` maps to a value, and returns that value.
    ///
    /// A message that arrived after `since` and is still in the history resolves the wait at once. The default,
    /// `.lastAction`, covers the answer to the last thing the phone sent, however fast it came.
    public func waitFor<T: Sendable>(
        _ what: String = "a matching message",
        since: Since = .lastAction,
        timeout: Duration = .seconds(5),
        extract: @escaping @Sendable (CallManagerMessage) -> T?
    ) async throws -> T {
        let promise = self.eventLoop.makePromise(of: T.self)
        let key = ObjectIdentifier(promise.futureResult)
        let handler = self.handler
        let amount = TimeAmount(timeout)
        self.eventLoop.execute {
            handler.value.addMessageWaiter(
                key: key,
                promise: promise,
                what: what,
                since: since,
                timeout: amount,
                extract: extract
            )
        }
        return try await self.wait(for: promise, key: key)
    }

    /// Waits for the first message after `since` for which `predicate` is true.
    @discardableResult
    public func waitFor(
        _ what: String = "a matching message",
        since: Since = .lastAction,
        timeout: Duration = .seconds(5),
        where predicate: @escaping @Sendable (CallManagerMessage) -> Bool
    ) async throws -> CallManagerMessage {
        try await self.waitFor(what, since: since, timeout: timeout) { predicate($0) ? $0 : nil }
    }

    /// Waits until `extract` maps the phone's state to a value (checked now and after every change, RTP packets
    /// included), and returns that value.
    public func waitForState<T: Sendable>(
        _ what: String = "a matching state",
        timeout: Duration = .seconds(5),
        extract: @escaping @Sendable (State) -> T?
    ) async throws -> T {
        let promise = self.eventLoop.makePromise(of: T.self)
        let key = ObjectIdentifier(promise.futureResult)
        let handler = self.handler
        let amount = TimeAmount(timeout)
        self.eventLoop.execute {
            handler.value.addStateWaiter(key: key, promise: promise, what: what, timeout: amount, extract: extract)
        }
        return try await self.wait(for: promise, key: key)
    }

    private func wait<T: Sendable>(for promise: EventLoopPromise<T>, key: ObjectIdentifier) async throws -> T {
        let handler = self.handler
        let eventLoop = self.eventLoop
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            // Runs after the waiter was added: both go through the loop's queue, in this order.
            eventLoop.execute { handler.value.cancelWaiter(key) }
        }
    }

    /// Waits for a CallState message with `callState` (on `line`, if given) after `since`.
    @discardableResult
    public func waitForCallState(
        _ callState: SkinnyCallState,
        line: UInt32? = nil,
        since: Since = .lastAction,
        timeout: Duration = .seconds(5)
    ) async throws -> SkinnyMessage.CallState {
        try await self.waitFor("CallState \(SkinnyPhone.describe(callState))", since: since, timeout: timeout) {
            guard case .callState(let message) = $0, message.callState == callState else { return nil }
            guard line == nil || line == message.lineInstance else { return nil }
            return message
        }
    }

    /// Waits until a call is in `callState` (now or later) and returns it.
    @discardableResult
    public func waitForCall(_ callState: SkinnyCallState, timeout: Duration = .seconds(5)) async throws -> Call {
        try await self.waitForState("a call in state \(SkinnyPhone.describe(callState))", timeout: timeout) {
            $0.calls.values.filter { $0.state == callState }.max { $0.lastChange < $1.lastChange }
        }
    }

    /// Waits until a call rings in (CallState RingIn) and returns it.
    @discardableResult
    public func waitForRinging(timeout: Duration = .seconds(5)) async throws -> Call {
        try await self.waitForState("a ringing call", timeout: timeout) { $0.ringingCall }
    }

    /// Waits until the phone has no live call (every call went on hook).
    public func waitForIdle(timeout: Duration = .seconds(5)) async throws {
        try await self.waitForState("no live call", timeout: timeout) { $0.calls.isEmpty ? () : nil }
    }

    /// Waits until `packets` valid RTP packets have arrived, for call `callReference` or, when nil, for all
    /// calls together; returns the count.
    @discardableResult
    public func waitForRTP(
        packets: Int,
        callReference: UInt32? = nil,
        timeout: Duration = .seconds(5)
    ) async throws -> Int {
        try await self.waitForState("\(packets) RTP packets", timeout: timeout) { state in
            let count: Int
            if let callReference {
                count = state.call(callReference)?.rtpPacketsReceived ?? 0
            } else {
                count = state.rtpPacketsReceived
            }
            return count >= packets ? count : nil
        }
    }

    /// Waits until the connection is closed, by either side.
    public func waitForDisconnect(timeout: Duration = .seconds(5)) async throws {
        try await self.waitForState("the connection to close", timeout: timeout) {
            $0.connection == .closed ? () : nil
        }
    }

    // MARK: Actions

    /// Sends `messages` as a user action (waits then default to what arrives after it).
    private func act(_ build: @escaping @Sendable (SkinnyPhoneHandler) throws -> [StationMessage]) async throws {
        try await self.onLoop { handler in handler.act(try build(handler)) }
    }

    /// Sends any station message, at the negotiated version.
    public func send(_ message: StationMessage) async throws {
        try await self.act { _ in [message] }
    }

    /// Lifts the handset: OffHook(line, 0) to start a call, or OffHook(line, call) when a call rings on that line
    /// (which answers it). `line` defaults to the ringing call's line, else the first line.
    public func offHook(line: UInt32? = nil) async throws {
        try await self.act { handler in
            let state = handler.state
            if let ringing = state.ringingCall, line == nil || line == ringing.lineInstance {
                return [.offHook(.init(lineInstance: ringing.lineInstance, callReference: ringing.callReference))]
            }
            return [.offHook(.init(lineInstance: line ?? state.defaultLine, callReference: 0))]
        }
    }

    /// Hangs up: OnHook(line, call) of the active call, or OnHook(0, 0) without one.
    public func onHook() async throws {
        try await self.act { handler in
            let call = handler.state.activeCall
            return [.onHook(.init(lineInstance: call?.lineInstance ?? 0, callReference: call?.callReference ?? 0))]
        }
    }

    /// Presses keypad keys: one KeypadButton per character of `digits` (0–9, A–D, `*`, `#`, `+`). From v11 each
    /// carries the active call's line and call reference; below v11 the body is the button alone, as the old
    /// phones sent it (reference §5.1). In a connected call whose stream the call manager gave an RFC 2833 payload
    /// type, each key also goes out as an RFC 4733 telephone-event in the RTP, as a phone does.
    public func dial(_ digits: String) async throws {
        let deviceName = self.deviceName
        let buttons = try digits.map { character in
            guard let button = SkinnyKeypadButton(character: character) else {
                throw SkinnyPhoneError.invalidArgument(deviceName, "\"\(character)\" is not a keypad key")
            }
            return button
        }
        try await self.act { handler in
            let call = handler.state.activeCall
            let withCall = handler.version >= .v11
            if let call, call.state == .connected {
                handler.queueTelephoneEvents(Array(digits), callReference: call.callReference)
            }
            return buttons.map { button in
                .keypadButton(
                    .init(
                        button,
                        lineInstance: withCall ? call?.lineInstance : nil,
                        callReference: withCall ? call?.callReference : nil
                    )
                )
            }
        }
    }

    /// Dials a whole number at once (EnblocCall). From v17 it carries the line: `line`, else the active call's,
    /// else the first line (reference §5.1).
    public func enbloc(_ number: String, line: UInt32? = nil) async throws {
        try await self.act { handler in
            let state = handler.state
            let lineInstance = line ?? state.activeCall?.lineInstance ?? state.defaultLine
            return [.enblocCall(.init(calledParty: number, lineInstance: handler.version >= .v17 ? lineInstance : nil))]
        }
    }

    /// Presses a soft key. `line` and `call` default to the active call's (0 and 0 on the idle screen).
    public func softKey(_ event: SkinnySoftKeyEvent, line: UInt32? = nil, call: UInt32? = nil) async throws {
        try await self.act { handler in
            let active = handler.state.activeCall
            return [
                .softKeyEvent(
                    .init(
                        event,
                        lineInstance: line ?? active?.lineInstance ?? 0,
                        callReference: call ?? active?.callReference ?? 0
                    )
                )
            ]
        }
    }

    /// Answers the ringing call: OffHook(line, call) or SoftKeyEvent Answer, per `configuration.answerMode`.
    /// Throws `.noSuchCall` when nothing rings.
    public func answer() async throws {
        let mode = self.configuration.answerMode
        let deviceName = self.deviceName
        try await self.act { handler in
            guard let ringing = handler.state.ringingCall else {
                throw SkinnyPhoneError.noSuchCall(deviceName, "ringing")
            }
            switch mode {
            case .offHook:
                return [.offHook(.init(lineInstance: ringing.lineInstance, callReference: ringing.callReference))]
            case .softKey:
                return [
                    .softKeyEvent(
                        .init(.answer, lineInstance: ringing.lineInstance, callReference: ringing.callReference)
                    )
                ]
            }
        }
    }

    /// Puts the active call on hold (SoftKeyEvent Hold). Throws `.noSuchCall` without an active call.
    public func hold() async throws {
        try await self.callSoftKey(.hold, on: "active") { $0.activeCall }
    }

    /// Resumes the held call (SoftKeyEvent Resume). Throws `.noSuchCall` without a held call.
    public func resume() async throws {
        try await self.callSoftKey(.resume, on: "held") { $0.heldCall }
    }

    /// Ends the active call (SoftKeyEvent EndCall). Throws `.noSuchCall` without an active call.
    public func endCall() async throws {
        try await self.callSoftKey(.endCall, on: "active") { $0.activeCall }
    }

    private func callSoftKey(
        _ event: SkinnySoftKeyEvent,
        on what: String,
        _ pick: @escaping @Sendable (State) -> Call?
    ) async throws {
        let deviceName = self.deviceName
        try await self.act { handler in
            guard let call = pick(handler.state) else { throw SkinnyPhoneError.noSuchCall(deviceName, what) }
            return [.softKeyEvent(.init(event, lineInstance: call.lineInstance, callReference: call.callReference))]
        }
    }

    /// Presses Redial (SoftKeyEvent Redial) on the active call, or on the idle screen (line 0, call 0).
    public func redial() async throws {
        try await self.softKey(.redial)
    }

    /// Presses speed-dial button `index` (Stimulus SpeedDial, or BLF speed dial when the template says so).
    public func speedDial(_ index: UInt32) async throws {
        try await self.act { handler in
            let state = handler.state
            let isBLF = state.speedDials.first { $0.instance == index }?.isBLF ?? false
            return [
                .stimulus(
                    .init(
                        isBLF ? .blfSpeedDial : .speedDial,
                        stimulusInstance: index,
                        callReference: state.activeCall?.callReference ?? 0
                    )
                )
            ]
        }
    }

    /// Presses line button `line` (Stimulus Line), with the call on that line if there is one.
    public func lineButton(_ line: UInt32) async throws {
        try await self.act { handler in
            let call = handler.state.calls.values.filter { $0.lineInstance == line }.max {
                $0.lastChange < $1.lastChange
            }
            return [.stimulus(.init(.line, stimulusInstance: line, callReference: call?.callReference ?? 0))]
        }
    }

    /// Unregisters: sends Unregister, waits for UnregisterAck and, when it says OK, closes the connection as a
    /// real phone does (call-flows §1). Throws `.unregisterRefused` when the call manager says no.
    public func unregister(timeout: Duration = .seconds(5)) async throws {
        let promise = self.eventLoop.makePromise(of: SkinnyMessage.UnregisterAck.self)
        let key = ObjectIdentifier(promise.futureResult)
        let handler = self.handler
        let amount = TimeAmount(timeout)
        self.eventLoop.execute {
            let phone = handler.value
            phone.unregistering = true
            phone.addMessageWaiter(key: key, promise: promise, what: "UnregisterAck", since: .now, timeout: amount) {
                if case .unregisterAck(let ack) = $0 { ack } else { nil }
            }
            phone.act([.unregister(.init())]).whenFailure { promise.fail($0) }
        }
        let ack = try await self.wait(for: promise, key: key)
        guard ack.status == .ok else {
            try await self.onLoop { handler in
                handler.unregistering = false
                return handler.eventLoop.makeSucceededVoidFuture()
            }
            throw SkinnyPhoneError.unregisterRefused(self.deviceName, status: ack.status)
        }
        try await self.channel.closeFuture.get()
    }

    /// Closes the connection cleanly (FIN), without Unregister, and waits until it is closed.
    public func disconnect() async throws {
        try await self.onLoop { $0.close(abort: false) }
    }

    /// Drops the connection abruptly: SO_LINGER 0, so the call manager sees a reset, and no Unregister.
    public func abort() async throws {
        try await self.onLoop { $0.close(abort: true) }
    }
}

extension SkinnyPhone.State {
    /// The line a new call goes on: the first line button, else 1.
    var defaultLine: UInt32 { self.lines.first?.instance ?? 1 }
}
