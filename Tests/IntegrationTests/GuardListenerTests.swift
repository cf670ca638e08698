import AdminHTTP
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// Each listener guard against a whole server on loopback sockets. Attackers connect from other loopback
/// addresses (127.0.0.x) than the phones (127.0.0.1), as they would from other hosts.
@Suite struct GuardListenerTests {
    @Test func allowListRefusesOtherNetworks() async throws {
        try await GuardServer.with(.configured { $0.guards.allowedNetworks = SourceAllowList(parsing: "10.0.0.0/8")! })
        { server in
            let client = try await RawClient.connect(port: server.sccpPort)
            #expect(try await client.waitForClose())
            let tls = try await RawClient.connect(port: server.sccpsPort)
            #expect(try await tls.waitForClose())
            try await server.waitForStatistics("source_not_allowed counted") { $0[.sourceNotAllowed] == 1 }
            #expect(server.application.sccpsListener.connectionGuard.statistics()[.sourceNotAllowed] == 1)
        }
    }

    /// Every rejection is in the admin API's `/metrics`, by service and reason; every reason shows from the start.
    @Test func rejectionsAreInMetrics() async throws {
        try await GuardServer.with(.configured { $0.guards.maximumConnectionsPerSource = 1 }) { server in
            let held = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.11")
            let refused = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.11")
            #expect(try await refused.waitForClose())
            let bad = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.12")
            try await bad.send(RawFrames.frame(id: 0, length: 3))
            #expect(try await bad.waitForClose())
            try await server.waitForStatistics("both counted") {
                $0[.perSourceConnectionLimit] == 1 && $0[.malformedFrame] == 1
            }
            let port = try await server.application.adminServer.boundPort()
            let token = try #require(try AdminTokenFile.read(from: server.dataDirectory))
            let metrics = try await AdminClient(server: "http://127.0.0.1:\(port)", token: token).metrics()
            #expect(
                metrics.contains(
                    #"strowger_guard_rejections_total{service="sccp",reason="per_source_connection_limit"} 1"#
                )
            )
            #expect(metrics.contains(#"strowger_guard_rejections_total{service="sccp",reason="malformed_frame"} 1"#))
            #expect(
                metrics.contains(
                    #"strowger_guard_rejections_total{service="cluster",reason="unauthenticated_datagram"} 0"#
                )
            )
            #expect(metrics.contains(#"strowger_guard_open_connections{service="sccp"} 1"#))
            // A second scrape adds nothing that did not happen.
            let again = try await AdminClient(server: "http://127.0.0.1:\(port)", token: token).metrics()
            #expect(
                again.contains(
                    #"strowger_guard_rejections_total{service="sccp",reason="per_source_connection_limit"} 1"#
                )
            )
            await held.close()
        }
    }

    @Test func perSourceAndTotalCaps() async throws {
        try await GuardServer.with(
            .configured {
                $0.guards.maximumConnectionsPerSource = 3
                $0.guards.maximumConnections = 5
            }
        ) { server in
            var held: [RawClient] = []
            for _ in 0..<3 { held.append(try await RawClient.connect(port: server.sccpPort, from: "127.0.0.2")) }
            let fourth = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.2")
            #expect(try await fourth.waitForClose())
            for _ in 0..<2 { held.append(try await RawClient.connect(port: server.sccpPort, from: "127.0.0.3")) }
            let sixth = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.4")
            #expect(try await sixth.waitForClose())
            let statistics = try await server.waitForStatistics("both caps counted") {
                $0[.perSourceConnectionLimit] == 1 && $0[.totalConnectionLimit] == 1
            }
            #expect(statistics.openConnections == 5)
            for client in held {
                #expect(!client.isClosed)
                await client.close()
            }
            try await server.waitForStatistics("connections released") { $0.openConnections == 0 }
        }
    }

    /// Kamailio pike's model: past 16 connections in 2 s a source is banned; everyone else carries on.
    @Test func connectionRateBansTheSourceOnly() async throws {
        try await GuardServer.with { server in
            // Connect and close until the ban (on a loaded machine 17 connects may take longer than 2 s).
            var attempts = 0
            while server.sccp[.connectionRateExceeded] == 0, attempts < 400 {
                let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.5")
                await client.close()
                attempts += 1
            }
            for _ in 0..<20 {
                let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.5")
                #expect(try await client.waitForClose())
            }
            let statistics = try await server.waitForStatistics("a ban") {
                $0[.connectionRateExceeded] == 1 && $0[.sourceBanned] >= 20
            }
            #expect(statistics.bannedSources == 1)
            try await server.placeCall(0)
        }
    }

    /// A phone's standby connection to this node (issue 19 item 4): KeepAlives answered past the Register deadline,
    /// counted as standby rather than unregistered, and a Register on it on failover; a silent one is closed at the
    /// standby deadline.
    @Test func aStandbyConnectionIsAnsweredAndRegistersOnFailover() async throws {
        try await GuardServer.with(
            .configured {
                // Long enough that a loaded machine's first KeepAlive is sure to beat it: a connection silent past
                // the Register deadline is closed as register_timeout, never made a standby.
                $0.guards.registerTimeout = .seconds(2)
                $0.guards.standbyTimeout = .seconds(5)
            }
        ) { server in
            let standby = try await RawClient.connect(port: server.sccpPort, from: "127.0.9.1")
            // Past the Register deadline, one KeepAlive every half second, each answered.
            let clock = ContinuousClock()
            let started = clock.now
            var answered = 0
            while clock.now - started < .seconds(3) {
                try await standby.send(id: .keepAlive)
                try await Eventually.wait("KeepAliveAck \(answered + 1)") {
                    RawFrames.ids(in: standby.received).filter { $0 == .keepAliveAck }.count > answered ? () : nil
                }
                answered += 1
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(!standby.isClosed)
            var statistics = server.sccp
            #expect(statistics.standbyConnections == 1)
            #expect(statistics.unregisteredConnections == 0)
            #expect(statistics[.registerTimeout] == 0)

            // The primary failed: the phone registers on its standby connection, which leaves the standby count.
            try await standby.register(Calls.deviceName(0xB5))
            try await standby.waitFor(.registerAck)
            statistics = try await server.waitForStatistics("no standby left") { $0.standbyConnections == 0 }
            #expect(statistics[.standbyTimeout] == 0)

            // A standby connection that falls silent is closed at the standby deadline.
            let silent = try await RawClient.connect(port: server.sccpPort, from: "127.0.9.2")
            try await silent.send(id: .keepAlive)
            try await silent.waitFor(.keepAliveAck)
            #expect(try await silent.waitForClose(timeout: .seconds(30)))
            try await server.waitForStatistics("the silent standby closed") {
                $0[.standbyTimeout] == 1 && $0.standbyConnections == 0
            }
            #expect(!standby.isClosed)
            await standby.close()
        }
    }

    /// A phone keeps its standby connection with KeepAlives at RegisterAck's secondary interval (60 s), longer than
    /// the deadline of two primary keepalive intervals: the server must not close it at that deadline (a bench run
    /// found standby connections closed under the phones when the primary keepalive was short).
    @Test func aStandbyConnectionOutlivesTheKeepaliveDeadline() async throws {
        try await GuardServer.with(.configured { $0.keepAliveSeconds = 1 }) { server in
            let standby = try await RawClient.connect(port: server.sccpPort, from: "127.0.9.3")
            try await standby.send(id: .keepAlive)
            try await standby.waitFor(.keepAliveAck)
            // Silent for three primary intervals, past the deadline of two: still open, still a standby connection,
            // and its next KeepAlive is answered. (Once it registers the deadline applies again: LifecycleTests.)
            #expect(try await !standby.waitForClose(timeout: .seconds(3)))
            #expect(server.sccp.standbyConnections == 1)
            #expect(server.sccp[.standbyTimeout] == 0)
            try await standby.send(id: .keepAlive)
            try await Eventually.wait("the second KeepAliveAck") {
                RawFrames.ids(in: standby.received).filter { $0 == .keepAliveAck }.count == 2 ? () : nil
            }
            #expect(!standby.isClosed)
            await standby.close()
        }
    }

    @Test func unregisteredConnectionsAreCappedAndTimedOut() async throws {
        try await GuardServer.with(
            .configured {
                $0.guards.maximumUnregisteredConnections = 20
                $0.guards.registerTimeout = .seconds(5)
            }
        ) { server in
            // All at once, so that the cap is reached before the first deadline even on a loaded machine.
            let idle = try await RawClient.connectAtOnce(30, port: server.sccpPort) { "127.0.1.\($0 % 3 + 1)" }
            // Every idle connection is either refused at the cap or closed at the Register deadline, which frees
            // the slots.
            for client in idle { #expect(try await client.waitForClose()) }
            let statistics = try await server.waitForStatistics("the cap and the deadline") {
                $0[.unregisteredConnectionLimit] + $0[.registerTimeout] == 30 && $0.unregisteredConnections == 0
            }
            #expect(statistics[.unregisteredConnectionLimit] >= 1)
            #expect(statistics[.registerTimeout] >= 20)
            // A phone that registers is not touched by the deadline.
            let (phone, _) = try await server.registeredPhone(Calls.deviceName(0xB1))
            try await Task.sleep(for: .seconds(6))
            #expect(phone.channel.isActive)
            #expect(server.sccp.unregisteredConnections == 0)
        }
    }

    /// CUCM's "Max Events Allowed": 2,000 messages in 5 s, then the connection is closed (CVE-2012-0361).
    @Test func messageCeilingClosesTheFlooder() async throws {
        try await GuardServer.with { server in
            let flooder = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.6")
            try await flooder.register(Calls.deviceName(0xF1))
            try await flooder.waitFor(.registerAck)
            var burst: [UInt8] = []
            for _ in 0..<3_000 { burst += RawFrames.frame(id: SkinnyMessageID.keepAlive.rawValue) }
            try await flooder.send(burst)
            #expect(try await flooder.waitForClose())
            try await server.waitForStatistics("the ceiling") { $0[.messageRateExceeded] == 1 }
            try await server.waitUntilClean(registered: 0)
            try await server.placeCall(0)
        }
    }

    /// A phone that stops reading is dropped once the bytes the server holds for it pass the bound.
    @Test func phoneThatStopsReadingIsDropped() async throws {
        try await GuardServer.with(
            .configured {
                $0.guards.socketSendBufferSize = 8 * 1024
                $0.guards.maximumPendingWriteBytes = 64 * 1024
            }
        ) { server in
            let (caller, _) = try await server.registeredPhone(Calls.deviceName(0xC1))
            let reader = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.7", receiveBuffer: 4096)
            try await reader.register(Calls.deviceName(0xC2))
            try await reader.waitFor(.registerAck)
            try await reader.channel.setOption(.autoRead, value: false).get()
            // Each SoftKeyTemplateReq is answered with about 650 bytes; 1,500 of them stay below the ceiling.
            var requests: [UInt8] = []
            for _ in 0..<1_500 { requests += RawFrames.frame(id: SkinnyMessageID.softKeyTemplateReq.rawValue) }
            try await reader.send(requests)
            try await server.waitForStatistics("the write bound") { $0[.writeBufferExceeded] == 1 }
            try await server.waitUntilClean(registered: 1)
            #expect(caller.channel.isActive)
            await reader.close()
        }
    }

    @Test func keepAliveDeadlineIsCounted() async throws {
        // A 3 s keepalive: the 6 s deadline must not pass while a loaded machine is still saving the new device.
        try await GuardServer.with(.configured { $0.keepAliveSeconds = 3 }) { server in
            let silent = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.8")
            try await silent.register(Calls.deviceName(0xD1))
            try await silent.waitFor(.registerAck)
            #expect(try await silent.waitForClose())
            try await server.waitForStatistics("keepalive expiry") { $0[.keepAliveExpired] == 1 }
            try await server.waitUntilClean(registered: 0)
        }
    }

    /// Rejections are logged once per reason and source per interval, never per packet (CVE-2017-9358).
    @Test func rejectionsAreLoggedWithRateLimiting() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        try await GuardServer.with(
            .configured {
                $0.guards.connectionRate = RateLimit(events: 100_000, per: .seconds(2))
                // One line per reason and source per interval: an interval longer than any run of the loop below, so
                // that the count does not depend on how fast a loaded machine gets through it.
                $0.guards.logInterval = .seconds(3_600)
            },
            logLines: lines
        ) { server in
            for _ in 0..<300 {
                let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.0.9")
                try await client.send(RawFrames.frame(id: 0, length: 0))
                _ = try await client.waitForClose()
            }
            try await server.waitForStatistics("300 bad frames") { $0[.malformedFrame] == 300 }
        }
        let refusals = lines.withLockedValue { $0.filter { $0.contains("Guard refused a peer") } }
        #expect(refusals.count == 1)
    }

    /// TLS garbage on the SCCPS port fails the handshake: the server closes the connection and counts it.
    @Test func sccpsPortClosesFailedTLSHandshakesAndCountsThem() async throws {
        try await GuardServer.with { server in
            // A TLS 1.2 ClientHello's first bytes, then garbage.
            let hello: [UInt8] =
                [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03] + Array(repeating: 0x41, count: 200)
            for index in 0..<10 {
                let client = try await RawClient.connect(port: server.sccpsPort, from: "127.0.2.\(index + 1)")
                try await client.send(hello)
                #expect(try await client.waitForClose())
            }
            let sccps = server.application.sccpsListener.connectionGuard
            try await Eventually.wait("10 failed handshakes counted") {
                sccps.statistics()[.tlsHandshakeFailed] == 10 ? true : nil
            }
            #expect(server.application.tlsDecorator.statistics().handshakeFailures == 10)
            #expect(sccps.statistics().unregisteredConnections == 0)
            try await server.placeCall(0)
        }
    }

    /// Junk of every size to TFTP and the cluster port, and ICMP port-unreachable errors for the server's replies:
    /// both keep serving.
    @Test func udpListenersSurviveJunkAndICMPErrors() async throws {
        // Loopback as a cluster member, so that the size check is reached (from anyone else, every datagram is
        // dropped as not from a member).
        try await GuardServer.with(.configured { $0.clusterMembers = .loopback }) { server in
            let sizes = [0, 1, 2, 4, 511, 512, 513, 1_472, 1_473, 2_047, 2_048, 2_049, 9_000, 65_507]
            let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            for port in [server.tftpPort, server.clusterPort] {
                let target = try SocketAddress(ipAddress: "127.0.0.1", port: port)
                for size in sizes {
                    var junk = ByteBuffer()
                    for index in 0..<size { junk.writeInteger(UInt8(truncatingIfNeeded: index &* 7 &+ size)) }
                    try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: junk))
                }
            }
            // Valid read requests from sockets that close at once: the server's ERROR replies meet closed ports, and
            // the kernel answers with ICMP port unreachable.
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: server.tftpPort)
            for index in 0..<50 {
                let requester = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: "127.0.0.10", port: 0).get()
                var request = ByteBuffer()
                request.writeInteger(UInt16(1))
                request.writeString("SEP00000000\(String(format: "%04d", index)).cnf.xml\0octet\0")
                try await requester.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: request))
                try await requester.close()
            }
            try await Eventually.wait("the cluster drops") {
                let statistics = server.application.clusterListener.statistics()
                return statistics.totalRejections == sizes.count ? statistics : nil
            }
            let cluster = server.application.clusterListener.statistics()
            #expect(cluster[.oversizedDatagram] == sizes.filter { $0 > 1_472 }.count)
            #expect(cluster[.unauthenticatedDatagram] == sizes.count - cluster[.oversizedDatagram])
            // TFTP still answers: a request for a file it does not have gets ERROR 1.
            let client = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramCollector())
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            var request = ByteBuffer()
            request.writeInteger(UInt16(1))
            request.writeString("SEP001122334455.cnf.xml\0octet\0")
            try await client.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: request))
            let reply = try await client.pipeline.handler(type: DatagramCollector.self).get().first(
                timeout: .seconds(5)
            )
            #expect(reply?.getInteger(at: reply?.readerIndex ?? 0, as: UInt16.self) == 5)
            try await client.close()
            try await sender.close()
            let tftp = server.application.tftpListener.statistics()
            #expect(tftp.datagramsReceived >= sizes.count + 50)
            try await server.placeCall(0)
        }
    }
}

/// Collects datagrams for a test.
final class DatagramCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let received = NIOLockedValueBox<[ByteBuffer]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        self.received.withLockedValue { $0.append(envelope.data) }
    }

    func first(timeout: Duration) async throws -> ByteBuffer? {
        try await Eventually.wait("a datagram", timeout: timeout) {
            self.received.withLockedValue { $0.first }
        }
    }
}

/// Keeps every log line, to count what a flood writes.
struct CountingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.lines.withLockedValue { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
