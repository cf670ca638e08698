import Certificates
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOSSL
import ServerNIO
import Testing

/// Choosing the ECDSA or the RSA server certificate from the ClientHello: the parser on ClientHellos that BoringSSL
/// itself writes (NIOSSL's client handler on an `EmbeddedChannel`), and whole handshakes in memory through the
/// decorator's ``TLSCertificateSelector``.
@Suite struct TLSCertificateSelectionTests {
    static let logger = Logger(label: "tls-selection-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A client context offering what `configure` says, verifying nothing (the test looks at what it was given).
    static func clientContext(_ configure: (inout TLSConfiguration) -> Void = { _ in }) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configure(&configuration)
        return try NIOSSLContext(configuration: configuration)
    }

    /// The first bytes a NIOSSL client with `context` sends: its ClientHello record.
    static func clientHello(_ context: NIOSSLContext) throws -> ByteBuffer {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2443)).wait()
        let hello = try #require(try channel.readOutbound(as: ByteBuffer.self))
        Self.shutDown(channel)
        return hello
    }

    static func parsed(_ context: NIOSSLContext) throws -> TLSClientHello {
        guard case .clientHello(let hello) = TLSClientHello.parse(try Self.clientHello(context)) else {
            Issue.record("not read as a ClientHello")
            throw CancellationError()
        }
        return hello
    }

    @Test func aDefaultClientTakesECDSA() throws {
        let hello = try Self.parsed(try Self.clientContext())
        #expect(hello.supportedVersions?.contains(0x0304) == true)
        #expect(hello.acceptsECDSAP256)
    }

    @Test func aClientOfferingOnlyRSASuitesDoesNot() throws {
        let hello = try Self.parsed(
            try Self.clientContext {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuites = "AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
            }
        )
        #expect(hello.cipherSuites.contains(0x009C))
        #expect(!hello.acceptsECDSAP256)
    }

    @Test func aTLS10ClientIsReadToo() throws {
        let hello = try Self.parsed(
            try Self.clientContext {
                $0.minimumTLSVersion = .tlsv1
                $0.maximumTLSVersion = .tlsv1
                $0.cipherSuites = "AES128-SHA"
            }
        )
        #expect(hello.legacyVersion == 0x0301)
        #expect(hello.cipherSuites.contains(0x002F))
        #expect(!hello.acceptsECDSAP256)
    }

    @Test func aTLS12ClientWithAnECDSASuiteTakesECDSA() throws {
        let hello = try Self.parsed(
            try Self.clientContext {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:AES128-GCM-SHA256"
            }
        )
        #expect(hello.acceptsECDSAP256)
    }

    @Test func partialAndForeignBytesAreNotMistaken() throws {
        let hello = try Self.clientHello(try Self.clientContext())
        for length in 0..<hello.readableBytes {
            #expect(TLSClientHello.parse(hello.getSlice(at: 0, length: length) ?? ByteBuffer()) == .needMoreData)
        }
        #expect(TLSClientHello.parse(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n")) == .notClientHello)
        // A record header claiming more than a record may hold is judged at once.
        #expect(TLSClientHello.parse(ByteBuffer(bytes: [22, 3, 1, 0xFF, 0xFF])) == .notClientHello)
        // Every damaged byte gives an answer, never a trap.
        for index in 0..<hello.readableBytes {
            var damaged = hello
            damaged.setInteger(UInt8(0xFF), at: index)
            _ = TLSClientHello.parse(damaged)
        }
    }

    /// A full handshake in memory between a client with `client` and the decorator's server side; returns the DER
    /// of the certificate the client was given, or nil if the handshake failed.
    static func handshake(_ decorator: TLSChannelDecorator, client: NIOSSLContext) throws -> [UInt8]? {
        let server = EmbeddedChannel()
        try decorator.addTLSHandlers(to: server)
        let clientChannel = EmbeddedChannel()
        let clientHandler = try NIOSSLClientHandler(context: client, serverHostname: nil)
        try clientChannel.pipeline.syncOperations.addHandler(clientHandler)
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try clientChannel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2443)).wait()
        // Shuttle bytes both ways until neither side has more to say; the ClientHello goes over in two pieces.
        var firstFlight = true
        for _ in 0..<20 {
            var moved = false
            while let bytes = try? clientChannel.readOutbound(as: ByteBuffer.self) {
                moved = true
                if firstFlight, bytes.readableBytes > 10 {
                    firstFlight = false
                    var head = bytes
                    let tail = head.readSlice(length: bytes.readableBytes - 7) ?? ByteBuffer()
                    // A failed handshake comes back as an error from the channel; the result says it (nil).
                    _ = try? server.writeInbound(tail)
                    _ = try? server.writeInbound(head)
                } else {
                    _ = try? server.writeInbound(bytes)
                }
            }
            while let bytes = try? server.readOutbound(as: ByteBuffer.self) {
                moved = true
                _ = try? clientChannel.writeInbound(bytes)
            }
            if !moved { break }
        }
        let certificate = try clientHandler.peerCertificate?.toDERBytes()
        Self.shutDown(clientChannel)
        Self.shutDown(server)
        return certificate
    }

    /// Closes a channel with a TLS handler: it waits for the peer's close_notify until its shutdown timeout, which
    /// on an `EmbeddedEventLoop` passes only when the test moves the clock (`finish()` would wait for ever).
    static func shutDown(_ channel: EmbeddedChannel) {
        channel.close(promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        channel.embeddedEventLoop.run()
    }

    static func der(_ pem: String) throws -> [UInt8] {
        try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem).toDERBytes()
    }

    @Test func theSelectorPresentsTheCertificateTheClientCanTake() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selector-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let authority = try CertificateAuthority.loadOrCreate(in: directory)
        let rsa = try #require(authority.rsaServer)
        let decorator = try TLSChannelDecorator(authority: authority, logger: Self.logger)
        #expect(decorator.contexts.selectsPerHandshake)

        let modern = try Self.handshake(decorator, client: try Self.clientContext())
        #expect(modern == (try Self.der(authority.server.certificateChainPEM)))
        let rsaOnly = try Self.handshake(
            decorator,
            client: try Self.clientContext {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuites = "ECDHE-RSA-AES128-GCM-SHA256"
            }
        )
        #expect(rsaOnly == (try Self.der(rsa.certificateChainPEM)))
        // TLS 1.0 is refused unless legacy TLS is allowed.
        let old = try Self.clientContext {
            $0.minimumTLSVersion = .tlsv1
            $0.maximumTLSVersion = .tlsv1
            $0.cipherSuites = "AES128-SHA"
        }
        #expect(try Self.handshake(decorator, client: old) == nil)
        let legacy = try TLSChannelDecorator(
            authority: authority,
            configuration: TLSListenerConfiguration(allowsLegacyTLS: true),
            logger: Self.logger
        )
        #expect(try Self.handshake(legacy, client: old) == (try Self.der(rsa.certificateChainPEM)))
        #expect(legacy.statistics().handshakesCompleted == 1)
    }
}
