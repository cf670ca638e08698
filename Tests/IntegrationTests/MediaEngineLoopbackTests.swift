import Logging
import Media
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import Testing

/// The media engine on real UDP sockets on loopback (issue 14 phase 1), driven by simulated RTP endpoints
/// (SkinnyPhone's `RTPPeerGroup`), with tshark as the independent judge of what crossed the wire.
@Suite(.serialized) struct MediaEngineLoopbackTests {
    /// A port range of its own per run (other servers may run on this machine): 200 ports somewhere in 20000–31999,
    /// below the kernel's ephemeral range (32768 and up), so that no outgoing connection holds one by chance.
    static func portRange() -> ClosedRange<UInt16> {
        let base = UInt16(20_000 + 200 * Int.random(in: 0..<60))
        return base...(base + 199)
    }

    static func server(ports: ClosedRange<UInt16>, group: any EventLoopGroup) -> MediaServer {
        MediaServer(
            configuration: .init(
                bindHost: "127.0.0.1",
                engine: .init(localHost: .ipv4(0x7F00_0001), ports: ports, conferenceMaximum: 4)
            ),
            eventLoop: group.next(),
            logger: Logger(label: "media-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    @Test func threePartiesHearEachOtherAndAListenerGetsContinuousMusic() async throws {
        let captureUnavailable = PacketCapture.unavailableReason
        if let reason = captureUnavailable, PacketCapture.isRequired {
            Issue.record("the RTP capture cannot run: \(reason)")
        }
        let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let peerGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ports = Self.portRange()
        let server = Self.server(ports: ports, group: mediaGroup)
        // The odd port at the top of the range: the engine never binds it; the capture's probe goes there.
        let probePort = Int(ports.upperBound) | 1
        let capture =
            captureUnavailable == nil
            ? try await RTPCapture.start(
                ports: Int(ports.lowerBound)...probePort,
                probePort: probePort,
                timeout: .seconds(20)
            ) : nil
        try await server.start()
        let peers = RTPPeerGroup(eventLoop: peerGroup.next())
        let codecs: [G711Codec] = [.muLaw, .aLaw, .muLaw]
        let frequencies = [500.0, 1_100.0, 1_700.0]

        #expect(await server.execute(.createConference(ConferenceID(7))) == .done)
        var enginePorts: [Int] = []
        for index in 0..<3 {
            let (peer, address) = try await peers.addPeer(
                .init(codec: codecs[index], toneFrequency: frequencies[index], recordsAudio: true)
            )
            let leg = MediaLegID(UInt64(index + 1))
            guard
                case .endpoint(let endpoint) = await server.execute(
                    .addParticipant(leg, conference: ConferenceID(7), codec: codecs[index])
                ),
                let remote = MediaSocketAddress(address)
            else {
                Issue.record("participant \(index + 1) was not added")
                return
            }
            #expect(ports.contains(endpoint.port) && endpoint.port % 2 == 0)
            enginePorts.append(Int(endpoint.port))
            #expect(await server.execute(.setRemote(leg, remote)) == .done)
            try await peers.setRemote(peer, try SocketAddress(endpoint))
        }
        let (listener, listenerAddress) = try await peers.addPeer(.init(codec: .aLaw, toneFrequency: nil))
        guard
            let listenerRemote = MediaSocketAddress(listenerAddress),
            case .endpoint(let musicEndpoint) = await server.execute(
                .startMusicOnHold(MediaLegID(10), source: BuiltInMusic.sourceName, codec: .aLaw, remote: listenerRemote)
            )
        else {
            Issue.record("the music listener was not added")
            return
        }
        enginePorts.append(Int(musicEndpoint.port))
        _ = listener

        try await peers.start()
        try await Task.sleep(for: .milliseconds(1_600))
        let receptions = try await peers.stop()
        let (statistics, _, _) = await server.statistics()
        await server.stop()
        try await mediaGroup.shutdownGracefully()
        try await peerGroup.shutdownGracefully()

        for index in 0..<3 {
            let reception = receptions[index]
            // The first half second fills the jitter buffers; one second of the rest is analysed.
            let audio = Array(reception.audio.suffix(8_000))
            #expect(audio.count == 8_000, "participant \(index + 1) received \(reception.audio.count) samples")
            let own = ToneAnalysis.power(of: frequencies[index], in: audio)
            for other in 0..<3 where other != index {
                let power = ToneAnalysis.power(of: frequencies[other], in: audio)
                #expect(power > 0.001, "participant \(index + 1) hears \(frequencies[other]) Hz at \(power)")
                #expect(own < power / 100, "participant \(index + 1) hears its own tone at \(own)")
            }
            #expect(
                reception.sequenceErrors == 0,
                "participant \(index + 1): \(reception.sequenceErrors) sequence gaps"
            )
            #expect(reception.malformed == 0)
            // A timestamp jumps only where the engine skipped ticks after a stall (a loaded machine can stop its
            // thread for longer than two frames); the jump then covers the time skipped.
            #expect(
                reception.timestampErrors <= Int(statistics.skippedTicks),
                "participant \(index + 1): \(reception.timestampErrors) timestamp jumps, \(statistics.skippedTicks) ticks skipped"
            )
        }
        let music = receptions[3]
        #expect(music.packets >= 60, "the listener received \(music.packets) packets in 1.6 s")
        #expect(music.sequenceErrors == 0)
        #expect(music.timestampErrors <= Int(statistics.skippedTicks))
        #expect(music.ssrcChanges == 0)
        #expect(statistics.droppedWrongSource == 0 && statistics.droppedMalformed == 0)
        #expect(statistics.packetsReceived >= 3 * 60)

        guard let capture else { return }
        defer { capture.remove() }
        try await capture.stop()
        // Every RTP stream, as tshark's RTP analysis sees it: no loss, no sequence error, nothing malformed.
        let streams = try await capture.tshark(decodingAsRTP: enginePorts, ["-q", "-z", "rtp,streams"])
        let rows = Self.rtpStreamRows(streams)
        // Three into the bridge, three out of it, one of music.
        #expect(rows.count == 7, "tshark saw these RTP streams:\n\(streams)")
        for row in rows {
            #expect(row.lost == 0, "\(row.line)")
            // tshark flags a timestamp jump as a problem too; the engine makes one only after skipping ticks.
            if statistics.skippedTicks == 0 { #expect(!row.problem, "\(row.line)") }
            #expect(row.packets >= 60, "\(row.line)")
        }
        let malformed = try await capture.tshark(
            decodingAsRTP: enginePorts,
            ["-Y", "_ws.malformed || _ws.expert.severity >= error"]
        )
        #expect(malformed.isEmpty, "malformed or erroneous packets:\n\(malformed)")
    }

    @Test func hostileDatagramsAreDroppedAndCountedAndTheRangeRunsOutCleanly() async throws {
        let mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Six even ports: the streaming socket takes one, another process (this test) holds one.
        let base = Self.portRange().lowerBound
        let ports = base...(base + 11)
        let squatter = try await DatagramBootstrap(group: mediaGroup).bind(host: "127.0.0.1", port: Int(base) + 4).get()
        let server = Self.server(ports: ports, group: mediaGroup)
        try await server.start()
        #expect(await server.execute(.createConference(ConferenceID(1), maximumParticipants: 8)) == .done)
        var endpoints: [MediaSocketAddress] = []
        var exhausted: MediaCommandError?
        for leg in 1...8 as ClosedRange<UInt64> {
            switch await server.execute(.addParticipant(MediaLegID(leg), conference: ConferenceID(1), codec: .muLaw)) {
            case .endpoint(let endpoint): endpoints.append(endpoint)
            case .failed(let error): exhausted = error
            case .done: Issue.record("no endpoint")
            }
            if exhausted != nil { break }
        }
        // Five even ports left by the streaming socket, one of them held: four participants, then a clean refusal.
        #expect(endpoints.count == 4)
        #expect(!endpoints.contains { Int($0.port) == Int(base) + 4 })
        #expect(exhausted?.code == .portsExhausted)

        let sender = try await DatagramBootstrap(group: mediaGroup).bind(host: "127.0.0.1", port: 0).get()
        let negotiated = try #require(sender.localAddress.flatMap { MediaSocketAddress($0) })
        #expect(await server.execute(.setRemote(MediaLegID(1), negotiated)) == .done)
        let target = try SocketAddress(endpoints[0])
        func send(_ bytes: [UInt8], from channel: any Channel) async throws {
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: bytes)))
        }
        var valid = ByteBuffer()
        valid.writeRTPHeader(marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 5)
        valid.writeRepeatingByte(0xFF, count: 160)
        var wrongType = ByteBuffer()
        wrongType.writeRTPHeader(marker: false, payloadType: 8, sequenceNumber: 2, timestamp: 160, ssrc: 5)
        wrongType.writeRepeatingByte(0xD5, count: 160)
        // From an address that was not negotiated: another socket of the same host.
        let intruder = try await DatagramBootstrap(group: mediaGroup).bind(host: "127.0.0.1", port: 0).get()
        try await send(Array(valid.readableBytesView), from: intruder)
        try await send([0x80, 0x00, 0x01], from: sender)  // too short
        try await send([0x40] + Array(valid.readableBytesView.dropFirst()), from: sender)  // version 1
        try await send([UInt8](repeating: 0x80, count: 2_000), from: sender)  // longer than 1,500 bytes
        try await send(Array(wrongType.readableBytesView), from: sender)
        try await send(Array(valid.readableBytesView), from: sender)
        // To the streaming socket, which takes nothing.
        let streaming = try #require(await server.streamingPort())
        try await intruder.writeAndFlush(
            AddressedEnvelope(
                remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: Int(streaming)),
                data: ByteBuffer(bytes: [1, 2, 3])
            )
        )
        var statistics = MediaStatistics()
        for _ in 0..<100 {
            statistics = await server.statistics().statistics
            if statistics.packetsReceived == 1 && statistics.droppedUnexpected == 1
                && statistics.droppedWrongSource == 1
                && statistics.droppedMalformed == 3 && statistics.droppedWrongPayloadType == 1
            {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(statistics.packetsReceived == 1)
        #expect(statistics.droppedWrongSource == 1)
        #expect(statistics.droppedMalformed == 3)
        #expect(statistics.droppedWrongPayloadType == 1)
        #expect(statistics.droppedUnexpected == 1)
        #expect(statistics.portsExhausted == 1)
        for channel in [sender, intruder, squatter] { try await channel.close() }
        await server.stop()
        try await mediaGroup.shutdownGracefully()
    }

    /// The data rows of `tshark -z rtp,streams`: `start end src sport dst dport ssrc payload pkts lost(pct) ... X?`.
    static func rtpStreamRows(_ output: String) -> [(line: String, packets: Int, lost: Int, problem: Bool)] {
        output.split(separator: "\n").compactMap { line -> (String, Int, Int, Bool)? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // Rows start with two times and carry an SSRC in hex.
            guard fields.count >= 10, Double(fields[0]) != nil, fields.contains(where: { $0.hasPrefix("0x") }),
                let ssrcIndex = fields.firstIndex(where: { $0.hasPrefix("0x") })
            else { return nil }
            // After the SSRC: the payload name (one or more words), then packets and lost.
            let rest = Array(fields[(ssrcIndex + 1)...])
            guard let packetsIndex = rest.firstIndex(where: { Int($0) != nil }), packetsIndex + 1 < rest.count,
                let packets = Int(rest[packetsIndex])
            else { return nil }
            let lost = Int(rest[packetsIndex + 1]) ?? -1
            return (String(line), packets, lost, fields.last == "X")
        }
    }
}
