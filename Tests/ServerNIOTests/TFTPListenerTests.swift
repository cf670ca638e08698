import Foundation
import Logging
import NIOCore
import NIOPosix
import Provisioning
import ServerNIO
import Synchronization
import Testing
import ToolSupport

/// The TFTP listener on real loopback sockets, against curl (a real TFTP client) and a raw datagram client.
@Suite(.serialized) struct TFTPListenerTests {
    static let deviceName = "SEP001122334455"
    static let group = CnfXML.CallManagerGroup(
        members: [CnfXML.Node(name: "a", address: "192.0.2.10"), CnfXML.Node(name: "b", address: "192.0.2.11")])
    static let device = CnfXML.Device(name: deviceName, securityMode: .authenticated, callManagerGroup: group)

    /// Provisioning files plus a few static ones of awkward sizes.
    struct Files: TFTPFileProvider {
        let provisioning = ProvisioningFileProvider(
            source: StaticProvisioningSource(devices: [TFTPListenerTests.device], defaults: nil)
        )
        let extra: [String: ByteBuffer]

        func contents(ofFile filename: String) async throws -> ByteBuffer? {
            if let file = self.extra[filename] { return file }
            return try await self.provisioning.contents(ofFile: filename)
        }
    }

    static func pattern(_ count: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count)
        for index in 0..<count { buffer.writeInteger(UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8)) }
        return buffer
    }

    static let files = Files(extra: [
        "ten-kib.bin": pattern(10 * 1024),
        "two-blocks.bin": pattern(2048),
        // 65,536 blocks of 8 bytes and a short one: block numbers wrap past 65535.
        "rollover.bin": pattern(8 * 65536 + 5),
    ])

    static func deviceFile() throws -> [UInt8] {
        Array(try CnfXMLGenerator.deviceConfiguration(device).utf8)
    }

    static func configuration(
        port: Int = 0,
        fallbackPort: Int? = nil,
        maximumConcurrentTransfers: Int = 64,
        timeout: TimeAmount = .seconds(1)
    ) -> TFTPListener.Configuration {
        TFTPListener.Configuration(
            host: "127.0.0.1",
            port: port,
            fallbackPort: fallbackPort,
            policy: TFTPServerPolicyConfiguration(
                maximumConcurrentTransfers: maximumConcurrentTransfers,
                requestBurst: 100,
                requestsPerSecond: 100
            ),
            transfer: TFTPTransferStateMachine.Configuration(defaultTimeout: timeout, maximumRetransmissions: 3)
        )
    }

    /// Runs a listener for the duration of `body`, then cancels it and waits for `run()` to return.
    func withListener(
        _ configuration: TFTPListener.Configuration = Self.configuration(),
        _ body: (TFTPListener, Int) async throws -> Void
    ) async throws {
        let listener = TFTPListener(
            configuration: configuration,
            fileProvider: Self.files,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "tftp-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await listener.run() }
            do {
                let port = try await listener.boundPort()
                try await body(listener, port)
            } catch {
                tasks.cancelAll()
                throw error
            }
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
    }

    // MARK: - curl

    @Test(arguments: [[], ["--tftp-blksize", "1024"], ["--tftp-no-options"]])
    func curlFetchesTheDeviceFile(_ options: [String]) async throws {
        try await withListener { listener, port in
            let result = try await Curl.run(options + ["tftp://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            #expect(result.status == 0)
            #expect(result.output == (try Self.deviceFile()))
            #expect(await eventually { listener.statistics().transfersCompleted == 1 })
            #expect(listener.statistics().activeTransfers == 0)
        }
    }

    @Test(arguments: [
        ("ten-kib.bin", "512"), ("ten-kib.bin", "1024"), ("ten-kib.bin", "65464"), ("two-blocks.bin", "1024"),
        ("two-blocks.bin", "8"),
    ])
    func curlFetchesFilesOfEverySizeAndBlockSize(_ name: String, _ blockSize: String) async throws {
        try await withListener { listener, port in
            let result = try await Curl.run(["--tftp-blksize", blockSize, "tftp://127.0.0.1:\(port)/\(name)"])
            #expect(result.status == 0)
            let expected = try #require(Self.files.extra[name])
            #expect(result.output == Array(expected.readableBytesView))
        }
    }

    @Test
    func curlFetchesAFileWhoseBlockNumbersRollOver() async throws {
        try await withListener { listener, port in
            let result = try await Curl.run(
                ["--tftp-blksize", "8", "tftp://127.0.0.1:\(port)/rollover.bin"],
                maxTime: 120
            )
            #expect(result.status == 0)
            #expect(result.output.count == 8 * 65536 + 5)
            let expected = try #require(Self.files.extra["rollover.bin"])
            #expect(result.output == Array(expected.readableBytesView))
            #expect(await eventually { listener.statistics().transfersCompleted == 1 })
        }
    }

    @Test
    func missingFileIsError1() async throws {
        try await withListener { listener, port in
            let result = try await Curl.run(["tftp://127.0.0.1:\(port)/SEP00000000AAAA.cnf.xml"])
            #expect(result.status == Curl.tftpNotFound)
            #expect(listener.statistics().filesNotFound == 1)
            #expect(listener.statistics().activeTransfers == 0)
        }
    }

    @Test(arguments: ["../etc/passwd", "/etc/passwd", "a/../../etc/passwd"])
    func traversalIsRefusedWithError2(_ name: String) async throws {
        try await withListener { listener, port in
            let result = try await Curl.run(["--path-as-is", "tftp://127.0.0.1:\(port)/\(name)"])
            #expect(result.status == Curl.tftpPermission)
            #expect(listener.statistics().requestsRefused == 1)
        }
    }

    @Test
    func writeRequestIsRefusedWithError2() async throws {
        try await withListener { listener, port in
            let upload = FileManager.default.temporaryDirectory.appendingPathComponent(
                "tftp-upload-\(UUID().uuidString)"
            )
            try Data("hello".utf8).write(to: upload)
            defer { try? FileManager.default.removeItem(at: upload) }
            let result = try await Curl.run(["-T", upload.path, "tftp://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            #expect(result.status == Curl.tftpPermission)
            #expect(listener.statistics().writeRequestsRefused == 1)
        }
    }

    @Test
    func junkDatagramsOfAnySizeAreDroppedAndCounted() async throws {
        try await withListener { listener, port in
            let client = try await RawClient.open()
            let sizes = [0, 1, 2, 3, 4, 100, 513, 1400, 9000, 65000]
            for size in sizes {
                var junk = ByteBuffer(repeating: 0xA5, count: size)
                if size >= 2 { junk.setInteger(UInt16(9), at: 0) }
                try await client.send(junk, to: port)
            }
            // A request that is too long (RFC 2347: 512 bytes at most) is junk too.
            var long = ByteBuffer()
            long.writeTFTPPacket(.readRequest(TFTPRequest(filename: String(repeating: "a", count: 600), mode: .octet)))
            try await client.send(long, to: port)
            // So is a stray ACK on the server port.
            try await client.send(packet(.acknowledgement(block: 1)), to: port)
            #expect(await eventually { listener.statistics().junkDatagrams == sizes.count + 2 })
            #expect(client.received.isEmpty)
            try await client.close()

            let result = try await Curl.run(["tftp://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            #expect(result.status == 0)
            #expect(result.output == (try Self.deviceFile()))
        }
    }

    // MARK: - raw client

    @Test func tsizeIsReportedInTheOACK() async throws {
        try await withListener { _, port in
            let client = try await RawClient.open()
            try await client.send(
                packet(
                    .readRequest(
                        TFTPRequest(
                            filename: "ten-kib.bin",
                            mode: .octet,
                            options: [
                                TFTPOption(name: "tsize", value: "0"), TFTPOption(name: "BLKSIZE", value: "4096"),
                            ]
                        )
                    )
                ),
                to: port
            )
            #expect(await eventually { client.received.count == 1 })
            let first = try #require(client.received.first)
            #expect(first.port != port)
            #expect(
                try TFTPPacket(decoding: first.data)
                    == .optionAcknowledgement([
                        TFTPOption(name: "tsize", value: "10240"), TFTPOption(name: "blksize", value: "4096"),
                    ])
            )
            // ACK 0 to the transfer's own port (its TID) starts the data.
            try await client.send(packet(.acknowledgement(block: 0)), to: first.port)
            #expect(await eventually { client.received.count == 2 })
            guard case .data(1, let payload) = try TFTPPacket(decoding: client.received[1].data) else {
                Issue.record("expected DATA 1")
                return
            }
            #expect(payload.readableBytes == 4096)
            try await client.close()
        }
    }

    @Test func icmpPortUnreachableEndsOnlyThatTransfer() async throws {
        try await withListener(Self.configuration(timeout: .milliseconds(200))) { listener, port in
            let client = try await RawClient.open()
            try await client.send(packet(.readRequest(TFTPRequest(filename: "ten-kib.bin", mode: .octet))), to: port)
            #expect(await eventually { client.received.count == 1 })
            // The client goes away; the server's retransmission draws ICMP port unreachable.
            try await client.close()
            #expect(await eventually { listener.statistics().peersUnreachable == 1 })
            #expect(await eventually { listener.statistics().activeTransfers == 0 })
            #expect(listener.statistics().transfersFailed == 1)

            // The server port is unharmed.
            let second = try await RawClient.open()
            try await second.send(packet(.readRequest(TFTPRequest(filename: "two-blocks.bin", mode: .octet))), to: port)
            #expect(await eventually { second.received.count == 1 })
            try await second.close()
        }
    }

    @Test func transfersBeyondTheCapAreDroppedUntilOneEnds() async throws {
        // A timeout of 1 s: the second request arrives while the first transfer still waits for its first ACK (it is
        // not stalled yet, so it is not evicted).
        try await withListener(Self.configuration(maximumConcurrentTransfers: 1, timeout: .seconds(1))) {
            listener,
            port in
            let first = try await RawClient.open()
            let second = try await RawClient.open()
            try await first.send(packet(.readRequest(TFTPRequest(filename: "ten-kib.bin", mode: .octet))), to: port)
            #expect(await eventually { first.received.count == 1 })
            try await second.send(packet(.readRequest(TFTPRequest(filename: "ten-kib.bin", mode: .octet))), to: port)
            #expect(await eventually { listener.statistics().busyDrops == 1 })
            #expect(second.received.isEmpty)
            // The first client never ACKs: after 3 retransmissions the slot frees and a retried RRQ is served.
            #expect(await eventually { listener.statistics().activeTransfers == 0 })
            try await second.send(packet(.readRequest(TFTPRequest(filename: "ten-kib.bin", mode: .octet))), to: port)
            #expect(await eventually { second.received.count == 1 })
            try await first.close()
            try await second.close()
        }
    }

    /// Issue 13, the TFTP lockout, scaled down: read requests asking for `timeout=255` that are never acknowledged
    /// filled every transfer slot for minutes, and phones could not boot. Now the timeout is not granted, one address
    /// holds at most its share of the slots, and a stalled transfer makes room for a new request: curl, a real
    /// client, still gets its file while the attack goes on.
    @Test func neverAcknowledgedRequestsDoNotLockPhonesOut() async throws {
        var configuration = Self.configuration(maximumConcurrentTransfers: 8, timeout: .seconds(2))
        configuration.transfer.maximumRetransmissions = 5
        configuration.policy.maximumTransfersPerSource = TFTPServerPolicyConfiguration().maximumTransfersPerSource
        try await withListener(configuration) { listener, port in
            var attackers: [RawClient] = []
            for index in 0..<2 {
                attackers.append(try await RawClient.open(host: "127.0.13.\(index + 1)"))
            }
            let request = packet(
                .readRequest(
                    TFTPRequest(
                        filename: "ten-kib.bin",
                        mode: .octet,
                        options: [TFTPOption(name: "timeout", value: "255"), TFTPOption(name: "tsize", value: "0")]
                    )
                )
            )
            // Ten requests a second, for 1.6 s, from two addresses; nothing is ever acknowledged. Each address gets
            // its four slots; the rest of its requests are dropped.
            for round in 0..<16 {
                try await attackers[round % attackers.count].send(request, to: port)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(await eventually { listener.statistics().activeTransfers == 8 })
            #expect(listener.statistics().perSourceDrops > 0)
            // The OACK does not grant 255 s.
            let oack = try #require(attackers[0].received.first)
            #expect(
                try TFTPPacket(decoding: oack.data)
                    == .optionAcknowledgement([TFTPOption(name: "tsize", value: "10240")])
            )
            // Once the attackers' transfers have gone unanswered past their timeout they are stalled: a phone's
            // request takes the oldest one's slot.
            try await Task.sleep(for: .seconds(2.5))
            let result = try await Curl.run(["tftp://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"], maxTime: 10)
            #expect(result.status == 0)
            #expect(result.output == (try Self.deviceFile()))
            #expect(listener.statistics().transfersEvicted >= 1)
            for attacker in attackers { try await attacker.close() }
        }
    }

    @Test func shutdownEndsRunningTransfers() async throws {
        let client = try await RawClient.open()
        var running: TFTPListener?
        let clock = ContinuousClock()
        let started = clock.now
        try await withListener(Self.configuration(timeout: .seconds(30))) { listener, port in
            running = listener
            try await client.send(packet(.readRequest(TFTPRequest(filename: "ten-kib.bin", mode: .octet))), to: port)
            #expect(await eventually { client.received.count == 1 })
            #expect(listener.statistics().activeTransfers == 1)
        }
        // run() returned well before the transfer's own 30 s timeout, and the transfer's socket is closed.
        #expect(clock.now - started < .seconds(10))
        let listener = try #require(running)
        #expect(await eventually { listener.statistics().activeTransfers == 0 })
        #expect(listener.statistics().transfersFailed == 1)
        try await client.close()
    }

    @Test func aTakenPortFallsBackToTheFallbackPort() async throws {
        let blocker = try await RawClient.open()
        let taken = blocker.port
        try await withListener(Self.configuration(port: taken, fallbackPort: 0)) { _, port in
            #expect(port != taken)
            let client = try await RawClient.open()
            try await client.send(packet(.readRequest(TFTPRequest(filename: "two-blocks.bin", mode: .octet))), to: port)
            #expect(await eventually { client.received.count == 1 })
            try await client.close()
        }
        // Without a fallback the bind error is the listener's.
        let listener = TFTPListener(
            configuration: Self.configuration(port: taken),
            fileProvider: Self.files,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "tftp-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        await #expect(throws: (any Error).self) { try await listener.run() }
        await #expect(throws: (any Error).self) { try await listener.boundPort() }
        try await blocker.close()
    }
}

// MARK: - Helpers

func packet(_ packet: TFTPPacket) -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.writeTFTPPacket(packet)
    return buffer
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A UDP socket on 127.0.0.1 that records every datagram it receives.
final class RawClient: Sendable {
    struct Datagram: Sendable {
        var port: Int
        var data: ByteBuffer
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received = Mutex<[Datagram]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = self.unwrapInboundIn(data)
            self.received.withLock { $0.append(Datagram(port: envelope.remoteAddress.port ?? 0, data: envelope.data)) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {}
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// - Parameter host: the loopback address to send from (any of 127.0.0.0/8), so that a test can play many
    ///   sources.
    static func open(host: String = "127.0.0.1") async throws -> RawClient {
        let collector = Collector()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .bind(host: host, port: 0)
            .get()
        return RawClient(channel: channel, collector: collector)
    }

    var port: Int { self.channel.localAddress?.port ?? 0 }

    var received: [Datagram] { self.collector.received.withLock { $0 } }

    func send(_ data: ByteBuffer, to port: Int) async throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        try await self.channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: data))
    }

    func close() async throws {
        try await self.channel.close()
    }
}

/// curl as a reference TFTP client (it sends tsize, blksize and timeout unless told `--tftp-no-options`).
enum Curl {
    /// curl's exit codes for TFTP ERROR 1 and 2 (CURLE_TFTP_NOTFOUND, CURLE_TFTP_PERM).
    static let tftpNotFound: Int32 = 68
    static let tftpPermission: Int32 = 69

    /// Whether a curl with TFTP support is on the PATH (`curl -V` lists "tftp" among its protocols).
    static let hasTFTP: Bool = {
        guard let result = try? ToolProcess.runBlocking(["curl", "-V"], standardError: .discard) else {
            return false
        }
        return result.termination.succeeded && result.standardOutputText.contains(" tftp")
    }()

    struct Result {
        var status: Int32
        var output: [UInt8]
    }

    /// Runs curl with `arguments` and returns its exit status and what it wrote to its output file. Waits on
    /// curl's exit without blocking a thread of the cooperative pool (the listener's lookups need one).
    static func run(_ arguments: [String], maxTime: Int = 30) async throws -> Result {
        // The image every Strowger machine uses ships curl 7.88 with TFTP; a missing one fails, never skips.
        try #require(Self.hasTFTP, "these tests need curl with TFTP support on PATH (Debian: apt-get install curl)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tftp-curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let status: Int32
        do {
            status = try await ToolProcess.run(
                ["curl", "--silent", "--max-time", String(maxTime), "--output", output.path] + arguments,
                standardOutput: .discard,
                standardError: .discard
            ).status
        } catch {
            status = -1
        }
        let bytes = (try? Data(contentsOf: output)).map { Array($0) } ?? []
        return Result(status: status, output: bytes)
    }
}
