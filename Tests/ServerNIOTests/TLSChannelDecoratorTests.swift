import Certificates
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import ServerNIO
import SkinnyWire
import Testing

/// The TLS decorator's handlers on `EmbeddedChannel`: the handshake deadline, and the device identity check that
/// ties a client certificate's CN to the name in Register.
@Suite struct TLSChannelDecoratorTests {
    static let logger = Logger(label: "tls-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A CA in a fresh temporary directory, removed again.
    static func withAuthority<T>(_ body: (CertificateAuthority) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-tls-unit-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        // No RSA key: these tests use the ECDSA certificate, and RSA key generation is slow in a debug build.
        return try body(
            try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: .init(makesRSACertificate: false))
            )
        )
    }

    static func registerBytes(_ deviceName: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeSkinnyFrame(
            SkinnyMessage.Register(deviceName: deviceName, deviceType: .station7960, protocolVersion: 11).frame(
                version: .v3
            )
        )
        return buffer
    }

    static func keepAliveBytes() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeSkinnyFrame(SkinnyFrame(id: .keepAlive))
        return buffer
    }

    /// A channel with the frame decoder and the identity check, as `SCCPListener` and the decorator build it (no
    /// TLS: the peer identity is fired by hand).
    static func identityChannel(requiring: Set<String> = []) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(ByteToMessageHandler(SkinnyFrameDecoder()))
        let check = TLSDeviceIdentityCheck(requiresClientCertificate: { requiring.contains($0) }, logger: Self.logger)
        try check.wrap { _ in }(channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2443)).wait()
        return channel
    }

    /// The RegisterReject text the channel wrote, if it wrote one.
    static func rejectText(_ channel: EmbeddedChannel) throws -> String? {
        guard var bytes = try channel.readOutbound(as: ByteBuffer.self) else { return nil }
        guard let (_, _, id) = bytes.readMultipleIntegers(endianness: .little, as: (UInt32, UInt32, UInt32).self),
            id == SkinnyMessageID.registerReject.rawValue
        else { return nil }
        let frame = SkinnyFrame(id: .registerReject, body: bytes)
        guard case .registerReject(let reject) = try CallManagerMessage(frame: frame, version: .v11) else { return nil }
        return reject.text
    }

    @Test func theHandshakeDeadlineClosesASilentClient() throws {
        let decorator = try Self.withAuthority { authority in
            try TLSChannelDecorator(
                authority: authority,
                configuration: TLSListenerConfiguration(handshakeTimeout: .seconds(10)),
                logger: Self.logger
            )
        }
        let channel = EmbeddedChannel()
        try decorator.addTLSHandlers(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2443)).wait()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(9_999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2))
        #expect(!channel.isActive)
        #expect(decorator.statistics().handshakeTimeouts == 1)
        #expect(decorator.statistics().handshakesCompleted == 0)
    }

    @Test func aCertificateForTheRegisteringDeviceLetsItThrough() throws {
        let channel = try Self.identityChannel()
        channel.pipeline.fireUserInboundEventTriggered(TLSPeerIdentity(commonName: "SEP001122AABBCC"))
        try channel.writeInbound(Self.keepAliveBytes())
        try channel.writeInbound(Self.registerBytes("SEP001122aabbcc"))
        #expect(try channel.readInbound(as: SkinnyFrame.self)?.id == .keepAlive)
        #expect(try channel.readInbound(as: SkinnyFrame.self)?.id == .register)
        #expect(try Self.rejectText(channel) == nil)
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func aCertificateForAnotherDeviceIsRejected() throws {
        let channel = try Self.identityChannel()
        channel.pipeline.fireUserInboundEventTriggered(TLSPeerIdentity(commonName: "SEP001122AABBCC"))
        try channel.writeInbound(Self.registerBytes("SEP0011223344FF"))
        #expect(try channel.readInbound(as: SkinnyFrame.self) == nil)
        #expect(try Self.rejectText(channel) == "Certificate mismatch")
        #expect(!channel.isActive)
    }

    @Test func aDeviceThatRequiresACertificateIsRejectedWithoutOne() throws {
        let channel = try Self.identityChannel(requiring: ["SEP001122AABBCC"])
        channel.pipeline.fireUserInboundEventTriggered(TLSPeerIdentity(commonName: nil))
        try channel.writeInbound(Self.registerBytes("SEP001122AABBCC"))
        #expect(try channel.readInbound(as: SkinnyFrame.self) == nil)
        #expect(try Self.rejectText(channel) == "Certificate required")
        #expect(!channel.isActive)
    }

    @Test func aDeviceThatDoesNotRequireOneRegistersWithoutACertificate() throws {
        let channel = try Self.identityChannel(requiring: ["SEP001122AABBCC"])
        try channel.writeInbound(Self.registerBytes("SEP0011223344FF"))
        #expect(try channel.readInbound(as: SkinnyFrame.self)?.id == .register)
        #expect(channel.isActive)
        _ = try channel.finish()
    }
}
