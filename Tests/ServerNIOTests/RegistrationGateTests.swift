import CallControl
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import SkinnyWire
import Testing

@testable import ServerNIO

/// The auto-registration limiter (time as an input) and the registration gate's handler in an `EmbeddedChannel`.
@Suite struct AutoRegistrationLimiterTests {
    let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func limits(perSource: Int = 2, total: Int = 5, window: TimeAmount = .seconds(10)) -> AutoRegistrationLimits {
        var limits = AutoRegistrationLimits()
        limits.perSource = RateLimit(events: perSource, per: window)
        limits.total = RateLimit(events: total, per: window)
        limits.exemptNetworks = SourceAllowList(parsing: "192.0.2.0/24") ?? .none
        return limits
    }

    func source(_ text: String) throws -> SourceAddress {
        SourceAddress(try SocketAddress(ipAddress: text, port: 1))
    }

    @Test func eachSourceGetsItsShareAndEveryoneTheTotal() throws {
        var limiter = AutoRegistrationLimiter(limits: self.limits())
        let a = try self.source("198.51.100.1")
        #expect(limiter.attempt(from: a, now: t0) == .allow)
        #expect(limiter.attempt(from: a, now: t0) == .allow)
        #expect(limiter.attempt(from: a, now: t0) == .sourceRateExceeded)
        // Refusals do not count: another source is still served.
        #expect(limiter.attempt(from: try self.source("198.51.100.2"), now: t0) == .allow)
        #expect(limiter.attempt(from: try self.source("198.51.100.3"), now: t0) == .allow)
        #expect(limiter.attempt(from: try self.source("198.51.100.4"), now: t0) == .allow)
        #expect(limiter.attempt(from: try self.source("198.51.100.5"), now: t0) == .totalRateExceeded)
        // A window later, both have room again.
        #expect(limiter.attempt(from: a, now: t0 + .seconds(11)) == .allow)
    }

    @Test func exemptSourcesAreLimitedOnlyByTheTotal() throws {
        var limiter = AutoRegistrationLimiter(limits: self.limits(perSource: 1, total: 3))
        let nat = try self.source("192.0.2.50")
        #expect(limiter.attempt(from: nat, now: t0) == .allow)
        #expect(limiter.attempt(from: nat, now: t0) == .allow)
        #expect(limiter.attempt(from: nat, now: t0) == .allow)
        #expect(limiter.attempt(from: nat, now: t0) == .totalRateExceeded)
        #expect(limiter.trackedSources == 0)
    }
}

@Suite struct RegistrationGateHandlerTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    final class Known: Sendable {
        let names = NIOLockedValueBox(Set<DeviceName>())
        let observed = NIOLockedValueBox([RegistrationGate.Observation]())
    }

    static func channel(
        gate: RegistrationGate,
        listenerGuard: ListenerGuard,
        source: String = "198.51.100.7"
    ) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: source, port: 50_000)
        try channel.pipeline.syncOperations.addHandler(
            RegistrationGateHandler(gate: gate, listenerGuard: listenerGuard)
        )
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 2000)).wait()
        return channel
    }

    static func register(_ name: String) -> SkinnyFrame {
        StationMessage.register(
            SkinnyMessage.Register(deviceName: name, deviceType: .station7960, protocolVersion: 11)
        ).frame(version: .v11)
    }

    static func setUp(
        limits: AutoRegistrationLimits = AutoRegistrationLimits(),
        saveDeadline: TimeAmount = .seconds(10)
    ) -> (RegistrationGate, AutoRegistrationLedger, Known, ListenerGuard) {
        let known = Known()
        let ledger = AutoRegistrationLedger(pause: .seconds(30))
        let gate = RegistrationGate(
            limits: limits,
            ledger: ledger,
            isKnownDevice: { name in known.names.withLockedValue { $0.contains(name) } },
            observer: { observation in known.observed.withLockedValue { $0.append(observation) } },
            saveDeadline: saveDeadline
        )
        let listenerGuard = ListenerGuard(service: "sccp", configuration: .init(), logger: Self.logger)
        return (gate, ledger, known, listenerGuard)
    }

    @Test func aNewDevicesRegisterAckWaitsUntilItIsSaved() throws {
        let (gate, ledger, known, listenerGuard) = Self.setUp()
        let channel = try Self.channel(gate: gate, listenerGuard: listenerGuard)
        try channel.writeInbound(Self.register("sep00aabbccddee"))
        #expect(try channel.readInbound(as: SkinnyFrame.self)?.id == .register)
        // The session answers RegisterAck and CapabilitiesReq: held back, flush or not. (Not `writeOutbound`: it
        // waits for a write that is held on purpose.)
        channel.writeAndFlush(SkinnyFrame(id: .registerAck, body: ByteBuffer()), promise: nil)
        channel.writeAndFlush(SkinnyFrame(id: .capabilitiesReq, body: ByteBuffer()), promise: nil)
        #expect(try channel.readOutbound(as: SkinnyFrame.self) == nil)
        // Saved (under its canonical name): both go out, in order.
        ledger.saved(DeviceName("SEP00AABBCCDDEE"))
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: SkinnyFrame.self)?.id == .registerAck)
        #expect(try channel.readOutbound(as: SkinnyFrame.self)?.id == .capabilitiesReq)
        #expect(known.observed.withLockedValue { $0 } == [.registered(DeviceName("SEP00AABBCCDDEE"))])
        try channel.close().wait()
        #expect(known.observed.withLockedValue { $0 }.last == .unregistered(DeviceName("SEP00AABBCCDDEE")))
    }

    @Test func aNewDeviceThatCannotBeSavedIsRefused() throws {
        let (gate, ledger, _, listenerGuard) = Self.setUp()
        let channel = try Self.channel(gate: gate, listenerGuard: listenerGuard)
        try channel.writeInbound(Self.register("SEP00AABBCCDDEE"))
        _ = try channel.readInbound(as: SkinnyFrame.self)
        channel.writeAndFlush(SkinnyFrame(id: .registerAck, body: ByteBuffer()), promise: nil)
        ledger.failed(DeviceName("SEP00AABBCCDDEE"))
        channel.embeddedEventLoop.run()
        let reject = try #require(try channel.readOutbound(as: SkinnyFrame.self))
        #expect(reject.id == .registerReject)
        #expect(try channel.readOutbound(as: SkinnyFrame.self) == nil)
        #expect(!channel.isActive)
        #expect(listenerGuard.statistics()[.autoRegistrationNotSaved] == 1)
        // While saves fail, the next new device is refused at Register.
        let next = try Self.channel(gate: gate, listenerGuard: listenerGuard, source: "198.51.100.8")
        try next.writeInbound(Self.register("SEP00AABBCCDDFF"))
        #expect(try next.readInbound(as: SkinnyFrame.self) == nil)
        #expect(try next.readOutbound(as: SkinnyFrame.self)?.id == .registerReject)
        #expect(gate.statistics().refusedNotSaved == 2)
    }

    @Test func aSaveThatMissesItsDeadlineIsARefusal() throws {
        let (gate, _, _, listenerGuard) = Self.setUp(saveDeadline: .seconds(2))
        let channel = try Self.channel(gate: gate, listenerGuard: listenerGuard)
        try channel.writeInbound(Self.register("SEP00AABBCCDDEE"))
        _ = try channel.readInbound(as: SkinnyFrame.self)
        channel.writeAndFlush(SkinnyFrame(id: .registerAck, body: ByteBuffer()), promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        #expect(try channel.readOutbound(as: SkinnyFrame.self)?.id == .registerReject)
        #expect(!channel.isActive)
    }

    @Test func knownDevicesPassAtOnceAndAreNeverLimited() throws {
        var limits = AutoRegistrationLimits()
        limits.perSource = RateLimit(events: 1, per: .seconds(60))
        let (gate, _, known, listenerGuard) = Self.setUp(limits: limits)
        known.names.withLockedValue { $0 = [DeviceName("SEP001122334455")] }
        for _ in 0..<3 {
            let channel = try Self.channel(gate: gate, listenerGuard: listenerGuard)
            try channel.writeInbound(Self.register("SEP001122334455"))
            #expect(try channel.readInbound(as: SkinnyFrame.self)?.id == .register)
            try channel.writeOutbound(SkinnyFrame(id: .registerAck, body: ByteBuffer()))
            #expect(try channel.readOutbound(as: SkinnyFrame.self)?.id == .registerAck)
        }
        #expect(gate.statistics().newDevicesAllowed == 0)
    }

    @Test func newDevicesPastTheSourcesRateAreRefusedAtRegister() throws {
        var limits = AutoRegistrationLimits()
        limits.perSource = RateLimit(events: 2, per: .seconds(60))
        let (gate, _, _, listenerGuard) = Self.setUp(limits: limits)
        var passed = 0
        for index in 0..<5 {
            let channel = try Self.channel(gate: gate, listenerGuard: listenerGuard)
            try channel.writeInbound(Self.register(String(format: "SEP0000000000%02X", index)))
            if try channel.readInbound(as: SkinnyFrame.self) != nil {
                passed += 1
            } else {
                let reject = try #require(try channel.readOutbound(as: SkinnyFrame.self))
                #expect(reject.id == .registerReject)
                let text = SkinnyMessage.RegisterReject(from: SkinnyBodyReader(reject.body), version: .v11).text
                #expect(text == "Too many new devices")
            }
        }
        #expect(passed == 2)
        #expect(listenerGuard.statistics()[.autoRegistrationRateExceeded] == 3)
    }
}
