import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import Media
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// Calls through the media server end to end (issue 14 phase 2): simulated phones at several protocol versions on
/// loopback, each sending a sine tone of its own and recording what it hears, in an ad hoc conference (Confrn), on
/// hold with music, after one of them drops, and in a meet-me room; tshark judges the RTP that crossed the wire.
@Suite(.serialized) struct MediaCallTests {
    let timeout = TestServer.timeout

    /// A media port range of its own per test (other servers may run on this machine): 200 ports somewhere in
    /// 20000–31999, below the kernel's ephemeral range (32768 and up), where the phones' own sockets are.
    static func portRange() -> ClosedRange<Int> {
        let base = 20_000 + 200 * Int.random(in: 0..<60)
        return base...(base + 199)
    }

    /// A registered phone that sends a `tone` Hz sine and records the audio it receives; A-law only when asked
    /// (its capabilities list no µ-law, so the bridge and its peers must transcode).
    static func phone(
        _ server: TestServer,
        _ name: String,
        version: UInt8,
        tone: Double,
        aLawOnly: Bool = false
    ) async throws -> (phone: SkinnyPhone, number: String) {
        var configuration = SkinnyPhone.Configuration(deviceName: name)
        configuration.protocolVersion = version
        configuration.historyCapacity = 256
        configuration.mediaToneFrequency = tone
        configuration.recordsReceivedAudio = true
        if aLawOnly { configuration.codecs = [SkinnyAudioCapability(codec: .g711ALaw64k, maxFramesPerPacket: 40)] }
        let phone = try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: server.port,
            configuration: configuration,
            group: MultiThreadedEventLoopGroup.singleton
        )
        let registration = try await phone.register(timeout: TestServer.timeout)
        let number = try #require(registration.lines.first?.directoryNumber)
        return (phone, number)
    }

    /// The port of an `address:port` text.
    static func port(of text: String?) -> Int? {
        text.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
    }

    /// Polls the phone's media streams until one satisfies `predicate`.
    func waitForStream(
        _ phone: SkinnyPhone,
        _ what: String,
        _ predicate: @escaping @Sendable (SkinnyPhone.MediaStreamReport) -> Bool
    ) async throws -> SkinnyPhone.MediaStreamReport {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: self.timeout)
        while true {
            let streams = try await phone.mediaStreams()
            if let stream = streams.last(where: predicate) { return stream }
            guard clock.now < deadline else {
                Issue.record("\(phone.deviceName) never had \(what); its streams: \(streams.map(Self.summary))")
                throw MediaCallTestError.timedOut(what)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The phone's open stream to the bridge (it transmits to a port of the media range), once it has received
    /// `packets` packets on it and, with `soundBlocks`, that many 40 ms blocks of sound (the bridge sends silence
    /// until the others' packets come, which on a loaded machine may take a while).
    func waitForBridgeStream(
        _ phone: SkinnyPhone,
        ports: ClosedRange<Int>,
        packets: Int,
        soundBlocks: Int = 0
    ) async throws -> SkinnyPhone.MediaStreamReport {
        try await self.waitForStream(phone, "a bridge stream with \(packets) packets") { stream in
            stream.isOpen && Self.port(of: stream.transmittedTo).map(ports.contains) == true
                && stream.reception.packets >= packets
                && (soundBlocks == 0 || Self.soundBlocks(stream.reception.audio).count >= soundBlocks)
        }
    }

    static func summary(_ stream: SkinnyPhone.MediaStreamReport) -> String {
        "call \(stream.callReference) port \(stream.localPort) to \(stream.transmittedTo ?? "-") open \(stream.isOpen) "
            + "received \(stream.reception.packets) from \(stream.reception.sources.sorted())"
    }

    /// The 40 ms blocks of `audio` that carry sound (a mean magnitude above 64 of 32,768): the frames the bridge
    /// played as silence (a jitter buffer's late or lost packets on a loaded machine) say nothing about who is heard.
    static func soundBlocks(_ audio: [Int16]) -> [[Int16]] {
        let block = 2 * MediaTiming.samplesPerFrame
        return stride(from: 0, to: audio.count - block + 1, by: block).map { Array(audio[$0..<($0 + block)]) }
            .filter { samples in samples.reduce(0) { $0 + abs(Int($1)) } > 64 * samples.count }
    }

    /// The mean power of `frequency` over the blocks of `audio` that carry sound (power per block, so that a phase
    /// jump between two packets does not cancel a tone that is there).
    static func power(of frequency: Double, in audio: [Int16]) -> Double {
        let blocks = Self.soundBlocks(audio)
        guard !blocks.isEmpty else { return 0 }
        return blocks.map { ToneAnalysis.power(of: frequency, in: $0) }.reduce(0, +) / Double(blocks.count)
    }

    /// Checks that what `audio` carries holds each of `heard` and not `own`.
    static func expectHears(
        _ audio: [Int16],
        _ heard: [Double],
        not own: Double,
        who: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let blocks = Self.soundBlocks(audio).count
        #expect(blocks >= 10, "\(who) heard sound in \(blocks) blocks of 40 ms", sourceLocation: sourceLocation)
        let ownPower = Self.power(of: own, in: audio)
        for frequency in heard {
            let power = Self.power(of: frequency, in: audio)
            #expect(power > 0.001, "\(who) hears \(frequency) Hz at \(power)", sourceLocation: sourceLocation)
            #expect(
                ownPower < power / 100,
                "\(who) hears its own \(own) Hz at \(ownPower)",
                sourceLocation: sourceLocation
            )
        }
    }

    /// A (the controller) talks to B, presses Confrn, calls C, C answers, A presses Confrn again. Returns A's
    /// consultation call reference.
    func buildConference(
        _ a: (phone: SkinnyPhone, number: String),
        _ b: (phone: SkinnyPhone, number: String),
        _ c: (phone: SkinnyPhone, number: String)
    ) async throws {
        let (first, _) = try await Calls.establish(from: a.phone, to: b.phone, number: b.number, callerNumber: a.number)
        try await a.phone.softKey(.conference, call: first)
        try await a.phone.waitForCallState(.hold, timeout: self.timeout)
        let consultation = try await a.phone.waitForState("a consultation call", timeout: self.timeout) { state in
            state.calls.values.first { $0.callReference != first && $0.state == .offHook }?.callReference
        }
        try await a.phone.dial(c.number)
        try await c.phone.waitForRinging(timeout: self.timeout)
        try await c.phone.answer()
        _ = try await a.phone.waitForState("talking to \(c.number)", timeout: self.timeout) { state in
            state.calls[consultation].flatMap { $0.state == .connected && $0.rtpPacketsReceived > 5 ? () : nil }
        }
        try await a.phone.softKey(.conference, call: consultation)
        for phone in [a.phone, b.phone, c.phone] {
            // Every party shows the conference ("Conference" as the other party).
            _ = try await phone.waitForState("in the conference", timeout: self.timeout) { state in
                state.calls.values.first { $0.state == .connected && $0.softKeySet == .connectedConference }
            }
        }
    }

    @Test func threePhonesAtMixedVersionsAndLawsEachHearTheOtherTwoButNotThemselves() async throws {
        let captureUnavailable = PacketCapture.unavailableReason
        if let reason = captureUnavailable, PacketCapture.isRequired {
            Issue.record("the RTP capture cannot run: \(reason)")
        }
        let ports = Self.portRange()
        let probePort = ports.upperBound | 1
        let capture =
            captureUnavailable == nil
            ? try await RTPCapture.start(
                ports: ports.lowerBound...probePort,
                probePort: probePort,
                timeout: self.timeout
            )
            : nil
        defer { capture?.remove() }
        let tones = [500.0, 1_100.0, 1_700.0]
        var bridgePorts: [Int] = []
        var skippedTicks = 0
        let configure: (inout ServerConfiguration) -> Void = { $0.mediaPorts = ports }
        try await TestServer.with(configure: configure) { server in
            // The controller at v22, a v5 phone, and an A-law-only v11 phone: one mix, transcoded per listener.
            let a = try await Self.phone(server, Calls.deviceName(0xA1), version: 22, tone: tones[0])
            let b = try await Self.phone(server, Calls.deviceName(0xB2), version: 5, tone: tones[1])
            let c = try await Self.phone(server, Calls.deviceName(0xC3), version: 11, tone: tones[2], aLawOnly: true)
            try await self.buildConference(a, b, c)
            let status = try await server.status()
            #expect(status.activeCalls == 1 && status.activeLegs == 3 && status.activeMediaStreams == 3)

            // 1.5 s of the mix, analysed where it carries sound.
            var streams: [SkinnyPhone.MediaStreamReport] = []
            for party in [a, b, c] {
                streams.append(
                    try await self.waitForBridgeStream(party.phone, ports: ports, packets: 75, soundBlocks: 25)
                )
            }
            for (index, stream) in streams.enumerated() {
                let others = tones.indices.filter { $0 != index }.map { tones[$0] }
                Self.expectHears(stream.reception.audio, others, not: tones[index], who: "phone \(index + 1)")
                let reception = stream.reception
                #expect(reception.sequenceErrors == 0 && reception.ssrcChanges == 0, "\(Self.summary(stream))")
                #expect(reception.markers == 1)
                bridgePorts.append(try #require(Self.port(of: stream.transmittedTo)))
                // The bridge sends from the port the phone sends to (symmetric RTP).
                #expect(reception.sources == [stream.transmittedTo ?? ""])
            }
            // The A-law phone is spoken to in A-law, the others in µ-law.
            #expect(streams.map(\.reception.payloadTypes) == [[0], [0], [8]])
            let statistics = await server.application.mediaServer.statistics().statistics
            skippedTicks = Int(statistics.skippedTicks)
            // Timestamps jump only where the engine skipped ticks after a stall of its thread.
            for stream in streams { #expect(stream.reception.timestampErrors <= skippedTicks) }
            #expect(statistics.droppedWrongSource == 0 && statistics.droppedMalformed == 0, "\(statistics)")

            // Confrn's list and the end: C hangs up, A and B fall back to a direct call; then B hangs up.
            try await c.phone.onHook()
            try await c.phone.waitForIdle(timeout: self.timeout)
            try await b.phone.onHook()
            try await a.phone.waitForIdle(timeout: self.timeout)
            try await server.waitUntilClean(registered: 3)
        }

        guard let capture else { return }
        try await capture.stop()
        // Three streams into the bridge and three out of it, each complete and in sequence as tshark sees them.
        let streams = try await capture.tshark(decodingAsRTP: bridgePorts, ["-q", "-z", "rtp,streams"])
        let rows = MediaEngineLoopbackTests.rtpStreamRows(streams)
        #expect(rows.count == 6, "tshark saw these RTP streams:\n\(streams)")
        for row in rows {
            #expect(row.lost == 0, "\(row.line)")
            if skippedTicks == 0 { #expect(!row.problem, "\(row.line)") }
            // Half a second at least each way (the phones' own senders are late on a loaded machine).
            #expect(row.packets >= 25, "\(row.line)")
        }
        let malformed = try await capture.tshark(
            decodingAsRTP: bridgePorts,
            ["-Y", "_ws.malformed || _ws.expert.severity >= error"]
        )
        #expect(malformed.isEmpty, "malformed or erroneous packets:\n\(malformed)")
    }

    @Test func aPartyThatDropsItsConnectionLeavesTheOtherTwoTalkingPhoneToPhone() async throws {
        let ports = Self.portRange()
        let configure: (inout ServerConfiguration) -> Void = { $0.mediaPorts = ports }
        try await TestServer.with(configure: configure) { server in
            let a = try await Self.phone(server, Calls.deviceName(0xA1), version: 17, tone: 700)
            let b = try await Self.phone(server, Calls.deviceName(0xB2), version: 11, tone: 1_300)
            let c = try await Self.phone(server, Calls.deviceName(0xC3), version: 5, tone: 1_900)
            try await self.buildConference(a, b, c)
            _ = try await self.waitForBridgeStream(b.phone, ports: ports, packets: 10)

            // C's cable is pulled: a reset, no Unregister. A and B are two again: a direct call, the bridge closes.
            try await c.phone.abort()
            let aStream = try await self.waitForStream(a.phone, "a direct stream to B") { stream in
                stream.isOpen && stream.transmittedTo != nil
                    && Self.port(of: stream.transmittedTo).map(ports.contains) == false
                    && stream.reception.packets >= 60
            }
            let bStream = try await self.waitForStream(b.phone, "a direct stream to A") { stream in
                stream.isOpen && stream.transmittedTo == "127.0.0.1:\(aStream.localPort)"
                    && stream.reception.packets >= 60
            }
            // RTP phone to phone: each sends to the other's own port, and hears the other's tone.
            #expect(aStream.transmittedTo == "127.0.0.1:\(bStream.localPort)")
            #expect(aStream.reception.sources == ["127.0.0.1:\(bStream.localPort)"])
            Self.expectHears(aStream.reception.audio, [1_300], not: 700, who: "A")
            Self.expectHears(bStream.reception.audio, [700], not: 1_300, who: "B")
            for phone in [a.phone, b.phone] {
                _ = try await phone.waitForState("a two-party call again", timeout: self.timeout) { state in
                    state.calls.values.first { $0.state == .connected && $0.softKeySet == .connected }
                }
            }
            let status = try await server.waitForStatus("one call of two legs, no bridge") { status in
                status.activeCalls == 1 && status.activeLegs == 2 && status.registeredDevices == 2
            }
            #expect(status.activeMediaStreams == 2)
            let statistics = await server.application.mediaServer.statistics().statistics
            #expect(statistics.conferences == 0 && statistics.participants == 0)

            try await a.phone.onHook()
            try await b.phone.waitForIdle(timeout: self.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }

    @Test func aHeldPhoneHearsItsHoldersMusicAsOneContinuousStream() async throws {
        let captureUnavailable = PacketCapture.unavailableReason
        if let reason = captureUnavailable, PacketCapture.isRequired {
            Issue.record("the RTP capture cannot run: \(reason)")
        }
        let ports = Self.portRange()
        let probePort = ports.upperBound | 1
        let capture =
            captureUnavailable == nil
            ? try await RTPCapture.start(
                ports: ports.lowerBound...probePort,
                probePort: probePort,
                timeout: self.timeout
            )
            : nil
        defer { capture?.remove() }
        var streamingPort = 0
        var skippedTicks = 0
        let configure: (inout ServerConfiguration) -> Void = { $0.mediaPorts = ports }
        try await TestServer.with(configure: configure) { server in
            let a = try await Self.phone(server, Calls.deviceName(0xA1), version: 11, tone: 900)
            let b = try await Self.phone(server, Calls.deviceName(0xB2), version: 17, tone: 1_500)
            // The holder's line chooses a source of its own (named in another case than it was added with; the
            // API stores the source's own spelling): a 440 Hz tone, so that the held phone's audio says which music
            // it got.
            let client = try await server.adminClient()
            _ = try await client.addMusicSource(
                named: "tone",
                fileName: "tone.wav",
                file: MusicOnHoldLibraryTests.wav(seconds: 2, rate: 8_000)
            )
            try await self.waitForLine(a.number, client: client)
            var patch = AdminAPI.LinePatch()
            patch.musicSource = .some("Tone")
            let _: AdminAPI.Line = try await client.send(.patch, "/api/lines/\(a.number)", json: patch)
            let number = DirectoryNumber(a.number)
            try await self.waitUntil("the core knows the line's music") {
                try await server.application.host.withCore { $0.directory.lineConfiguration(for: number).musicSource }
                    == "tone"
            }

            let (first, _) = try await Calls.establish(
                from: a.phone,
                to: b.phone,
                number: b.number,
                callerNumber: a.number
            )
            try await a.phone.softKey(.hold, call: first)
            try await a.phone.waitForCallState(.hold, timeout: self.timeout)
            streamingPort = Int(try #require(await server.application.mediaServer.streamingPort()))
            // B listens only: a receive channel, no transmission; the music comes from the streaming socket.
            let music = try await self.waitForStream(b.phone, "music on hold") { stream in
                stream.isOpen && stream.transmittedTo == nil && stream.reception.packets >= 60
            }
            let reception = music.reception
            #expect(reception.sources == ["127.0.0.1:\(streamingPort)"])
            #expect(reception.payloadTypes == [0] && reception.ssrcChanges == 0 && reception.sequenceErrors == 0)
            #expect(music.packetsSent == 0)
            skippedTicks = Int(await server.application.mediaServer.statistics().statistics.skippedTicks)
            #expect(reception.timestampErrors <= skippedTicks)
            #expect(Self.power(of: 440, in: reception.audio) > 0.001, "the held phone hears the line's source")
            #expect(try await b.phone.state().rtpPacketsInvalid == 0)

            // Resume: the music stops and A and B talk phone to phone again.
            try await a.phone.resume()
            try await a.phone.waitForCall(.connected, timeout: self.timeout)
            let direct = try await self.waitForStream(b.phone, "a direct stream after resume") { stream in
                stream.isOpen && stream.transmittedTo != nil && stream.reception.packets >= 10
            }
            #expect(!direct.reception.sources.contains("127.0.0.1:\(streamingPort)"))
            #expect(try await b.phone.mediaStreams().filter { $0.isOpen && $0.transmittedTo == nil }.isEmpty)
            try await server.waitForStatus("no music listener") { $0.activeMediaStreams == 2 }
            let statistics = await server.application.mediaServer.statistics().statistics
            #expect(statistics.musicListeners == 0)

            try await b.phone.onHook()
            try await a.phone.waitForIdle(timeout: self.timeout)
            try await server.waitUntilClean(registered: 2)
        }

        guard let capture else { return }
        try await capture.stop()
        let streams = try await capture.tshark(decodingAsRTP: [streamingPort], ["-q", "-z", "rtp,streams"])
        let rows = MediaEngineLoopbackTests.rtpStreamRows(streams)
        #expect(rows.count == 1, "tshark saw these RTP streams:\n\(streams)")
        for row in rows {
            #expect(row.lost == 0 && row.packets >= 60, "\(row.line)")
            if skippedTicks == 0 { #expect(!row.problem, "\(row.line)") }
        }
        let malformed = try await capture.tshark(
            decodingAsRTP: [streamingPort],
            ["-Y", "_ws.malformed || _ws.expert.severity >= error"]
        )
        #expect(malformed.isEmpty, "malformed or erroneous packets:\n\(malformed)")
    }

    @Test func twoPhonesThatDialAMeetMeNumberHearEachOther() async throws {
        let captureUnavailable = PacketCapture.unavailableReason
        if let reason = captureUnavailable, PacketCapture.isRequired {
            Issue.record("the capture cannot run: \(reason)")
        }
        let ports = Self.portRange()
        let probePort = ports.upperBound | 1
        // The wildcard bind: each phone is told the address it reached the server on (127.0.0.1 here).
        let configure: (inout ServerConfiguration) -> Void = {
            $0.bindAddress = "0.0.0.0"
            $0.mediaPorts = ports
        }
        try await TestServer.with(configure: configure) { server in
            // The SCCP port too, to read what the server told the phones.
            let capture =
                captureUnavailable == nil
                ? try await RTPCapture.start(
                    ports: ports.lowerBound...probePort,
                    probePort: probePort,
                    tcpPort: server.port,
                    timeout: self.timeout
                )
                : nil
            defer { capture?.remove() }
            let a = try await Self.phone(server, Calls.deviceName(0xA1), version: 17, tone: 600)
            let b = try await Self.phone(server, Calls.deviceName(0xB2), version: 22, tone: 1_400, aLawOnly: true)
            // What `strowger meetme add 8000` sends.
            let client = try await server.adminClient()
            _ = try await client.addMeetMe("8000")
            try await self.waitUntil("8000 is a meet-me number") {
                try await server.application.host.withCore { $0.directory.dialTarget("8000") } == .meetMe("8000")
            }

            for party in [a, b] {
                try await party.phone.offHook()
                try await party.phone.waitForCallState(.offHook, timeout: self.timeout)
                try await party.phone.dial("8000")
                _ = try await party.phone.waitForState("in the room", timeout: self.timeout) { state in
                    state.calls.values.first { $0.state == .connected }
                }
            }
            let aStream = try await self.waitForBridgeStream(a.phone, ports: ports, packets: 75, soundBlocks: 25)
            let bStream = try await self.waitForBridgeStream(b.phone, ports: ports, packets: 75, soundBlocks: 25)
            #expect(aStream.transmittedTo?.hasPrefix("127.0.0.1:") == true)
            #expect(bStream.transmittedTo?.hasPrefix("127.0.0.1:") == true)
            #expect(aStream.reception.payloadTypes == [0] && bStream.reception.payloadTypes == [8])
            Self.expectHears(aStream.reception.audio, [1_400], not: 600, who: "A")
            Self.expectHears(bStream.reception.audio, [600], not: 1_400, who: "B")

            // A room lasts while anyone is in it: A leaves, B stays; then B leaves and the bridge closes.
            try await a.phone.onHook()
            try await a.phone.waitForIdle(timeout: self.timeout)
            #expect(try await b.phone.state().calls.values.contains { $0.state == .connected })
            try await b.phone.onHook()
            try await b.phone.waitForIdle(timeout: self.timeout)
            try await server.waitUntilClean(registered: 2)
            let statistics = await server.application.mediaServer.statistics().statistics
            #expect(statistics.conferences == 0 && statistics.participants == 0)

            guard let capture else { return }
            try await capture.stop()
            // As tshark reads the SCCP: each phone was told to transmit to 127.0.0.1 (not the wildcard) at the port
            // of the bridge it sent its RTP to.
            let transmissions = try await capture.tshark(
                decodingAsSkinny: server.port,
                [
                    "-Y", "skinny.messageId == 0x008a", "-T", "fields", "-e", "skinny.remoteIpAddr.ipv4", "-e",
                    "skinny.remotePortNumber",
                ]
            )
            let told = Set(transmissions.split(separator: "\n").map { $0.replacingOccurrences(of: "\t", with: ":") })
            #expect(told == [aStream.transmittedTo ?? "", bStream.transmittedTo ?? ""], "\(transmissions)")
            // And the RTP both ways on the two bridge ports is whole.
            let bridgePorts = [aStream, bStream].compactMap { Self.port(of: $0.transmittedTo) }
            let rows = MediaEngineLoopbackTests.rtpStreamRows(
                try await capture.tshark(decodingAsRTP: bridgePorts, ["-q", "-z", "rtp,streams"])
            )
            #expect(rows.count == 4 && rows.allSatisfy { $0.lost == 0 && $0.packets >= 25 }, "\(rows.map(\.line))")
        }
    }

    /// Waits until the admin API has the line (auto-registration stores it just after the phone registered).
    func waitForLine(_ number: String, client: AdminClient) async throws {
        try await self.waitUntil("line \(number) in the Store") {
            (try? await client.get("/api/lines/\(number)", as: AdminAPI.Line.self)) != nil
        }
    }

    func waitUntil(_ what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: self.timeout)
        while try await !condition() {
            guard clock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                throw MediaCallTestError.timedOut(what)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

enum MediaCallTestError: Error {
    case timedOut(String)
}
