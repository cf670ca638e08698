import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import Media
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import StrowgerApp
import Testing
import ToolSupport

/// Tones from the media server to a SIP trunk's far end (issue 14, item 5), end to end: SIPp calls a phone, which
/// transfers the call to a second phone while that one rings. SIPp's answered dialog cannot be made to play a tone,
/// so the ringback it hears must come as RTP from Strowger's media server, re-INVITEd like music on hold; when the
/// second phone answers, the far end talks to it directly. dumpcap captures what reaches SIPp's media port and
/// tshark reads it as RTP: the ringback is 440 + 480 Hz in North America's cadence (2 s on, 4 s off), and the second
/// phone's own tone (1 kHz) then arrives from the phone itself.
@Suite(.serialized) struct SIPToneTests {
    static let timeout = TestServer.timeout
    /// The second phone's RTP: a 1 kHz sine, to tell its audio from the media server's.
    static let targetTone = 1_000.0

    /// One RTP packet that reached SIPp's media port, as tshark decoded it.
    struct Packet {
        var sourcePort: Int
        var ssrc: String
        var sequence: Int
        var timestamp: UInt32
        var payloadType: Int
        var payload: [UInt8]

        /// The µ-law payload as 16-bit samples.
        var samples: [Int16] { payload.map { G711Codec.muLaw.decode($0) } }
    }

    /// What a run captured at SIPp's media port.
    struct Captured {
        var capture: RTPCapture
        var mediaPort: Int
        /// The media server's streaming socket: where its music and tones come from.
        var streamingPort: Int
        var packets: [Packet]
        /// Samples of the engine's clock skipped after stalls (a loaded machine): the slack allowed on cadence edges.
        var skippedSamples: Int
    }

    /// SIPp calls Alice (2001), who answers and transfers it to Bob (2002, a phone sending a 1 kHz tone) while Bob
    /// rings; then `afterTransfer` goes on (Bob, SIPp). `prepare` runs first (settings, forwards). Returns what reached
    /// SIPp's media port (nil when the capture cannot run and is not required).
    static func transferWhileRinging(
        prepare: (SIPCallTests.Rig) async throws -> Void = { _ in },
        afterTransfer: (SIPCallTests.Rig, SkinnyPhone, RunningTool) async throws -> Void
    ) async throws -> Captured? {
        if let reason = PacketCapture.unavailableReason {
            if PacketCapture.isRequired { Issue.record("the RTP capture cannot run: \(reason)") }
            return nil
        }
        var mediaPort = 0
        var streamingPort = 0
        var skippedTicks: UInt64 = 0
        var capture: RTPCapture?
        do {
            try await SIPCallTests.with { rig in
                mediaPort = rig.mediaPort
                // SIPp's media port and the odd port above it for the capture's probe (nothing else is sent there).
                capture = try await RTPCapture.start(
                    ports: rig.mediaPort...(rig.mediaPort + 1),
                    probePort: rig.mediaPort + 1,
                    timeout: Self.timeout
                )
                let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
                let (bob, _) = try await MediaCallTests.phone(
                    rig.server,
                    "SEP0000000051B2",
                    version: 11,
                    tone: Self.targetTone
                )
                try await rig.addTrunk()
                try await prepare(rig)
                streamingPort = Int(try #require(await rig.server.application.mediaServer.streamingPort()))
                let sipp = try rig.sippCalls("2001", scenario: "call-uac-transfer-ringback.xml")
                defer { if sipp.isRunning { sipp.signal(SIGKILL) } }

                let first = try await alice.waitForRinging(timeout: Self.timeout)
                try await alice.answer()
                _ = try await alice.waitForCall(.connected, timeout: Self.timeout)
                // Transfer: the carrier is held (music on hold) while Alice dials Bob.
                try await alice.softKey(.transfer, call: first.callReference)
                try await alice.waitForCallState(.hold, timeout: Self.timeout)
                let consultation = try await alice.waitForState("a consultation call", timeout: Self.timeout) {
                    state in
                    state.calls.values.first { $0.callReference != first.callReference && $0.state == .offHook }?
                        .callReference
                }
                try await alice.dial("2002")
                _ = try await bob.waitForRinging(timeout: Self.timeout)
                // Transfer again while Bob rings: the carrier takes Alice's place and hears Bob ring.
                try await alice.softKey(.transfer, call: consultation)
                try await alice.waitForIdle(timeout: Self.timeout)
                try await afterTransfer(rig, bob, sipp)
                skippedTicks = UInt64(await rig.server.application.mediaServer.statistics().statistics.skippedTicks)
                try await bob.waitForIdle(timeout: Self.timeout)
                try await rig.waitUntilClean(phones: 2)
            }
        } catch {
            capture?.remove()
            throw error
        }
        let finished = try #require(capture)
        do {
            try await finished.stop()
            let packets = try await Self.packets(finished, port: mediaPort)
            return Captured(
                capture: finished,
                mediaPort: mediaPort,
                streamingPort: streamingPort,
                packets: packets,
                // A tick is a quarter of a 20 ms frame: 40 samples.
                skippedSamples: Int(skippedTicks) * 40
            )
        } catch {
            finished.remove()
            throw error
        }
    }

    /// The media server's streams to SIPp, by SSRC, in the order they started.
    static func serverStreams(_ captured: Captured) -> [(ssrc: String, packets: [Packet])] {
        var streams: [String: [Packet]] = [:]
        var order: [String] = []
        for packet in captured.packets where packet.sourcePort == captured.streamingPort {
            if streams[packet.ssrc] == nil { order.append(packet.ssrc) }
            streams[packet.ssrc, default: []].append(packet)
        }
        return order.map { ($0, streams[$0] ?? []) }
    }

    /// tshark: every RTP stream to SIPp whole and nothing malformed.
    static func expectWholeStreams(_ captured: Captured, atLeast count: Int) async throws {
        let rows = MediaEngineLoopbackTests.rtpStreamRows(
            try await captured.capture.tshark(decodingAsRTP: [captured.mediaPort], ["-q", "-z", "rtp,streams"])
        )
        #expect(rows.count >= count, "tshark's RTP streams: \(rows.map(\.line))")
        for row in rows { #expect(row.lost == 0, "\(row.line)") }
        let malformed = try await captured.capture.tshark(
            decodingAsRTP: [captured.mediaPort],
            ["-Y", "_ws.malformed || _ws.expert.severity >= error"]
        )
        #expect(malformed.isEmpty, "malformed or erroneous packets:\n\(malformed)")
    }

    /// Expects one stream without a gap in its sequence numbers (capture order: loopback keeps the sending order).
    static func expectContinuous(_ packets: [Packet], sourceLocation: SourceLocation = #_sourceLocation) {
        let gaps = zip(packets, packets.dropFirst()).filter { ($1.sequence - $0.sequence + 65_536) % 65_536 != 1 }
        #expect(gaps.isEmpty, "\(gaps.count) gap(s) in the sequence numbers", sourceLocation: sourceLocation)
        #expect(
            packets.allSatisfy { $0.payloadType == 0 && $0.payload.count == 160 },
            sourceLocation: sourceLocation
        )
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aTransferredCarrierHearsRingbackFromTheMediaServerThenTalksToTheTarget() async throws {
        let run = try await Self.transferWhileRinging { rig, bob, sipp in
            let mediaServer = rig.server.application.mediaServer
            try await Eventually.wait("the carrier's ringback stream") {
                await mediaServer.statistics().statistics.toneLegs == 1 ? true : nil
            }
            // Long enough for one whole cadence (2 s on, 4 s off) and the start of the next ring.
            try await Task.sleep(for: .milliseconds(6_800))

            try await bob.answer()
            let bobCall = try await bob.waitForState("Bob's media to SIPp", timeout: Self.timeout) { state in
                state.calls.values.first { $0.transmittingTo == "127.0.0.1:\(rig.mediaPort)" }
            }
            #expect(bobCall.state == .connected)
            try await Eventually.wait("no tone stream left") {
                await mediaServer.statistics().statistics.toneLegs == 0 ? true : nil
            }
            // A second of Bob's RTP straight to SIPp, then Bob hangs up (BYE to SIPp).
            try await Task.sleep(for: .milliseconds(1_000))
            try await bob.onHook()
            await SIPCallTests.expectSuccess(sipp)
        }
        guard let run else { return }
        defer { run.capture.remove() }
        let streamingPort = run.streamingPort
        let fromOthers = run.packets.filter { $0.sourcePort != streamingPort }
        // The media server's streams to SIPp: music on hold while Alice consulted, then the ringback.
        let streams = Self.serverStreams(run)
        let ringback = try #require(
            streams.last { Self.isRingbackOn($0.packets.prefix(10)) }?.packets,
            "no stream from the media server (port \(streamingPort)) starts with ringback: \(streams.map(\.ssrc))"
        )
        Self.expectContinuous(ringback)

        // The cadence, in RTP time (timestamps follow the engine's clock, and so does the tone): on at once, off at
        // 2 s, on again at 6 s; a frame of slack at each edge (the tone fades in and out over 5 ms), more if the
        // engine skipped ticks.
        let edges = Self.edges(ringback)
        let slack = 160 + run.skippedSamples
        #expect(edges.count >= 3, "ringback edges (on, at sample): \(edges)")
        if edges.count >= 3 {
            #expect(edges[0].on && edges[0].at == 0, "edges: \(edges)")
            #expect(!edges[1].on && abs(edges[1].at - 16_000) <= slack, "edges: \(edges)")
            #expect(edges[2].on && abs(edges[2].at - 48_000) <= slack, "edges: \(edges)")
        }
        // While on: 440 and 480 Hz at about the same level, nothing at busy's 620 Hz; while off, silence.
        let onAudio = Self.packets(ringback, 800..<15_200)
        let p440 = Self.power(of: 440, in: onAudio)
        let p480 = Self.power(of: 480, in: onAudio)
        #expect(p440 > 0.003 && p480 > 0.003, "440 Hz \(p440), 480 Hz \(p480)")
        #expect(p440 / p480 > 0.5 && p440 / p480 < 2)
        #expect(Self.power(of: 620, in: onAudio) < p440 / 100)
        let offAudio = Self.packets(ringback, (16_000 + slack)..<(48_000 - slack)).flatMap(\.samples)
        #expect(offAudio.allSatisfy { abs($0) < 64 }, "the off part of the cadence is silence")

        // Bob answered: his own tone reaches SIPp from his phone, not from the media server.
        // (Alice's phone sent to SIPp before the hold, from a port of its own; Bob's packets are the last.)
        let bobPort = try #require(fromOthers.last?.sourcePort)
        let direct = fromOthers.filter { $0.sourcePort == bobPort && $0.payloadType == 0 }
        #expect(direct.count >= 25, "RTP from Bob's phone to SIPp: \(direct.count) packets")
        let bobAudio = Array(direct.suffix(25))
        #expect(Self.power(of: Self.targetTone, in: bobAudio) > 0.003)
        #expect(Self.power(of: 440, in: bobAudio) < 0.0001)
        try await Self.expectWholeStreams(run, atLeast: 2)
    }

    /// Bob does not answer and his line forwards on no answer (after 1 s) to a number that does not exist: the
    /// transferred carrier hears ringback, then reorder from the media server on the same stream, until the
    /// failed-call timer (3 s here) clears the call with a BYE, instead of a BYE at once.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aTransferWhoseCallFailsGivesTheCarrierReorderUntilTheFailedCallTimer() async throws {
        let run = try await Self.transferWhileRinging { rig in
            let client = try await rig.server.adminClient()
            _ = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(failedCallTimeoutMilliseconds: 3_000),
                as: AdminAPI.Settings.self
            )
            _ = try await client.send(
                .patch,
                "/api/lines/2002",
                json: AdminAPI.LinePatch(forwardNoAnswer: .some("2999"), noAnswerTimeoutSeconds: 1),
                as: AdminAPI.Line.self
            )
            let host = rig.server.application.host
            try await Eventually.wait("the settings and Bob's forward in the core") {
                try await host.withCore { core in
                    core.directory.settings.failedCallTimeout == .milliseconds(3_000)
                        && core.directory.lineConfiguration(for: "2002").forwardNoAnswer == "2999"
                } ? true : nil
            }
        } afterTransfer: { rig, bob, sipp in
            // Bob's phone stops ringing when the call is forwarded; Strowger ends the call by itself.
            await SIPCallTests.expectSuccess(sipp)
            let records = try await Eventually.wait("the failed call's record") {
                let records = try await rig.server.application.store.callDetailRecords()
                return records.contains { $0.endCause == .invalidNumber } ? records : nil
            }
            #expect(records.contains { $0.endCause == .invalidNumber && $0.trunk == "sipp" })
        }
        guard let run else { return }
        defer { run.capture.remove() }

        let streams = Self.serverStreams(run)
        let tones = try #require(
            streams.last { Self.isRingbackOn($0.packets.prefix(10)) }?.packets,
            "no stream from the media server starts with ringback: \(streams.map(\.ssrc))"
        )
        Self.expectContinuous(tones)
        // Ringback (440 Hz) for about the second of the forward's wait, then reorder: 480 + 620 Hz, no 440 Hz.
        let firstReorder = try #require(
            tones.firstIndex { ToneAnalysis.power(of: 620, in: $0.samples) > 0.001 },
            "no reorder after the ringback"
        )
        // In RTP time: Bob rang for the rest of his second (the no-answer timer started when Alice called him), and
        // the reorder lasts the 3 s of the failed-call timer, give or take the time the BYE takes.
        let ringing = Int(tones[firstReorder].timestamp &- tones[0].timestamp)
        #expect(ringing >= 800 && ringing <= 9_600, "\(ringing) samples of ringback")
        let reorder = Array(tones[firstReorder...])
        let reordering = Int((reorder.last?.timestamp ?? 0) &- reorder[0].timestamp) + 160
        #expect(reordering >= 22_400 && reordering <= 28_800, "\(reordering) samples of reorder")
        // 250 ms on, 250 ms off (a burst every 4,000 samples), each edge within a frame of where it belongs (the
        // bursts are 12.5 frames long), more if the engine skipped ticks.
        let edges = Self.edges(reorder, frequency: 620)
        let slack = 160 + run.skippedSamples
        #expect(edges.count >= 10, "reorder edges: \(edges)")
        for edge in edges {
            let phase = edge.at % 4_000
            let distance = edge.on ? min(phase, 4_000 - phase) : abs(phase - 2_000)
            #expect(distance <= slack, "edge \(edge) of \(edges)")
        }
        let burst = Self.packets(reorder, 160..<1_840)
        #expect(Self.power(of: 480, in: burst) > 0.003)
        #expect(Self.power(of: 620, in: burst) > 0.003)
        #expect(Self.power(of: 440, in: burst) < 0.0001)
        try await Self.expectWholeStreams(run, atLeast: 1)
    }

    /// Whether `samples` carry ringback: 440 and 480 Hz, and little else at 620 Hz.
    static func isRingbackOn(_ packets: some Collection<Packet>) -> Bool {
        let p440 = power(of: 440, in: packets)
        let p480 = power(of: 480, in: packets)
        return p440 > 0.002 && p480 > 0.002 && power(of: 620, in: packets) < p440 / 20
    }

    /// The mean power of `frequency` over blocks of up to 10 packets with consecutive timestamps (Goertzel over
    /// 200 ms: 5 Hz apart, enough to tell 440 from 480 Hz). Blocks, not the whole stretch: frames the engine skipped
    /// after a stall break the sine's phase, and one Goertzel across the break could cancel itself out.
    static func power(of frequency: Double, in packets: some Collection<Packet>) -> Double {
        var blocks: [[Int16]] = []
        var block: [Int16] = []
        var previous: Packet?
        for packet in packets {
            let contiguous = previous.map { packet.timestamp &- $0.timestamp == 160 } ?? true
            if !contiguous || block.count >= 1_600 {
                if !block.isEmpty { blocks.append(block) }
                block = []
            }
            block += packet.samples
            previous = packet
        }
        if !block.isEmpty { blocks.append(block) }
        let measured = blocks.filter { $0.count >= 800 }
        guard !measured.isEmpty else { return 0 }
        return measured.map { ToneAnalysis.power(of: frequency, in: $0) }.reduce(0, +) / Double(measured.count)
    }

    /// Where the stream turns the tone on and off: for each run of frames with the tone (or without), whether it is on
    /// and the RTP time of its first frame, in samples from the stream's first packet (by the timestamps, so that how
    /// late packets arrived does not matter).
    static func edges(_ packets: [Packet], frequency: Double = 440) -> [(on: Bool, at: Int)] {
        guard let first = packets.first else { return [] }
        var edges: [(on: Bool, at: Int)] = []
        for packet in packets {
            // A frame is "on" when it has the tone's energy; the fades at the edges count as the side they lean to.
            let on = ToneAnalysis.power(of: frequency, in: packet.samples) > 0.001
            if edges.last?.on != on { edges.append((on, Int(packet.timestamp &- first.timestamp))) }
        }
        return edges
    }

    /// The packets whose RTP time (in samples from the first packet) is in `range`.
    static func packets(_ packets: [Packet], _ range: Range<Int>) -> [Packet] {
        guard let first = packets.first else { return [] }
        return packets.filter { range.contains(Int($0.timestamp &- first.timestamp)) }
    }

    /// Every RTP packet to `port` in the capture, in capture order.
    static func packets(_ capture: RTPCapture, port: Int) async throws -> [Packet] {
        let output = try await capture.tshark(
            decodingAsRTP: [port],
            [
                "-Y", "rtp && udp.dstport == \(port)", "-T", "fields", "-E", "separator=;", "-e", "udp.srcport",
                "-e", "rtp.ssrc", "-e", "rtp.seq", "-e", "rtp.timestamp", "-e", "rtp.p_type", "-e", "rtp.payload",
            ]
        )
        return output.split(separator: "\n").compactMap { line -> Packet? in
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let source = Int(fields[0]), let sequence = Int(fields[2]),
                let timestamp = UInt32(fields[3]), let payloadType = Int(fields[4])
            else { return nil }
            let hex = Array(fields[5].replacingOccurrences(of: ":", with: "").utf8)
            var payload: [UInt8] = []
            payload.reserveCapacity(hex.count / 2)
            var index = 0
            while index + 1 < hex.count {
                guard let byte = UInt8(String(decoding: hex[index...(index + 1)], as: UTF8.self), radix: 16)
                else { return nil }
                payload.append(byte)
                index += 2
            }
            return Packet(
                sourcePort: source,
                ssrc: fields[1],
                sequence: sequence,
                timestamp: timestamp,
                payloadType: payloadType,
                payload: payload
            )
        }
    }
}
