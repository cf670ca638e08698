import AdminHTTP
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPSession
import ServerNIO
import Store
import StrowgerApp
import Testing
import ToolSupport

/// SIPp (Debian's `sip-tester`) as the other side of Strowger's SIP trunks, on loopback with free ports: Strowger
/// answering OPTIONS over UDP and TCP, registering with a registrar that challenges with digest, refusing a stranger's
/// INVITE with 403, and answering malformed requests 400; a TLS client (openssl) on port 5061's stand-in.
@Suite(.serialized) struct SIPTrunkTests {
    static let sippMissing: Comment =
        "sipp is not installed: install it (apt-get install sip-tester) or run scripts/test, which does"

    static var sipp: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("sipp")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SIPp")

    @Test func sippIsPresentWhenRequired() {
        if ProcessInfo.processInfo.environment["STROWGER_REQUIRE_SIPP"] == "1" {
            #expect(
                Self.sipp != nil,
                "STROWGER_REQUIRE_SIPP=1 but sipp was not found on PATH; scripts/test installs it"
            )
        }
    }

    /// A server with SIP on free ports (UDP/TCP and TLS).
    static func withServer<T>(_ body: (GuardServer, SIPService.BoundPorts) async throws -> T) async throws -> T {
        let configuration = ServerConfiguration.configured {
            $0.sip.port = 0
            $0.sip.tlsPort = 0
            $0.sip.advertisedAddress = "127.0.0.1"
        }
        return try await GuardServer.with(configuration) { server in
            let service = try #require(server.application.sipService)
            return try await body(server, try await service.boundPorts())
        }
    }

    /// A port free on loopback for SIPp to bind (UDP and TCP), found by binding and closing.
    ///
    /// The port is above the kernel's ephemeral range (32768–60999 on Linux), so no client socket of a parallel test
    /// can be given it after it was found free (baresip once failed to bind its TCP port, a connection of another test
    /// having taken it), and below it are the media ranges the tests use. It is free for UDP and TCP both when it is
    /// handed out, and this process hands each port out once, ten apart.
    static func freePort() async throws -> Int {
        for _ in 0..<500 {
            let port = nextPort.withLockedValue { next -> Int in
                // Ten apart: a tool may take the ports after the one it is given (SIPp's RTP at the media port and
                // RTCP above it).
                defer { next = next >= 64_990 ? 61_000 + (next % 10) : next + 10 }
                return next
            }
            if await isFree(port) { return port }
        }
        throw CaptureError("no free port in 61000–65000")
    }

    private static let nextPort = NIOLockedValueBox(Int.random(in: 61_000...65_000))

    /// Whether both a UDP and a TCP socket can bind `port` on loopback now.
    private static func isFree(_ port: Int) async -> Bool {
        let group = MultiThreadedEventLoopGroup.singleton
        guard let udp = try? await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: port).get() else {
            return false
        }
        try? await udp.close()
        guard let tcp = try? await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: port).get() else {
            return false
        }
        try? await tcp.close()
        return true
    }

    /// Runs a SIPp scenario to completion (at most 15 s): its exit status is 0 when every call succeeded.
    static func runSIPp(_ scenario: String, _ arguments: [String]) async throws -> ToolResult {
        let sipp = try #require(Self.sipp)
        return try await ToolProcess.run(
            [
                sipp.path, "-sf", Self.scenarios.appendingPathComponent(scenario).path, "-i", "127.0.0.1", "-nostdin",
                "-timeout", "15s", "-timeout_error",
            ] + arguments
        )
    }

    static func addTrunk(_ server: GuardServer, _ trunk: TrunkRecord) async throws {
        try await server.application.store.insert(trunk)
        // The forwarder applies the Store's change; wait until the SIP service runs the trunk.
        try await Eventually.wait("trunk \(trunk.name) running") {
            server.application.sipService?.trunkReports().contains { $0.name == trunk.name } == true ? true : nil
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, sippMissing), arguments: ["u1", "t1"])
    func optionsFromATrunkAreAnswered200(transport: String) async throws {
        try await Self.withServer { server, ports in
            try await Self.addTrunk(server, TrunkRecord(name: "sipp", host: "127.0.0.1", port: 9))
            let result = try await Self.runSIPp(
                "options-uac.xml",
                ["-t", transport, "-p", "\(try await Self.freePort())", "-m", "1", "127.0.0.1:\(ports.port)"]
            )
            #expect(result.status == 0, "sipp: \(result.standardErrorText)")
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, sippMissing))
    func anInviteFromAStrangerIsForbiddenAndCounted() async throws {
        try await Self.withServer { server, ports in
            let result = try await Self.runSIPp(
                "invite-uac-forbidden.xml",
                ["-p", "\(try await Self.freePort())", "-m", "1", "127.0.0.1:\(ports.port)"]
            )
            #expect(result.status == 0, "sipp: \(result.standardErrorText)")
            let service = try #require(server.application.sipService)
            #expect(service.refusals()[.notATrunk, default: 0] >= 1)
            let udp = try #require(service.guardStatistics().first { $0.service == "sip-udp" })
            #expect(udp[.sourceNotAllowed] >= 1)
            // Nothing is kept for a stranger.
            let metrics = try await server.metrics()
            #expect(metrics.contains("strowger_sip_refused_total{reason=\"not_a_trunk\"}"))
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, sippMissing), arguments: ["u1", "t1"])
    func malformedRequestsAreAnswered400AndCounted(transport: String) async throws {
        try await Self.withServer { server, ports in
            let result = try await Self.runSIPp(
                "malformed-uac.xml",
                ["-t", transport, "-p", "\(try await Self.freePort())", "-m", "1", "127.0.0.1:\(ports.port)"]
            )
            #expect(result.status == 0, "sipp: \(result.standardErrorText)")
            let service = try #require(server.application.sipService)
            let name = transport == "u1" ? "sip-udp" : "sip-tcp"
            let statistics = try #require(service.guardStatistics().first { $0.service == name })
            #expect(statistics[transport == "u1" ? .malformedDatagram : .malformedMessage] >= 1)
        }
    }

    /// Garbage that cannot be answered is dropped and counted; the server goes on answering.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, sippMissing))
    func garbageDatagramsAreDroppedAndCounted() async throws {
        try await Self.withServer { server, ports in
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: ports.port)
            for payload in ["\u{0}\u{1}garbage", "OPTIONS sip:x SIP/2.0\r\n\r\n", String(repeating: "A", count: 2000)] {
                try await channel.writeAndFlush(
                    AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: payload))
                )
            }
            let service = try #require(server.application.sipService)
            try await Eventually.wait("three malformed datagrams counted") {
                let udp = service.guardStatistics().first { $0.service == "sip-udp" }
                return (udp?[.malformedDatagram] ?? 0) >= 3 ? true : nil
            }
            try await channel.close()
            try await Self.addTrunk(server, TrunkRecord(name: "sipp", host: "127.0.0.1", port: 9))
            let result = try await Self.runSIPp(
                "options-uac.xml",
                ["-p", "\(try await Self.freePort())", "-m", "1", "127.0.0.1:\(ports.port)"]
            )
            #expect(result.status == 0, "sipp after garbage: \(result.standardErrorText)")
        }
    }

    /// Strowger registers with SIPp acting as a carrier's registrar: REGISTER, 401 with an MD5 digest challenge
    /// (qop=auth), REGISTER with credentials that SIPp's verifyauth checks, 200 only if they verify. SIPp also
    /// answers Strowger's OPTIONS, so the trunk shows up.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, sippMissing))
    func registrationAnswersTheRegistrarsDigestChallenge() async throws {
        try await Self.withServer { server, _ in
            let port = try await Self.freePort()
            let sipp = try #require(Self.sipp)
            let registrar = try ToolProcess.start(
                [
                    sipp.path, "-sf", Self.scenarios.appendingPathComponent("register-uas.xml").path, "-i",
                    "127.0.0.1", "-p", "\(port)", "-m", "2", "-nostdin", "-timeout", "15s", "-timeout_error",
                ]
            )
            defer { if registrar.isRunning { registrar.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await Self.addTrunk(
                server,
                TrunkRecord(
                    name: "carrier",
                    host: "127.0.0.1",
                    port: port,
                    registrationUser: "4930123",
                    registrationPassword: "s3cret",
                    fromDomain: "carrier.test"
                )
            )
            let service = try #require(server.application.sipService)
            let report = try await Eventually.wait("carrier registered and up") {
                service.trunkReports().first {
                    guard $0.name == "carrier", $0.status.reachability == .up else { return false }
                    if case .registered = $0.status.registration { return true }
                    return false
                }
            }
            #expect(report.status.lastResponseCode == 200)
            let until = try #require(report.registrationTime)
            #expect(until.timeIntervalSinceNow > 30 && until.timeIntervalSinceNow <= 61)
            let exit = await registrar.waitForExit(timeout: .seconds(10))
            #expect(exit == .exited(0), "sipp registrar: \(String(decoding: registrar.standardError(), as: UTF8.self))")
            let metrics = try await server.metrics()
            #expect(metrics.contains("strowger_sip_trunk_registered{trunk=\"carrier\"} 1"))
            #expect(metrics.contains("strowger_sip_trunk_up{trunk=\"carrier\"} 1"))
        }
    }

    /// SIP over TLS on the SIPS port with Strowger's server certificate: openssl sends an OPTIONS from a trunk's
    /// address and reads the 200.
    @Test func optionsOverTLS() async throws {
        try await Self.withServer { server, ports in
            try await Self.addTrunk(server, TrunkRecord(name: "tls-peer", host: "127.0.0.1", port: 9, transport: .tls))
            let tlsPort = try #require(ports.tlsPort)
            let request = """
                OPTIONS sip:strowger@127.0.0.1:\(tlsPort);transport=tls SIP/2.0\r
                Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKopenssl1\r
                From: <sip:peer@127.0.0.1>;tag=1\r
                To: <sip:strowger@127.0.0.1>\r
                Call-ID: tls-options-1@127.0.0.1\r
                CSeq: 1 OPTIONS\r
                Max-Forwards: 70\r
                Content-Length: 0\r
                \r

                """
            let result = try await ToolProcess.run(
                [
                    "timeout", "3", "openssl", "s_client", "-connect", "127.0.0.1:\(tlsPort)", "-quiet",
                    "-CAfile", server.dataDirectory.appendingPathComponent("ca-cert.pem").path,
                    "-verify_return_error", "-ign_eof",
                ],
                input: Data(request.utf8)
            )
            let output = result.standardOutputText
            #expect(output.contains("SIP/2.0 200 OK"), "openssl: \(output) \(result.standardErrorText)")
        }
    }
}

extension GuardServer {
    /// The admin API's `/metrics` text.
    func metrics() async throws -> String {
        let port = try await self.application.adminServer.boundPort()
        let token = try #require(try AdminTokenFile.read(from: self.dataDirectory), "the server wrote no admin token")
        return try await AdminClient(server: "http://127.0.0.1:\(port)", token: token).metrics()
    }
}
