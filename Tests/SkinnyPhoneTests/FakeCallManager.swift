import NIOCore
import NIOPosix
import SkinnyWire

/// A small scripted SCCP call manager for the phone's tests: a NIO server on 127.0.0.1:0 that answers the
/// registration sequence by itself, records every frame a phone sends, and lets a test push any message.
///
/// Everything lives on one event loop (the server and all its connections), so its state needs no locks; tests
/// reach it with `submit` and wait on promises, never by polling.
final class FakeCallManager: Sendable {
    struct Line: Sendable {
        var directoryNumber: String
        var displayName: String
    }

    /// What the fake answers by itself.
    struct Script: Sendable {
        var keepAliveInterval: UInt32 = 30
        /// The highest version it negotiates.
        var maximumVersion: UInt8 = 22
        /// Answer Register with RegisterReject and this text, then close.
        var rejectText: String?
        /// Answer nothing at all (to time a phone out).
        var silent = false
        var lines: [Line] = [Line(directoryNumber: "1001", displayName: "Alice")]
        /// (number, name) per speed dial.
        var speedDials: [(number: String, name: String)] = []
        var unregisterStatus: SkinnyUnregisterStatus = .ok
        /// Answer KeepAlive with KeepAliveAck (false: a call manager that hangs with its connections open).
        var answersKeepAlives = true
    }

    let eventLoop: any EventLoop
    let port: Int
    private let serverChannel: any Channel
    private let registry: NIOLoopBound<Registry>

    private init(eventLoop: any EventLoop, port: Int, serverChannel: any Channel, registry: NIOLoopBound<Registry>) {
        self.eventLoop = eventLoop
        self.port = port
        self.serverChannel = serverChannel
        self.registry = registry
    }

    static func start(
        group: any EventLoopGroup,
        script: Script = Script(),
        port: Int = 0
    ) async throws -> FakeCallManager {
        let eventLoop = group.next()
        let registry = try await eventLoop.submit { NIOLoopBound(Registry(eventLoop: eventLoop), eventLoop: eventLoop) }
            .get()
        let channel = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = FakeConnection(channel: channel, script: script)
                    registry.value.connections.append(connection)
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(ByteToMessageHandler(SkinnyFrameDecoder()))
                    try operations.addHandler(MessageToByteHandler(SkinnyFrameEncoder()))
                    try operations.addHandler(FakeConnectionHandler(connection: connection, registry: registry.value))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        let port = channel.localAddress?.port ?? 0
        return FakeCallManager(eventLoop: eventLoop, port: port, serverChannel: channel, registry: registry)
    }

    /// The connection whose Register carried `deviceName`, once it has arrived.
    func connection(_ deviceName: String, timeout: TimeAmount = .seconds(5)) async throws -> FakeConnection {
        let registry = self.registry
        return try await self.eventLoop.flatSubmit {
            registry.value.waitForConnection(deviceName, timeout: timeout)
        }.get()
    }

    func stop() async throws {
        let registry = self.registry
        try await self.eventLoop.flatSubmit {
            for connection in registry.value.connections {
                connection.channel.close(promise: nil)
            }
            return registry.value.eventLoop.makeSucceededVoidFuture()
        }.get()
        try await self.serverChannel.close()
    }

    /// The connections and the tests waiting for one.
    final class Registry {
        var connections: [FakeConnection] = []
        var waiters: [(name: String, promise: EventLoopPromise<FakeConnection>)] = []
        let eventLoop: any EventLoop

        init(eventLoop: any EventLoop) {
            self.eventLoop = eventLoop
        }

        func registered(_ connection: FakeConnection) {
            let name = connection.deviceName
            for waiter in self.waiters where waiter.name == name {
                waiter.promise.succeed(connection)
            }
            self.waiters.removeAll { $0.name == name }
        }

        func waitForConnection(_ name: String, timeout: TimeAmount) -> EventLoopFuture<FakeConnection> {
            let loop = self.eventLoop
            if let connection = self.connections.first(where: { $0.deviceName == name }) {
                return loop.makeSucceededFuture(connection)
            }
            let promise = loop.makePromise(of: FakeConnection.self)
            self.waiters.append((name, promise))
            loop.assumeIsolated().scheduleTask(in: timeout) {
                promise.fail(FakeError.timedOut("Register from \(name)"))
            }
            return promise.futureResult
        }
    }
}

enum FakeError: Error, CustomStringConvertible {
    case timedOut(String)
    case closed(String)

    var description: String {
        switch self {
        case .timedOut(let what): "the fake call manager saw no \(what) in time"
        case .closed(let what): "the connection closed while waiting for \(what)"
        }
    }
}

/// A frame a phone sent, decoded at the version the fake negotiated.
struct ReceivedFrame: Sendable {
    var index: Int
    var headerVersion: UInt32
    var message: StationMessage
    var time: ContinuousClock.Instant
}

/// How a phone's connection ended, as the fake saw it.
struct CloseRecord: Sendable {
    /// The error the connection closed with: a reset shows up as ECONNRESET; a clean close has none.
    var error: String?
}

/// One phone's connection to the fake.
final class FakeConnection: Sendable {
    let channel: any Channel
    let script: FakeCallManager.Script
    private let box: NIOLoopBoundBox<ConnectionState>

    final class ConnectionState {
        var deviceName = ""
        var version: SkinnyProtocolVersion = .v3
        var frames: [ReceivedFrame] = []
        var waiters: [(after: Int, match: (ReceivedFrame) -> Bool, promise: EventLoopPromise<ReceivedFrame>)] = []
        var closeRecord: CloseRecord?
        var closeWaiters: [EventLoopPromise<CloseRecord>] = []
        var closeError: String?
    }

    init(channel: any Channel, script: FakeCallManager.Script) {
        self.channel = channel
        self.script = script
        self.box = NIOLoopBoundBox(ConnectionState(), eventLoop: channel.eventLoop)
    }

    var eventLoop: any EventLoop { self.channel.eventLoop }

    /// Only on the loop.
    var state: ConnectionState { self.box.value }
    var deviceName: String { self.box.value.deviceName }

    /// The version the fake negotiated with this phone.
    func version() async throws -> SkinnyProtocolVersion {
        let box = self.box
        return try await self.eventLoop.submit { box.value.version }.get()
    }

    /// Every frame received so far.
    func frames() async throws -> [ReceivedFrame] {
        let box = self.box
        return try await self.eventLoop.submit { box.value.frames }.get()
    }

    /// Sends `message` at the negotiated version; the header version follows chan-sccp (0 for KeepAliveAck,
    /// RegisterAck and UnregisterAck, else the version from v10; reference §2.1).
    func send(_ messages: CallManagerMessage...) async throws {
        let box = self.box
        let channel = self.channel
        try await self.eventLoop.flatSubmit {
            FakeConnection.write(messages, channel: channel, version: box.value.version)
        }.get()
    }

    static func write(
        _ messages: [CallManagerMessage],
        channel: any Channel,
        version: SkinnyProtocolVersion
    )
        -> EventLoopFuture<Void>
    {
        var last: EventLoopFuture<Void> = channel.eventLoop.makeSucceededVoidFuture()
        for message in messages {
            var frame = message.frame(version: version)
            switch message {
            case .keepAliveAck, .registerAck, .unregisterAck: frame.headerVersion = 0
            default: break
            }
            last = channel.write(frame)
        }
        channel.flush()
        return last
    }

    /// The first frame after index `after` (all frames with the default) that `match` accepts.
    @discardableResult
    func waitFor(
        after: Int = -1,
        timeout: TimeAmount = .seconds(5),
        _ what: String = "a matching frame",
        _ match: @escaping @Sendable (StationMessage) -> Bool
    ) async throws -> ReceivedFrame {
        let box = self.box
        let loop = self.eventLoop
        return try await loop.flatSubmit {
            let state = box.value
            if let frame = state.frames.first(where: { $0.index > after && match($0.message) }) {
                return loop.makeSucceededFuture(frame)
            }
            let promise = loop.makePromise(of: ReceivedFrame.self)
            if state.closeRecord != nil {
                promise.fail(FakeError.closed(what))
                return promise.futureResult
            }
            state.waiters.append((after, { match($0.message) }, promise))
            loop.assumeIsolated().scheduleTask(in: timeout) { promise.fail(FakeError.timedOut(what)) }
            return promise.futureResult
        }.get()
    }

    /// Waits until the connection is closed and says how.
    func waitForClose(timeout: TimeAmount = .seconds(5)) async throws -> CloseRecord {
        let box = self.box
        let loop = self.eventLoop
        return try await loop.flatSubmit {
            if let record = box.value.closeRecord {
                return loop.makeSucceededFuture(record)
            }
            let promise = loop.makePromise(of: CloseRecord.self)
            box.value.closeWaiters.append(promise)
            loop.assumeIsolated().scheduleTask(in: timeout) { promise.fail(FakeError.timedOut("close")) }
            return promise.futureResult
        }.get()
    }

    /// On the loop: records a frame and wakes the waiters it satisfies.
    func record(_ frame: ReceivedFrame) {
        let state = self.box.value
        state.frames.append(frame)
        let ready = state.waiters.filter { frame.index > $0.after && $0.match(frame) }
        state.waiters.removeAll { frame.index > $0.after && $0.match(frame) }
        for waiter in ready {
            waiter.promise.succeed(frame)
        }
    }

    /// On the loop: the connection closed.
    func closed() {
        let state = self.box.value
        guard state.closeRecord == nil else { return }
        let record = CloseRecord(error: state.closeError)
        state.closeRecord = record
        for waiter in state.waiters {
            waiter.promise.fail(FakeError.closed("a frame"))
        }
        state.waiters.removeAll()
        for waiter in state.closeWaiters {
            waiter.succeed(record)
        }
        state.closeWaiters.removeAll()
    }
}

/// Decodes what a phone sends and answers the registration sequence.
final class FakeConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = SkinnyFrame
    typealias OutboundOut = SkinnyFrame

    let connection: FakeConnection
    let registry: FakeCallManager.Registry

    init(connection: FakeConnection, registry: FakeCallManager.Registry) {
        self.connection = connection
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        let state = self.connection.state
        guard let message = try? StationMessage(frame: frame, version: state.version) else {
            context.close(promise: nil)
            return
        }
        let received = ReceivedFrame(
            index: state.frames.count,
            headerVersion: frame.headerVersion,
            message: message,
            time: ContinuousClock.now
        )
        if case .register(let register) = message {
            state.deviceName = register.deviceName
            state.version = SkinnyProtocolVersion.negotiate(
                offered: min(register.protocolVersion, self.connection.script.maximumVersion)
            )
        }
        self.connection.record(received)
        if case .register = message {
            self.registry.registered(self.connection)
        }
        let script = self.connection.script
        guard !script.silent else { return }
        let replies = self.replies(to: message, script: script, version: state.version)
        guard !replies.isEmpty else { return }
        _ = FakeConnection.write(replies, channel: context.channel, version: state.version)
        if case .registerReject = replies.first {
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.connection.state.closeError = "\(error)"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.closed()
        context.fireChannelInactive()
    }

    private func replies(
        to message: StationMessage,
        script: FakeCallManager.Script,
        version: SkinnyProtocolVersion
    ) -> [CallManagerMessage] {
        switch message {
        case .register:
            if let text = script.rejectText {
                return [.registerReject(.init(text: text))]
            }
            return [
                .registerAck(
                    .init(
                        keepAliveInterval: script.keepAliveInterval,
                        secondaryKeepAliveInterval: 60,
                        protocolVersion: version
                    )
                ),
                .capabilitiesReq,
            ]
        case .keepAlive:
            return script.answersKeepAlives ? [.keepAliveAck] : []
        case .buttonTemplateReq:
            var buttons = script.lines.indices.map { (instance: UInt8($0 + 1), type: SkinnyStimulus.line) }
            buttons += script.speedDials.indices.map { (instance: UInt8($0 + 1), type: SkinnyStimulus.speedDial) }
            return [.buttonTemplateRes(.init(buttons))]
        case .softKeyTemplateReq:
            return [
                .softKeyTemplateRes(
                    .init(softKeys: [
                        .init(label: "Redial", event: .redial), .init(label: "NewCall", event: .newCall),
                        .init(label: "Hold", event: .hold), .init(label: "EndCall", event: .endCall),
                    ])
                )
            ]
        case .softKeySetReq:
            return [.softKeySetRes(.init(softKeySets: []))]
        case .configStatReq:
            return [
                .configStatRes(
                    .init(
                        deviceName: self.connection.state.deviceName,
                        serverName: "fake",
                        numberOfLines: UInt32(script.lines.count),
                        numberOfSpeedDials: UInt32(script.speedDials.count)
                    )
                )
            ]
        case .lineStatReq(let request):
            let index = Int(request.lineNumber) - 1
            guard script.lines.indices.contains(index) else { return [] }
            let line = script.lines[index]
            if version >= .v17 {
                return [
                    .lineStatV2Res(
                        .init(
                            lineNumber: request.lineNumber,
                            directoryNumber: line.directoryNumber,
                            fullyQualifiedDisplayName: line.displayName,
                            textLabel: line.directoryNumber
                        )
                    )
                ]
            }
            return [
                .lineStatRes(
                    .init(
                        lineNumber: request.lineNumber,
                        directoryNumber: line.directoryNumber,
                        fullyQualifiedDisplayName: line.displayName,
                        textLabel: line.directoryNumber
                    )
                )
            ]
        case .speedDialStatReq(let request):
            let index = Int(request.speedDialNumber) - 1
            guard script.speedDials.indices.contains(index) else { return [] }
            let speedDial = script.speedDials[index]
            return [
                .speedDialStatRes(
                    .init(
                        speedDialNumber: request.speedDialNumber,
                        directoryNumber: speedDial.number,
                        displayName: speedDial.name
                    )
                )
            ]
        case .forwardStatReq(let request):
            return [.forwardStatRes(.init(activeForward: 0, lineNumber: request.lineNumber))]
        case .timeDateReq:
            return [.timeDateRes(.init(unixTime: 1_780_000_000))]
        case .unregister:
            return [.unregisterAck(.init(script.unregisterStatus))]
        default:
            return []
        }
    }
}

@available(*, unavailable)
extension FakeConnectionHandler: Sendable {}
