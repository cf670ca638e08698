import NIOCore
import NIOPosix
import SkinnyWire

/// The phone itself: the last handler of the SCCP pipeline, holding everything the phone knows. It lives on its
/// channel's event loop and is only touched there; `SkinnyPhone` is the thread-safe face that hops onto the loop.
///
/// The handler is thin where it can be: registration sequencing is `RegistrationMachine` and display state is
/// `SkinnyPhone.State.apply`, both pure; this class does the I/O (writes, timers, UDP sockets) and resolves
/// waiters.
final class SkinnyPhoneHandler: ChannelInboundHandler {
    typealias InboundIn = SkinnyFrame
    typealias OutboundOut = SkinnyFrame

    let configuration: SkinnyPhone.Configuration
    let eventLoop: any EventLoop
    /// What the phone displays and counts.
    var state = SkinnyPhone.State()
    /// The version used to decode and encode: the offered one until RegisterAck, then the negotiated one.
    private(set) var version: SkinnyProtocolVersion
    /// Before RegisterAck frames carry header version 0 ("basic"); after it, the negotiated version's value.
    private var negotiated = false
    private var machine: RegistrationMachine
    private var context: ChannelHandlerContext?
    private var history: CircularBuffer<SkinnyPhone.Received>
    /// `state.messagesReceived` when the last action was sent.
    private(set) var lastActionMark = 0
    var messageWaiters: [ObjectIdentifier: MessageWaiter] = [:]
    var stateWaiters: [ObjectIdentifier: StateWaiter] = [:]
    private var registrationPromise: EventLoopPromise<SkinnyPhone.Registration>?
    private var registrationTimeout: Scheduled<Void>?
    private var keepAliveTask: RepeatedTask?
    /// The soft-key template, kept for the Registration.
    private var softKeys: [SkinnyMessage.SoftKeyTemplateRes.SoftKey] = []
    private var buttons: [SkinnyMessage.ButtonTemplateRes.Button] = []
    private var registerAck: SkinnyMessage.RegisterAck?
    /// Open media streams.
    var media: [MediaStream] = []
    /// Reports of media streams that were closed, oldest first, at most ``finishedMediaStreamCapacity``.
    var finishedMediaStreams: [SkinnyPhone.MediaStreamReport] = []
    /// Counts OpenReceiveChannels acknowledged without a socket, to make up distinct ports.
    var fabricatedPorts: UInt32 = 0
    /// Why the connection closed, when it was not the phone's own doing.
    private(set) var closeError: SkinnyPhoneError?
    /// Unregister sent: close the connection once UnregisterAck says OK (call-flows §1).
    var unregistering = false

    init(configuration: SkinnyPhone.Configuration, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.version = SkinnyProtocolVersion(max(3, configuration.protocolVersion))
        self.machine = RegistrationMachine(
            offeredVersion: configuration.protocolVersion,
            maxLines: configuration.maxLines
        )
        self.history = CircularBuffer(initialCapacity: max(1, min(configuration.historyCapacity, 64)))
    }

    var deviceName: String { self.configuration.deviceName }

    /// A handle on this handler that closures scheduled on its loop may capture.
    var loopBound: NIOLoopBound<SkinnyPhoneHandler> { NIOLoopBound(self, eventLoop: self.eventLoop) }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionClosed()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? SkinnyError {
            self.closeError = .malformedMessage(self.deviceName, error)
        } else if self.closeError == nil {
            self.closeError = .connectionClosed(self.deviceName, cause: "\(error)")
        }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        let message: CallManagerMessage
        do {
            message = try CallManagerMessage(frame: frame, version: self.version)
        } catch {
            // A real phone drops a session it cannot parse; doing the same makes server bugs loud.
            self.closeError = .malformedMessage(self.deviceName, error)
            context.close(promise: nil)
            return
        }
        self.received(message, headerVersion: frame.headerVersion)
    }

    // MARK: Receiving

    private func received(_ message: CallManagerMessage, headerVersion: UInt32) {
        let sequence = self.state.messagesReceived + 1
        self.state.messagesReceived = sequence
        if self.configuration.historyCapacity > 0 {
            if self.history.count >= self.configuration.historyCapacity {
                self.history.removeFirst()
            }
            self.history.append(
                SkinnyPhone.Received(sequence: sequence, headerVersion: headerVersion, message: message)
            )
        }
        self.state.apply(message, sequence: sequence)
        // Message waiters first: the reaction may close the connection (UnregisterAck, Reset), which fails the
        // waiters that are still waiting, and the message they wait for is this one.
        self.offerToMessageWaiters(message)
        self.react(to: message)
        self.stateChanged()
    }

    /// What the phone does by itself when `message` arrives.
    private func react(to message: CallManagerMessage) {
        if case .registerAck(let ack) = message {
            self.registerAck = ack
        }
        let step = self.machine.received(message)
        self.carryOut(step)
        switch message {
        case .capabilitiesReq:
            self.write([.capabilitiesRes(.init(capabilities: self.configuration.codecs))])
        case .softKeyTemplateRes(let template):
            if template.softKeyOffset == 0 {
                self.softKeys = []
            }
            self.softKeys.append(contentsOf: template.softKeys)
        case .callState(let callState) where callState.callState == .onHook:
            self.closeMedia(callReference: callState.callReference)
        case .openReceiveChannel(let request):
            self.openReceiveChannel(request)
        case .startMediaTransmission(let request):
            self.startMediaTransmission(request)
        case .stopMediaTransmission(let request):
            self.stopMediaTransmission(
                callReference: request.callReference,
                passThroughPartyID: request.passThroughPartyID
            )
        case .closeReceiveChannel(let request):
            self.closeReceiveChannel(
                callReference: request.callReference,
                passThroughPartyID: request.passThroughPartyID
            )
        case .connectionStatisticsReq(let request):
            self.answerConnectionStatistics(request)
        case .unregisterAck(let ack) where self.unregistering && ack.status == .ok:
            self.context?.close(promise: nil)
        case .reset where self.configuration.closesOnReset:
            self.context?.close(promise: nil)
        default:
            break
        }
    }

    private func carryOut(_ step: RegistrationMachine.Step) {
        if let version = step.negotiated {
            self.version = version
            self.negotiated = true
            self.startKeepAlive()
        }
        if let buttons = step.buttons {
            self.buttons = buttons
            self.state.applyButtons(buttons)
        }
        if !step.send.isEmpty {
            self.write(step.send)
        }
        if let text = step.rejected {
            self.finishRegistration(.failure(SkinnyPhoneError.registerRejected(self.deviceName, text: text)))
            self.context?.close(promise: nil)
        }
        if step.completed {
            self.completeRegistration()
        }
    }

    // MARK: Registration

    /// Sends Register and returns a future for the end of the registration sequence.
    func register(timeout: TimeAmount) -> EventLoopFuture<SkinnyPhone.Registration> {
        guard self.machine.phase == .idle else {
            return self.eventLoop.makeFailedFuture(
                SkinnyPhoneError.invalidArgument(self.deviceName, "register() was already called on this connection")
            )
        }
        guard self.state.connection != .closed else {
            return self.eventLoop.makeFailedFuture(self.closedError(waitingFor: "registration"))
        }
        let promise = self.eventLoop.makePromise(of: SkinnyPhone.Registration.self)
        self.registrationPromise = promise
        self.registrationTimeout = self.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            let phase = self.machine.phase
            self.finishRegistration(
                .failure(
                    SkinnyPhoneError.timedOut(
                        self.deviceName,
                        waitingFor: "end of registration (phase \(phase))",
                        after: Duration(timeout),
                        recent: self.recentMessages()
                    )
                )
            )
        }
        self.machine.registerSent()
        self.state.connection = .registering
        self.lastActionMark = self.state.messagesReceived
        self.write([.register(self.registerMessage())])
        return promise.futureResult
    }

    private func registerMessage() -> SkinnyMessage.Register {
        let configuration = self.configuration
        let localAddress = self.context?.channel.localAddress?.ipAddress.flatMap { SkinnyIPAddress(ipv4String: $0) }
        return SkinnyMessage.Register(
            deviceName: configuration.deviceName,
            stationIPAddress: configuration.stationAddress ?? localAddress ?? .unspecified,
            deviceType: configuration.deviceType,
            maxStreams: configuration.maxStreams,
            protocolVersion: configuration.protocolVersion,
            features: configuration.features ?? SkinnyPhone.defaultFeatures(forVersion: configuration.protocolVersion),
            macAddress: Self.macAddress(fromDeviceName: configuration.deviceName),
            maxNumberOfLines: configuration.maxLines,
            firmwareLoadName: configuration.firmwareLoadName
        )
    }

    /// "SEP00112233AABB" → [0x00, 0x11, 0x22, 0x33, 0xAA, 0xBB]; anything else → no MAC.
    static func macAddress(fromDeviceName name: String) -> [UInt8] {
        let hex = Array(name.utf8.dropFirst(3))
        guard name.count == 15, hex.count == 12 else { return [] }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 12, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else {
                return []
            }
            bytes.append(byte)
        }
        return bytes
    }

    private func completeRegistration() {
        guard let ack = self.registerAck else { return }
        let timeDate = self.history.last { if case .timeDateRes = $0.message { true } else { false } }
        var time = SkinnyMessage.TimeDateRes(unixTime: 0)
        if case .timeDateRes(let message)? = timeDate?.message {
            time = message
        }
        let registration = SkinnyPhone.Registration(
            negotiatedVersion: self.version,
            keepAliveInterval: ack.keepAliveInterval,
            secondaryKeepAliveInterval: ack.secondaryKeepAliveInterval,
            dateTemplate: ack.dateTemplate,
            buttons: self.buttons,
            lines: self.state.lines,
            speedDials: self.state.speedDials,
            softKeys: self.softKeys,
            timeDate: time
        )
        self.state.registration = registration
        self.state.connection = .registered
        self.finishRegistration(.success(registration))
    }

    private func finishRegistration(_ result: Result<SkinnyPhone.Registration, any Error>) {
        self.registrationTimeout?.cancel()
        self.registrationTimeout = nil
        guard let promise = self.registrationPromise else { return }
        self.registrationPromise = nil
        promise.completeWith(result)
    }

    // MARK: Keepalive

    private func startKeepAlive() {
        self.keepAliveTask?.cancel()
        let interval: TimeAmount
        switch self.configuration.keepAlive {
        case .disabled:
            return
        case .every(let duration):
            interval = TimeAmount(duration)
        case .fromRegisterAck:
            let seconds = self.registerAck?.keepAliveInterval ?? 0
            interval = .seconds(Int64(seconds == 0 ? 30 : seconds))
        }
        guard interval > .zero else { return }
        let bound = self.loopBound
        self.keepAliveTask = self.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.sendKeepAlive()
        }
    }

    private func sendKeepAlive() {
        guard self.state.connection != .closed else { return }
        self.state.keepAlivesSent += 1
        self.write([.keepAlive])
    }

    // MARK: Sending

    /// Writes `messages` at the current version and flushes once.
    @discardableResult
    func write(_ messages: [StationMessage]) -> EventLoopFuture<Void> {
        guard let context = self.context, self.state.connection != .closed, !messages.isEmpty else {
            if messages.isEmpty { return self.eventLoop.makeSucceededVoidFuture() }
            return self.eventLoop.makeFailedFuture(self.closedError(waitingFor: nil))
        }
        let promise = self.eventLoop.makePromise(of: Void.self)
        for (index, message) in messages.enumerated() {
            var frame = message.frame(version: self.version)
            if !self.negotiated, !Self.isRaw(message) {
                frame.headerVersion = 0
            }
            context.write(self.wrapOutboundOut(frame), promise: index == messages.count - 1 ? promise : nil)
        }
        context.flush()
        self.state.messagesSent += messages.count
        return promise.futureResult
    }

    private static func isRaw(_ message: StationMessage) -> Bool {
        if case .unknown = message { return true }
        return false
    }

    /// Sends a user action: remembers where the history stood, so that waits default to what came after it.
    func act(_ messages: [StationMessage]) -> EventLoopFuture<Void> {
        self.lastActionMark = self.state.messagesReceived
        return self.write(messages)
    }

    /// Closes the connection; `abort` resets it (SO_LINGER 0) instead of closing it gracefully.
    func close(abort: Bool) -> EventLoopFuture<Void> {
        guard let context = self.context else { return self.eventLoop.makeSucceededVoidFuture() }
        let channel = context.channel
        guard abort else {
            channel.close(promise: nil)
            return channel.closeFuture
        }
        let lingerNow = linger(l_onoff: 1, l_linger: 0)
        let set: EventLoopFuture<Void> =
            (channel as? any SocketOptionProvider)?.setSoLinger(lingerNow) ?? self.eventLoop.makeSucceededVoidFuture()
        return set.flatMapError { _ in channel.eventLoop.makeSucceededVoidFuture() }
            .flatMap {
                channel.close(promise: nil)
                return channel.closeFuture
            }
    }

    // MARK: Closing

    private func connectionClosed() {
        guard self.state.connection != .closed else { return }
        self.state.connection = .closed
        self.keepAliveTask?.cancel()
        self.keepAliveTask = nil
        for stream in self.media {
            stream.close()
        }
        self.removeClosedMediaStreams()
        for key in Array(self.state.calls.keys) {
            self.state.calls[key]?.isReceiving = false
            self.state.calls[key]?.transmittingTo = nil
        }
        self.finishRegistration(.failure(self.closedError(waitingFor: "the end of registration")))
        self.connectionClosedForWaiters()
    }

    func closedError(waitingFor what: String?) -> SkinnyPhoneError {
        if let closeError = self.closeError {
            return closeError
        }
        return .connectionClosed(self.deviceName, waitingFor: what)
    }

    // MARK: History

    func received(since start: Int) -> [SkinnyPhone.Received] {
        self.history.filter { $0.sequence > start }
    }

    var allHistory: [SkinnyPhone.Received] { Array(self.history) }

    /// The last few messages, for timeout errors.
    func recentMessages() -> String {
        self.history.suffix(8).map { SkinnyPhone.describe($0.message) }.joined(separator: ", ")
    }

    // MARK: Statistics

    private func answerConnectionStatistics(_ request: SkinnyMessage.ConnectionStatisticsReq) {
        let streams = self.media.filter { $0.callReference == request.callReference }
        let call = self.state.call(request.callReference)
        self.write([
            .connectionStatisticsRes(
                .init(
                    directoryNumber: request.directoryNumber,
                    callReference: request.callReference,
                    statsProcessingMode: request.statsProcessing.rawValue,
                    packetsSent: UInt32(clamping: call?.rtpPacketsSent ?? 0),
                    octetsSent: UInt32(clamping: streams.reduce(0) { $0 + $1.octetsSent }),
                    packetsReceived: UInt32(clamping: call?.rtpPacketsReceived ?? 0),
                    octetsReceived: UInt32(clamping: streams.reduce(0) { $0 + $1.octetsReceived }),
                    packetsLost: 0,
                    jitter: 0,
                    latency: 0
                )
            )
        ])
    }
}

@available(*, unavailable)
extension SkinnyPhoneHandler: Sendable {}
