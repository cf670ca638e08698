import Logging
import NIOCore
import NIOEmbedded
import SkinnyWire
import Testing

@testable import ServerNIO

/// The guard handlers in `EmbeddedChannel`s, with the embedded loop's clock.
@Suite struct GuardHandlerTests {
    static func listenerGuard(
        unregistered: Int = 1_024,
        ceiling: Int = 2_000,
        pending: Int = 256 * 1024,
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) -> ListenerGuard {
        var configuration = ConnectionGuardConfiguration()
        configuration.maximumUnregisteredConnections = unregistered
        configuration.messageCeiling = RateLimit(events: ceiling, per: .seconds(5))
        configuration.maximumPendingWriteBytes = pending
        return ListenerGuard(service: "sccp", configuration: configuration, logger: Logger(label: "test"), now: now)
    }

    /// A connected channel with `handlers` and the SCCP guard last.
    static func channel(
        _ listenerGuard: ListenerGuard,
        before handlers: [any ChannelHandler] = [],
        loop: EmbeddedEventLoop = EmbeddedEventLoop()
    ) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        for handler in handlers {
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        try channel.pipeline.syncOperations.addHandler(
            SCCPConnectionGuardHandler(listenerGuard: listenerGuard, now: { [loop] in loop.now })
        )
        channel.remoteAddress = try SocketAddress(ipAddress: "192.0.2.10", port: 50_000)
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 2000)).wait()
        return channel
    }

    static func frame(_ id: SkinnyMessageID, bodyBytes: Int = 0) -> SkinnyFrame {
        SkinnyFrame(id: id, body: ByteBuffer(repeating: 0, count: bodyBytes))
    }

    /// What a session writes: the frames encoded, one buffer for the burst.
    static func bytes(_ frames: SkinnyFrame...) -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { buffer.writeSkinnyFrame(frame) }
        return buffer
    }

    @Test func silentConnectionIsClosedAtTheRegisterDeadline() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        #expect(listenerGuard.statistics().unregisteredConnections == 1)
        // An Alarm before Register is fine (phones report why they lost their last call manager) but does not stop
        // the deadline.
        try channel.writeInbound(Self.frame(.alarm))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(listenerGuard.statistics()[.registerTimeout] == 1)
        #expect(listenerGuard.statistics().unregisteredConnections == 0)
    }

    /// A phone's standby connection (KeepAlives to the next node of its group) outlives the Register deadline, holds
    /// a standby slot instead of an unregistered one, registers on failover, and is closed when it falls silent.
    @Test func aStandbyConnectionStaysWhileItKeepsAliveAndRegistersOnFailover() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        for _ in 0..<20 {
            try channel.writeInbound(Self.frame(.keepAlive))
            channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        }
        #expect(channel.isActive)
        #expect(listenerGuard.statistics().standbyConnections == 1)
        #expect(listenerGuard.statistics().unregisteredConnections == 0)
        try channel.writeInbound(Self.frame(.register, bodyBytes: 28))
        #expect(listenerGuard.statistics().standbyConnections == 0)
        try channel.writeOutbound(Self.bytes(Self.frame(.registerAck, bodyBytes: 16)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(3_600))
        #expect(channel.isActive)
        #expect(listenerGuard.statistics().totalRejections == 0)
        _ = try channel.finish()
        #expect(listenerGuard.statistics().standbyConnections == 0)
        #expect(listenerGuard.statistics().unregisteredConnections == 0)

        let silent = try Self.channel(listenerGuard)
        try silent.writeInbound(Self.frame(.keepAlive))
        silent.embeddedEventLoop.advanceTime(by: GuardLimits.standbyTimeout - .seconds(1))
        #expect(silent.isActive)
        silent.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!silent.isActive)
        #expect(listenerGuard.statistics()[.standbyTimeout] == 1)
        #expect(listenerGuard.statistics().standbyConnections == 0)
    }

    @Test func pastTheStandbyCapAKeepAliveConnectionIsUnderTheRegisterDeadline() throws {
        var configuration = ConnectionGuardConfiguration()
        configuration.maximumStandbyConnections = 1
        let listenerGuard = ListenerGuard(service: "sccp", configuration: configuration, logger: Logger(label: "test"))
        let loop = EmbeddedEventLoop()
        let first = try Self.channel(listenerGuard, loop: loop)
        let second = try Self.channel(listenerGuard, loop: loop)
        try first.writeInbound(Self.frame(.keepAlive))
        try second.writeInbound(Self.frame(.keepAlive))
        #expect(listenerGuard.statistics()[.standbyConnectionLimit] == 1)
        #expect(listenerGuard.statistics().standbyConnections == 1)
        #expect(listenerGuard.statistics().unregisteredConnections == 1)
        loop.advanceTime(by: .seconds(10))
        #expect(first.isActive)
        #expect(!second.isActive)
        #expect(listenerGuard.statistics()[.registerTimeout] == 1)
    }

    @Test func registerStopsTheDeadlineAndRegisterAckFreesTheSlot() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        try channel.writeInbound(Self.frame(.register, bodyBytes: 28))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        #expect(listenerGuard.statistics().unregisteredConnections == 1)
        try channel.writeOutbound(Self.bytes(Self.frame(.registerAck, bodyBytes: 16)))
        #expect(listenerGuard.statistics().unregisteredConnections == 0)
        _ = try channel.finish()
        #expect(listenerGuard.statistics().unregisteredConnections == 0)
        #expect(listenerGuard.statistics().totalRejections == 0)
    }

    @Test func aRegisterAckInsideABurstFreesTheSlot() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        try channel.writeInbound(Self.frame(.register, bodyBytes: 28))
        // A burst before the RegisterAck (its keepalive answer) does not count as registering…
        try channel.writeOutbound(Self.bytes(Self.frame(.keepAliveAck), Self.frame(.capabilitiesReq)))
        #expect(listenerGuard.statistics().unregisteredConnections == 1)
        // …the burst that carries it, after other frames with bodies, does.
        try channel.writeOutbound(
            Self.bytes(Self.frame(.keepAliveAck), Self.frame(.timeDateRes, bodyBytes: 36), Self.frame(.registerAck))
        )
        #expect(listenerGuard.statistics().unregisteredConnections == 0)
        _ = try channel.finish()
    }

    @Test func unregisteredCapClosesTheNewcomer() throws {
        let listenerGuard = Self.listenerGuard(unregistered: 2)
        let loop = EmbeddedEventLoop()
        let first = try Self.channel(listenerGuard, loop: loop)
        let second = try Self.channel(listenerGuard, loop: loop)
        let third = try Self.channel(listenerGuard, loop: loop)
        #expect(first.isActive && second.isActive)
        #expect(!third.isActive)
        #expect(listenerGuard.statistics()[.unregisteredConnectionLimit] == 1)
        // A registered connection no longer counts; the slot is free again.
        try first.writeInbound(Self.frame(.register))
        try first.writeOutbound(Self.bytes(Self.frame(.registerAck)))
        let fourth = try Self.channel(listenerGuard, loop: loop)
        #expect(fourth.isActive)
        #expect(listenerGuard.statistics().unregisteredConnections == 2)
    }

    @Test func messageCeilingClosesAFloodingPhone() throws {
        let listenerGuard = Self.listenerGuard(ceiling: 2_000)
        let channel = try Self.channel(listenerGuard)
        try channel.writeInbound(Self.frame(.register))
        var forwarded = 0
        for _ in 0..<3_000 {
            guard channel.isActive else { break }
            try channel.writeInbound(Self.frame(.keypadButton, bodyBytes: 12))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        }
        while try channel.readInbound(as: SkinnyFrame.self) != nil { forwarded += 1 }
        #expect(forwarded == 2_000)
        #expect(!channel.isActive)
        #expect(listenerGuard.statistics()[.messageRateExceeded] == 1)
    }

    /// Holds every write and its promise, as a socket would for a peer that stopped reading.
    final class StalledSocket: ChannelOutboundHandler {
        typealias OutboundIn = SkinnyFrame
        var held: [EventLoopPromise<Void>] = []

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if let promise { self.held.append(promise) }
        }

        func flush(context: ChannelHandlerContext) {}

        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            for held in self.held { held.fail(ChannelError.ioOnClosedChannel) }
            self.held = []
            context.close(mode: mode, promise: promise)
        }
    }

    @Test func phoneThatStopsReadingIsDropped() throws {
        let listenerGuard = Self.listenerGuard(pending: 64 * 1024)
        let socket = StalledSocket()
        let channel = try Self.channel(listenerGuard, before: [socket])
        try channel.writeInbound(Self.frame(.register))
        var written = 0
        while channel.isActive, written < 1_000 {
            channel.write(Self.bytes(Self.frame(.softKeyTemplateRes, bodyBytes: 640)), promise: nil)
            channel.flush()
            written += 1
        }
        #expect(!channel.isActive)
        // 64 KiB / 652 bytes: the 101st frame is the one past the bound.
        #expect(written == 101)
        #expect(listenerGuard.statistics()[.writeBufferExceeded] == 1)
    }

    @Test func readingPhoneIsNeverDropped() throws {
        let listenerGuard = Self.listenerGuard(pending: 64 * 1024)
        let channel = try Self.channel(listenerGuard)
        try channel.writeInbound(Self.frame(.register))
        for _ in 0..<1_000 {
            try channel.writeOutbound(Self.bytes(Self.frame(.softKeyTemplateRes, bodyBytes: 640)))
            _ = try channel.readOutbound(as: ByteBuffer.self)
        }
        #expect(channel.isActive)
        #expect(listenerGuard.statistics().totalRejections == 0)
    }

    @Test func framingErrorsAreCounted() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        channel.pipeline.fireErrorCaught(SkinnyError.frameTooShort(length: 0, header: ByteBuffer()))
        #expect(listenerGuard.statistics()[.malformedFrame] == 1)
        _ = try? channel.throwIfErrorCaught()
    }

    @Test func tlsHandshakeFailuresAndIdentityRejectionsAreCounted() throws {
        let listenerGuard = Self.listenerGuard()
        let channel = try Self.channel(listenerGuard)
        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeFailure.failed)
        let timedOut = try Self.channel(listenerGuard)
        timedOut.pipeline.fireUserInboundEventTriggered(TLSHandshakeFailure.timedOut)
        let refused = try Self.channel(listenerGuard)
        refused.pipeline.fireUserInboundEventTriggered(TLSDeviceIdentityRejection(deviceName: "SEP001122334455"))
        // A failure is counted once, and the Register deadline does not count the same connection again.
        channel.pipeline.fireUserInboundEventTriggered(TLSHandshakeFailure.failed)
        (channel.eventLoop as? EmbeddedEventLoop)?.advanceTime(by: .seconds(11))
        let statistics = listenerGuard.statistics()
        #expect(statistics[.tlsHandshakeFailed] == 1)
        #expect(statistics[.tlsHandshakeTimeout] == 1)
        #expect(statistics[.clientCertificateRejected] == 1)
        #expect(statistics[.registerTimeout] == 0)
    }
}
