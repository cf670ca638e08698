import Cluster
import Foundation
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import Store
import StrowgerApp
import Testing
import ToolSupport

/// Two whole Strowger servers on loopback as cluster nodes `alpha` and `beta` (issue 19, item 2): they see each
/// other up through authenticated heartbeats, alpha marks beta down three heartbeats after it stops, and forged,
/// replayed and foreign datagrams are dropped and counted by reason.
@Suite(.serialized) struct ClusterNodeTests {
    static let heartbeat = 0.2
    let secret = (0..<48).map { _ in UInt8.random(in: 0...255) }

    func configuration(_ name: String) -> ServerConfiguration {
        .configured {
            $0.clusterNode = ClusterNodeOptions(name: name, secret: self.secret, heartbeatSeconds: Self.heartbeat)
        }
    }

    static func state(of node: String, on server: GuardServer) async -> String? {
        await server.application.clusterListener.clusterStatus()?.first { $0.name == node }?.state
    }

    /// A UDP socket of the test's own, bound on loopback.
    static func socket() async throws -> any Channel {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    }

    static func send(_ datagram: ByteBuffer, from channel: any Channel, to port: Int) async throws {
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: datagram))
    }

    static func now() -> ClusterTimestamp {
        ClusterTimestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1_000))
    }

    static func heartbeat(
        from name: String,
        sequence: UInt64,
        secret: [UInt8],
        at timestamp: ClusterTimestamp = now()
    ) throws -> ByteBuffer {
        let message = ClusterMessage(
            sender: ClusterNodeName(name)!,
            sequence: sequence,
            timestamp: timestamp,
            body: .heartbeat(.init(interval: .seconds(60)))
        )
        return try ClusterDatagram.encode(message, secret: try ClusterSecret(bytes: secret))
    }

    @Test func twoNodesSeeEachOtherAndOneGoesDown() async throws {
        try await GuardServer.with(self.configuration("alpha")) { alpha in
            try await GuardServer.with(self.configuration("beta")) { beta in
                let tester = try await Self.socket()
                defer { tester.close(promise: nil) }
                let testerPort = tester.localAddress!.port!
                // Both nodes in both tables (each node reads its table every heartbeat), and the test's socket as a
                // third node on alpha only, so that its datagrams get past the address check.
                for server in [alpha, beta] {
                    try await server.application.store.add(
                        NodeRecord(name: "alpha", address: "127.0.0.1:\(alpha.clusterPort)")
                    )
                    try await server.application.store.add(
                        NodeRecord(name: "beta", address: "127.0.0.1:\(beta.clusterPort)")
                    )
                }
                try await alpha.application.store.add(NodeRecord(name: "tester", address: "127.0.0.1:\(testerPort)"))

                try await Eventually.wait("alpha sees beta up") {
                    await Self.state(of: "beta", on: alpha) == "up" ? true : nil
                }
                try await Eventually.wait("beta sees alpha up") {
                    await Self.state(of: "alpha", on: beta) == "up" ? true : nil
                }
                // The node table is read again every heartbeat interval: wait until alpha lists all three.
                let status = try await Eventually.wait("alpha lists alpha, beta and tester") {
                    let status = await alpha.application.clusterListener.clusterStatus()
                    return status?.map(\.name) == ["alpha", "beta", "tester"] ? status : nil
                }
                try #require(status.count == 3)
                #expect(status.map(\.state).prefix(2) == ["self", "up"])
                // The tester has not spoken yet: unknown, or down once three heartbeats passed.
                #expect(["unknown", "down"].contains(status[2].state))
                #expect(status[1].address == "127.0.0.1:\(beta.clusterPort)")

                // A phone registers on beta: beta's location update puts it on beta in alpha's table; it also
                // shows in beta's next heartbeat.
                let (phone, _) = try await beta.registeredPhone("SEP00000000BE7A")
                try await Eventually.wait("alpha tables the phone on beta") {
                    alpha.application.clusterListener.registrationLocations?.node(of: "SEP00000000BE7A")?.value
                        == "beta"
                        ? true : nil
                }
                try await Eventually.wait("beta's heartbeat counts the phone") {
                    await alpha.application.clusterListener.clusterStatus()?.first { $0.name == "beta" }?
                        .registeredDevices == 1 ? true : nil
                }

                // Counted from here: before alpha first read its table, beta's heartbeats were not from a node.
                let before = alpha.application.clusterListener.statistics()
                // From the tester's (node) address: a wrong secret, a good datagram twice, a good datagram that
                // claims to be beta, one an hour old.
                let port = alpha.clusterPort
                let wrongSecret = (0..<48).map { _ in UInt8.random(in: 0...255) }
                try await Self.send(
                    try Self.heartbeat(from: "tester", sequence: 1, secret: wrongSecret),
                    from: tester,
                    to: port
                )
                let good = try Self.heartbeat(from: "tester", sequence: 10, secret: self.secret)
                try await Self.send(good, from: tester, to: port)
                try await Eventually.wait("alpha accepts the tester") {
                    await Self.state(of: "tester", on: alpha) == "up" ? true : nil
                }
                try await Self.send(good, from: tester, to: port)
                try await Self.send(
                    try Self.heartbeat(from: "beta", sequence: .max, secret: self.secret),
                    from: tester,
                    to: port
                )
                let old = ClusterTimestamp(milliseconds: Self.now().milliseconds - 3_600_000)
                try await Self.send(
                    try Self.heartbeat(from: "tester", sequence: 11, secret: self.secret, at: old),
                    from: tester,
                    to: port
                )
                // From an address that is not a node: a perfectly good datagram is still refused.
                let foreign = try await Self.socket()
                try await Self.send(
                    try Self.heartbeat(from: "tester", sequence: 12, secret: self.secret),
                    from: foreign,
                    to: port
                )
                try await foreign.close()

                let expected: [GuardRejectionReason: Int] = [
                    .badTag: 1, .replayedDatagram: 1, .nodeAddressMismatch: 1, .timestampOutsideWindow: 1,
                    .sourceNotAllowed: 1,
                ]
                try await Eventually.wait("the drops counted") {
                    let statistics = alpha.application.clusterListener.statistics()
                    return expected.allSatisfy { statistics[$0.key] - before[$0.key] == $0.value } ? true : nil
                }
                #expect(alpha.application.clusterListener.statistics().totalRejections - before.totalRejections == 5)
                let metrics = GuardStatistics.prometheusText(alpha.application.guardStatistics())
                for (reason, delta) in expected {
                    let count = before[reason] + delta
                    #expect(
                        metrics.contains(
                            #"strowger_guard_rejections_total{service="cluster",reason="\#(reason)"} \#(count)"#
                        )
                    )
                }
                // Neither beta's state nor its replay window was touched by the datagram that named it.
                #expect(await Self.state(of: "beta", on: alpha) == "up")

                // Beta stops; alpha marks it down after three of its heartbeats (0.6 s) without a datagram.
                let stopped = ContinuousClock.now
                await beta.stop()
                try await Eventually.wait("alpha sees beta down") {
                    await Self.state(of: "beta", on: alpha) == "down" ? true : nil
                }
                let took = ContinuousClock.now - stopped
                #expect(took >= .milliseconds(400), "down after \(took)")
                // Beta's phones are registered nowhere as far as alpha knows.
                #expect(alpha.application.clusterListener.registrationLocations?.node(of: "SEP00000000BE7A") == nil)
                try? await phone.disconnect()
            }
        }
    }

    /// `--cluster-secret-file` must exist, be private and hold at least 32 bytes; each refusal says what to do.
    @Test func secretFileChecks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strowger-secret-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cluster.secret").path
        func failure(_ name: String = "cm1") -> String? {
            do {
                _ = try ClusterNodeOptions.load(name: name, secretFile: file)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(failure()?.contains("cannot be read (No such file or directory)") == true)
        let secret = Data((0..<48).map { UInt8($0) })
        #expect(FileManager.default.createFile(atPath: file, contents: secret, attributes: [.posixPermissions: 0o644]))
        #expect(failure()?.contains("can be read by others (mode 644); make it private: chmod 600") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try ClusterNodeOptions.load(name: "cm1", secretFile: file).secret == Array(secret))
        #expect(failure("cm 1")?.contains("--node must be") == true)
        try Data(repeating: 1, count: 31).write(to: URL(fileURLWithPath: file))
        #expect(failure()?.contains("holds 31 bytes; it needs at least 32") == true)
        #expect(throws: ClusterNodeOptions.Failure.self) {
            try ClusterNodeOptions.load(name: "cm1", secretFile: directory.path)
        }
    }

    /// hping3 (a tool we did not write) sends UDP to the cluster port from loopback ports that are not node
    /// addresses: every datagram is dropped as not from a node and the node keeps running.
    @Test func hping3DatagramsAreDroppedAndCounted() async throws {
        guard let hping3 = PacketCapture.executable(named: "hping3") else {
            Issue.record("hping3 is not installed (scripts/test installs it)")
            return
        }
        try await GuardServer.with(self.configuration("alpha")) { alpha in
            try await alpha.application.store.add(NodeRecord(name: "alpha", address: "127.0.0.1:\(alpha.clusterPort)"))
            let result = try await ToolProcess.run([
                hping3.path, "--udp", "-p", "\(alpha.clusterPort)", "-c", "5", "-i", "u20000", "-d", "100", "127.0.0.1",
            ])
            guard result.status == 0 || result.standardErrorText.contains("packets transmitted") else {
                Issue.record("hping3 failed (it needs root): \(result.standardErrorText)")
                return
            }
            try await Eventually.wait("hping3's datagrams dropped") {
                alpha.application.clusterListener.statistics()[.sourceNotAllowed] == 5 ? true : nil
            }
            #expect(alpha.application.clusterListener.statistics().totalRejections == 5)
            #expect(alpha.application.clusterListener.datagramsReceived == 5)
        }
    }
}
