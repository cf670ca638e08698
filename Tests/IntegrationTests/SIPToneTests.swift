import CallControl
import Foundation
import Media
import ServerNIO
import SkinnyPhone
import SkinnyWire
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

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aTransferredCarrierHearsRingbackFromTheMediaServerThenTalksToTheTarget() async throws {
        if let reason = PacketCapture.unavailableReason {
            if PacketCapture.isRequired { Issue.record("the RTP capture cannot run: \(reason)") }
            return
        }
        var mediaPort = 0
        var streamingPort = 0
        var capture: RTPCapture?
        defer { capture?.remove() }
        try await SIPCallTests.with { rig in
            mediaPort = rig.mediaPort
            // SIPp's media port and the odd port above it for the capture's probe (nothing is sent there but it).
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
            streamingPort = Int(try #require(await rig.server.application.mediaServer.streamingPort()))
            let sipp = try rig.sippCalls("2001", scenario: "call-uac-transfer-ringback.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }

            let first = try await alice.waitForRinging(timeout: Self.timeout)
            try await alice.answer()
            _ = try await alice.waitForCall(.connected, timeout: Self.timeout)
            // Transfer: the carrier is held (music on hold) while Alice dials Bob.
            try await alice.softKey(.transfer, call: first.callReference)
            try await alice.waitForCallState(.hold, timeout: Self.timeout)
            let consultation = try await alice.waitForState("a consultation call", timeout: Self.timeout) { state in
                state.calls.values.first { $0.callReference != first.callReference && $0.state == .offHook }?
                    .callReference
            }
            try await alice.dial("2002")
            _ = try await bob.waitForRinging(timeout: Self.timeout)
            // Transfer again while Bob rings: the carrier takes Alice's place and hears Bob ring.
            try await alice.softKey(.transfer, call: consultation)
            try await alice.waitForIdle(timeout: Self.timeout)
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
            try await bob.waitForIdle(timeout: Self.timeout)
            try await rig.waitUntilClean(phones: 2)
        }

        let finished = try #require(capture)
        try await finished.stop()
        let packets = try await Self.packets(finished, port: mediaPort)
        let fromServer = packets.filter { $0.sourcePort == streamingPort }
        let fromOthers = packets.filter { $0.sourcePort != streamingPort }

        // The media server's streams to SIPp, by SSRC: music on hold while Alice consulted, then the ringback.
        var streams: [String: [Packet]] = [:]
        var order: [String] = []
        for packet in fromServer {
            if streams[packet.ssrc] == nil { order.append(packet.ssrc) }
            streams[packet.ssrc, default: []].append(packet)
        }
        let ringbackSSRC = try #require(
            order.last { ssrc in
                streams[ssrc].map { Self.isRingbackOn($0.prefix(10).flatMap(\.samples)) } ?? false
            },
            "no stream from the media server (port \(streamingPort)) starts with ringback; streams: \(order)"
        )
        // In capture order: loopback keeps the order they were sent in.
        let ringback = streams[ringbackSSRC] ?? []
        #expect(ringback.allSatisfy { $0.payloadType == 0 && $0.payload.count == 160 })

        // The cadence, in RTP time: runs of frames with and without the tone.
        let runs = Self.runs(ringback)
        #expect(runs.count >= 3, "ringback runs (on, samples): \(runs)")
        if runs.count >= 3 {
            // 2 s on, 4 s off, then on again; a frame of slack at each edge (the tone fades in and out over 5 ms).
            #expect(runs[0].on && abs(runs[0].samples - 16_000) <= 320, "runs: \(runs)")
            #expect(!runs[1].on && abs(runs[1].samples - 32_000) <= 320, "runs: \(runs)")
            #expect(runs[2].on, "runs: \(runs)")
        }
        // While on: 440 and 480 Hz at about the same level, nothing at busy's 620 Hz; while off, silence.
        let onAudio = Array(ringback.prefix(90).dropFirst(5).flatMap(\.samples))
        let p440 = ToneAnalysis.power(of: 440, in: onAudio)
        let p480 = ToneAnalysis.power(of: 480, in: onAudio)
        #expect(p440 > 0.003 && p480 > 0.003, "440 Hz \(p440), 480 Hz \(p480)")
        #expect(p440 / p480 > 0.5 && p440 / p480 < 2)
        #expect(ToneAnalysis.power(of: 620, in: onAudio) < p440 / 100)
        let offAudio = Array(ringback.dropFirst(105).prefix(190).flatMap(\.samples))
        #expect(offAudio.allSatisfy { abs($0) < 64 }, "the off part of the cadence is silence")

        // Bob answered: his own tone reaches SIPp from his phone, not from the media server.
        // (Alice's phone sent to SIPp before the hold, from a port of its own; Bob's packets are the last.)
        let bobPort = try #require(fromOthers.last?.sourcePort)
        let direct = fromOthers.filter { $0.sourcePort == bobPort && $0.payloadType == 0 }
        #expect(direct.count >= 25, "RTP from Bob's phone to SIPp: \(direct.count) packets")
        let bobAudio = Array(direct.suffix(25).flatMap(\.samples))
        #expect(ToneAnalysis.power(of: Self.targetTone, in: bobAudio) > 0.003)
        #expect(ToneAnalysis.power(of: 440, in: bobAudio) < 0.0001)
        // One stream without a gap in its sequence numbers.
        let gaps = zip(ringback, ringback.dropFirst()).filter { ($1.sequence - $0.sequence + 65_536) % 65_536 != 1 }
        #expect(gaps.isEmpty, "the ringback's sequence numbers have \(gaps.count) gap(s)")

        // tshark: every stream to SIPp whole and in sequence, nothing malformed.
        let rows = MediaEngineLoopbackTests.rtpStreamRows(
            try await finished.tshark(decodingAsRTP: [mediaPort], ["-q", "-z", "rtp,streams"])
        )
        #expect(rows.count >= 2, "tshark's RTP streams: \(rows.map(\.line))")
        for row in rows { #expect(row.lost == 0, "\(row.line)") }
        let malformed = try await finished.tshark(
            decodingAsRTP: [mediaPort],
            ["-Y", "_ws.malformed || _ws.expert.severity >= error"]
        )
        #expect(malformed.isEmpty, "malformed or erroneous packets:\n\(malformed)")
    }

    /// Whether `samples` carry ringback: 440 and 480 Hz, and little else at 620 Hz.
    static func isRingbackOn(_ samples: [Int16]) -> Bool {
        let p440 = ToneAnalysis.power(of: 440, in: samples)
        let p480 = ToneAnalysis.power(of: 480, in: samples)
        return p440 > 0.002 && p480 > 0.002 && ToneAnalysis.power(of: 620, in: samples) < p440 / 20
    }

    /// The stream cut into runs of frames with the tone and without, each with its length in RTP samples (by the
    /// timestamps, so that how late packets arrived does not matter).
    static func runs(_ packets: [Packet]) -> [(on: Bool, samples: Int)] {
        var runs: [(on: Bool, start: UInt32, end: UInt32)] = []
        for packet in packets {
            let samples = packet.samples
            // A frame is "on" when it has the tone's energy; the fades at the edges count as the side they lean to.
            let on = ToneAnalysis.power(of: 440, in: samples) > 0.001
            let end = packet.timestamp &+ 160
            if let last = runs.last, last.on == on {
                runs[runs.count - 1].end = end
            } else {
                runs.append((on, packet.timestamp, end))
            }
        }
        return runs.map { ($0.on, Int($0.end &- $0.start)) }
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
