import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

/// Media commands (call-flows §4): OpenReceiveChannel, StartMediaTransmission, and their teardown.
@Suite("Media commands")
struct MediaTests {
    static let call: CallReference = 0x0100_001F
    static let stream: PassThroughPartyID = 0x0100_0101
    static let g711 = MediaParameters(codec: .g711ulaw, packetMilliseconds: 20, telephoneEventPayloadType: 101)
    static let peer = MediaEndpoint(address: .ipv4(0x0A00_0006), port: 16384)

    func machine(offering version: UInt8) -> DeviceSessionStateMachine {
        var machine = DeviceSessionStateMachine.registered(offering: version)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: Self.call)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: Self.call)
        return machine
    }

    func sentMessage(_ actions: [SessionAction]) -> CallManagerMessage? {
        guard actions.count == 1, case .send(let message) = actions[0] else { return nil }
        return message
    }

    func u32(_ body: ByteBuffer, _ offset: Int) -> UInt32? {
        body.getInteger(at: body.readerIndex + offset, endianness: .little, as: UInt32.self)
    }

    func bytes(_ body: ByteBuffer, _ offset: Int, _ count: Int) -> [UInt8]? {
        body.getBytes(at: body.readerIndex + offset, length: count)
    }

    @Test(arguments: [UInt8(5), 17])
    func openReceiveChannel(_ version: UInt8) {
        var machine = machine(offering: version)
        let actions = machine.core(
            .openReceiveChannel(Fixture.name, call: Self.call, passThroughPartyID: Self.stream, media: Self.g711)
        )
        // conferenceId = callReference (CUCM 4.1), G.711 µ-law = 4, 20 ms, RFC 2833 payload 101, dtmfType 10.
        #expect(
            actions == [
                .send(
                    .openReceiveChannel(
                        .init(
                            conferenceID: 0x0100_001F,
                            passThroughPartyID: 0x0100_0101,
                            packetSize: 20,
                            codec: 4,
                            callReference: 0x0100_001F,
                            rfc2833PayloadType: 101,
                            dtmfType: 10
                        )
                    )
                )
            ]
        )

        // On the wire: v5 has the 92-byte layout, v17 the 128-byte one with address blocks (reference §5.2).
        guard let message = sentMessage(actions) else { return }
        let body = message.frame(version: machine.protocolVersion).body
        #expect(body.readableBytes == (version == 5 ? 92 : 128))
        #expect(u32(body, 0) == 0x0100_001F)
        #expect(u32(body, 4) == 0x0100_0101)
        #expect(u32(body, 8) == 20)
        #expect(u32(body, 12) == 4)
        #expect(u32(body, 24) == 0x0100_001F)
        #expect(u32(body, 84) == 101)
        #expect(u32(body, 88) == 10)
    }

    @Test func theCompressionTypeIsTheVariantThePhoneOffered() {
        var machine = machine(offering: 11)
        _ = machine.phone(
            .capabilitiesRes(
                .init(capabilities: [.init(codec: 4, maxFramesPerPacket: 40), .init(codec: 12, maxFramesPerPacket: 60)])
            )
        )
        let g729 = MediaParameters(codec: .g729, packetMilliseconds: 20)
        let actions = machine.core(
            .openReceiveChannel(Fixture.name, call: Self.call, passThroughPartyID: Self.stream, media: g729)
        )
        guard case .openReceiveChannel(let open) = sentMessage(actions) else {
            Issue.record("expected one OpenReceiveChannel, got \(actions)")
            return
        }
        #expect(open.codec == 12)

        // Not offered: the plain variants.
        var fresh = self.machine(offering: 11)
        for (codec, expected) in [(Codec.g711ulaw, SkinnyCodec(4)), (.g711alaw, 2), (.g722, 6), (.g729, 11)] {
            let media = MediaParameters(codec: codec, packetMilliseconds: 30)
            let actions = fresh.core(
                .openReceiveChannel(Fixture.name, call: Self.call, passThroughPartyID: Self.stream, media: media)
            )
            guard case .openReceiveChannel(let open) = sentMessage(actions) else {
                Issue.record("expected one OpenReceiveChannel, got \(actions)")
                continue
            }
            #expect(open.codec == expected)
            #expect(open.packetSize == 30)
        }
    }

    @Test func startMediaTransmissionAtV5() {
        var machine = machine(offering: 5)
        let actions = machine.core(
            .startMediaTransmission(
                Fixture.name,
                call: Self.call,
                passThroughPartyID: Self.stream,
                remote: Self.peer,
                media: Self.g711
            )
        )
        #expect(
            actions == [
                .send(
                    .startMediaTransmission(
                        .init(
                            conferenceID: 0x0100_001F,
                            passThroughPartyID: 0x0100_0101,
                            remoteAddress: .ipv4(10, 0, 0, 6),
                            remotePort: 16384,
                            packetSize: 20,
                            codec: 4,
                            precedence: 0xB8,
                            silenceSuppression: false,
                            maxFramesPerPacket: 0,
                            callReference: 0x0100_001F,
                            rfc2833PayloadType: 101,
                            dtmfType: 10
                        )
                    )
                )
            ]
        )
        // v5 layout: IPv4 in network order at 8, port at 12, precedence 0xB8 at 24, callReference at 40.
        guard let message = sentMessage(actions) else { return }
        let body = message.frame(version: machine.protocolVersion).body
        #expect(bytes(body, 8, 4) == [10, 0, 0, 6])
        #expect(u32(body, 12) == 16384)
        #expect(u32(body, 16) == 20)
        #expect(u32(body, 20) == 4)
        #expect(u32(body, 24) == 0xB8)
        #expect(u32(body, 40) == 0x0100_001F)
    }

    @Test func startMediaTransmissionAtV17UsesAddressBlocks() {
        var machine = machine(offering: 17)
        let actions = machine.core(
            .startMediaTransmission(
                Fixture.name,
                call: Self.call,
                passThroughPartyID: Self.stream,
                remote: Self.peer,
                media: Self.g711
            )
        )
        guard let message = sentMessage(actions) else {
            Issue.record("expected one message, got \(actions)")
            return
        }
        // v17 layout: u32 type 0 at 8, the address in the first 4 of 16 bytes at 12, port at 28, ms at 32,
        // codec at 36, precedence at 40, callReference at 56 (reference §5.2).
        let body = message.frame(version: machine.protocolVersion).body
        #expect(u32(body, 8) == 0)
        #expect(bytes(body, 12, 16) == [10, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(u32(body, 28) == 16384)
        #expect(u32(body, 32) == 20)
        #expect(u32(body, 36) == 4)
        #expect(u32(body, 40) == 0xB8)
        #expect(u32(body, 56) == 0x0100_001F)
    }

    @Test func anIPv6PeerAtV17() {
        var machine = machine(offering: 17)
        let remote = MediaEndpoint(address: .ipv6(high: 0x2001_0DB8_0000_0000, low: 6), port: 20000)
        let actions = machine.core(
            .startMediaTransmission(
                Fixture.name,
                call: Self.call,
                passThroughPartyID: Self.stream,
                remote: remote,
                media: Self.g711
            )
        )
        guard let message = sentMessage(actions) else {
            Issue.record("expected one message, got \(actions)")
            return
        }
        let body = message.frame(version: machine.protocolVersion).body
        #expect(u32(body, 8) == 1)
        #expect(bytes(body, 12, 16) == [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6])
        #expect(u32(body, 28) == 20000)
    }

    @Test(arguments: [UInt8(5), 17])
    func closeMedia(_ version: UInt8) {
        var machine = machine(offering: version)
        #expect(
            machine.core(.closeMedia(Fixture.name, call: Self.call, passThroughPartyID: Self.stream)) == [
                .send(
                    .closeReceiveChannel(
                        .init(
                            conferenceID: 0x0100_001F,
                            passThroughPartyID: 0x0100_0101,
                            callReference: 0x0100_001F,
                            portHandling: .closePort
                        )
                    )
                ),
                .send(
                    .stopMediaTransmission(
                        .init(
                            conferenceID: 0x0100_001F,
                            passThroughPartyID: 0x0100_0101,
                            callReference: 0x0100_001F,
                            portHandling: .closePort
                        )
                    )
                ),
            ]
        )
    }
}
