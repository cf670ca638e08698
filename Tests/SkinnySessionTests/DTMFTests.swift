import CallControl
import SkinnySession
import SkinnyWire
import Testing

/// DTMF at the SCCP side: the phone's RFC 2833 feature bit reaches the core, the stream's telephone-event payload
/// type (or 0) goes in OpenReceiveChannel and StartMediaTransmission, and a digit the far end sent out of band is
/// played as its DTMF tone.
@Suite("DTMF")
struct DTMFTests {
    static let call: CallReference = 0x0100_0020
    static let stream: PassThroughPartyID = 0x0100_0102

    func registered(features: SkinnyPhoneFeatures) -> DeviceSessionStateMachine {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(
            .register(
                SkinnyMessage.Register(
                    deviceName: Fixture.name.rawValue,
                    stationIPAddress: .ipv4(10, 0, 0, 5),
                    deviceType: .station7960,
                    protocolVersion: 17,
                    features: features,
                    firmwareLoadName: "SCCP41.9-4-2SR3-1S"
                )
            )
        )
        _ = machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
        return machine
    }

    func capabilities(_ actions: [SessionAction]) -> DeviceCapabilities? {
        for case .forward(.capabilitiesChanged(_, let capabilities)) in actions { return capabilities }
        return nil
    }

    @Test(arguments: [
        (SkinnyPhoneFeatures.rfc2833, true), (SkinnyPhoneFeatures(), false),
        (SkinnyPhoneFeatures(rawValue: 0x8572), true),
    ])
    func theRFC2833FeatureBitReachesTheCore(_ features: SkinnyPhoneFeatures, _ expected: Bool) throws {
        var machine = registered(features: features)
        let actions = machine.phone(.capabilitiesRes(.init(capabilities: [.init(codec: 4, maxFramesPerPacket: 40)])))
        let reported = try #require(capabilities(actions))
        #expect(reported.rfc2833 == expected)
        #expect(reported.codecs == [.g711ulaw])
    }

    @Test(arguments: [(UInt8?.none, UInt32(0)), (101, 101), (96, 96)])
    func theStreamsPayloadTypeGoesInBothMediaMessages(_ payloadType: UInt8?, _ onTheWire: UInt32) {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: Self.call)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: Self.call)
        let media = MediaParameters(codec: .g711ulaw, packetMilliseconds: 20, telephoneEventPayloadType: payloadType)
        let opened = machine.core(
            .openReceiveChannel(Fixture.name, call: Self.call, passThroughPartyID: Self.stream, media: media)
        )
        let started = machine.core(
            .startMediaTransmission(
                Fixture.name,
                call: Self.call,
                passThroughPartyID: Self.stream,
                remote: MediaEndpoint(address: .ipv4(0x7F00_0001), port: 30_000),
                media: media
            )
        )
        guard case .send(.openReceiveChannel(let open)) = opened.first,
            case .send(.startMediaTransmission(let start)) = started.first
        else {
            Issue.record("expected OpenReceiveChannel and StartMediaTransmission, got \(opened) \(started)")
            return
        }
        #expect(open.rfc2833PayloadType == onTheWire)
        #expect(start.rfc2833PayloadType == onTheWire)
        #expect(open.dtmfType == 10 && start.dtmfType == 10)
    }

    @Test(arguments: [
        (Character("5"), SkinnyTone(rawValue: 5)), ("0", 0x0A), ("*", 0x0E), ("#", 0x0F), ("A", 0x10), ("d", 0x13),
    ])
    func aDigitFromTheFarEndIsPlayedAsItsTone(_ key: Character, _ tone: SkinnyTone) {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: Self.call)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: Self.call)
        let started = machine.indicate(.dtmfTone(key), call: Self.call)
        #expect(
            started == [
                .send(.startTone(SkinnyMessage.StartTone(tone, lineInstance: 1, callReference: Self.call.rawValue)))
            ]
        )
        let ended = machine.indicate(.dtmfToneEnded, call: Self.call)
        #expect(ended == [.send(.stopTone(SkinnyMessage.StopTone(lineInstance: 1, callReference: Self.call.rawValue)))])
    }

    @Test func aDigitForACallThePhoneDoesNotHaveIsDropped() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        #expect(machine.indicate(.dtmfTone("5"), call: Self.call).isEmpty)
        #expect(machine.indicate(.dtmfToneEnded, call: Self.call).isEmpty)
        // It did not make the call known either: a later ring-in is a new call.
        #expect(!machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: Self.call).isEmpty)
    }

    @Test func theDTMFTonesAreTheReferenceValues() {
        #expect(SkinnyTone.dtmf("1")?.rawValue == 1)
        #expect(SkinnyTone.dtmf("9")?.rawValue == 9)
        #expect(SkinnyTone.dtmf("+") == nil)
        #expect(SkinnyTone.dtmf("E") == nil)
    }
}
