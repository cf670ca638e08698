import CallControl
import Testing

/// DTMF across a trunk (issue 15): the stream's telephone-event payload type is set when both ends carry DTMF in
/// band (a phone with RFC 2833, a far end that named a payload type), and only then; otherwise a key pressed in the
/// conversation goes to the trunk out of band (`sendDigit`), never both. A digit the far end sent out of band is
/// played to the phone. Two phones get 101 when both can.
@Suite struct DTMFTests {
    typealias O = Office
    static let carrier = TrunkTests.carrier
    static let peer = TrunkTests.peer

    /// Alice (RFC 2833 if `phoneSendsRFC2833`) calls out through the trunk, whose far end names `farEnd` as its
    /// telephone-event payload type; returns what the answer produced. Alice's leg is call 1, the trunk's call 2.
    static func callOut(phoneSendsRFC2833: Bool, farEnd: UInt8?) throws -> (Harness, [CallCommand]) {
        var harness = try TrunkTests.harness()
        harness.send(.capabilitiesChanged(O.alice, DeviceCapabilities(rfc2833: phoneSendsRFC2833)))
        harness.call(O.alice, "9030123#")
        harness.send(.trunkTelephoneEvents(carrier, call: 2, payloadType: farEnd))
        harness.send(.trunkMediaAddress(carrier, call: 2, peer, codecs: [.g711ulaw]))
        let answered = harness.send(.trunkCallAnswered(carrier, call: 2))
        return (harness, answered)
    }

    static func phonePayloadType(_ commands: [CallCommand]) -> UInt8?? {
        for case .openReceiveChannel(O.alice, _, _, let media) in commands {
            return .some(media.telephoneEventPayloadType)
        }
        return nil
    }

    static func digits(_ commands: [CallCommand]) -> [Character] {
        commands.compactMap { command in
            if case .trunk(_, _, .sendDigit(let key)) = command { return key }
            return nil
        }
    }

    @Test(arguments: [UInt8(101), 96])
    func aCapablePhoneIsToldTheFarEndsPayloadTypeAndNoDigitIsRelayed(_ payloadType: UInt8) throws {
        var (harness, answered) = try Self.callOut(phoneSendsRFC2833: true, farEnd: payloadType)
        #expect(Self.phonePayloadType(answered) == .some(payloadType))
        // The phone sends its keys in its RTP: nothing goes out of band.
        var pressed: [CallCommand] = []
        for key in "123#" { pressed += harness.send(.digit(O.alice, line: nil, call: nil, key)) }
        #expect(pressed.isEmpty)
    }

    @Test(arguments: [(true, UInt8?.none), (false, 101), (false, nil)])
    func withoutTelephoneEventsOnBothEndsKeysGoOutOfBand(_ phoneSendsRFC2833: Bool, _ farEnd: UInt8?) throws {
        var (harness, answered) = try Self.callOut(phoneSendsRFC2833: phoneSendsRFC2833, farEnd: farEnd)
        #expect(Self.phonePayloadType(answered) == .some(nil))
        var pressed: [CallCommand] = []
        for key in "12*#+" { pressed += harness.send(.digit(O.alice, line: nil, call: nil, key)) }
        // `+` is no DTMF key; the others go to the trunk's leg, in order, once each.
        #expect(Self.digits(pressed) == ["1", "2", "*", "#"])
        #expect(pressed.allSatisfy { if case .trunk(Self.carrier, call: 2, .sendDigit) = $0 { true } else { false } })
    }

    @Test func keysAreNotRelayedWhileTheCallIsHeld() throws {
        var (harness, _) = try Self.callOut(phoneSendsRFC2833: false, farEnd: nil)
        harness.send(.softKey(O.alice, .hold, line: nil, call: nil))
        #expect(Self.digits(harness.send(.digit(O.alice, line: nil, call: nil, "5"))).isEmpty)
        harness.send(.softKey(O.alice, .resume, line: nil, call: nil))
        #expect(Self.digits(harness.send(.digit(O.alice, line: nil, call: nil, "5"))) == ["5"])
    }

    @Test func aDigitFromTheFarEndIsPlayedToThePhoneForItsDuration() throws {
        var (harness, _) = try Self.callOut(phoneSendsRFC2833: true, farEnd: 101)
        #expect(harness.send(.trunkDigitStarted(Self.carrier, call: 2, "5")) == [show(O.alice, 1, 1, .dtmfTone("5"))])
        #expect(harness.send(.trunkDigitEnded(Self.carrier, call: 2)) == [show(O.alice, 1, 1, .dtmfToneEnded)])
        // Another trunk's digit, or one for a call that is gone, is ignored.
        #expect(harness.send(.trunkDigitStarted("other", call: 2, "5")).isEmpty)
        harness.send(.onHook(O.alice, line: nil, call: nil))
        #expect(harness.send(.trunkDigitStarted(Self.carrier, call: 2, "5")).isEmpty)
    }

    @Test(arguments: [(true, true, UInt8?.some(101)), (true, false, nil), (false, false, nil)])
    func twoPhonesUseRFC2833WhenBothCan(_ aliceCan: Bool, _ bobCan: Bool, _ expected: UInt8?) throws {
        var harness = try TrunkTests.harness()
        harness.send(.capabilitiesChanged(O.alice, DeviceCapabilities(rfc2833: aliceCan)))
        harness.send(.capabilitiesChanged(O.bob, DeviceCapabilities(rfc2833: bobCan)))
        harness.call(O.alice, "1002")
        let answered = harness.send(.offHook(O.bob, line: nil, call: nil))
        let payloadTypes = answered.compactMap { command -> UInt8?? in
            if case .openReceiveChannel(_, _, _, let media) = command { return .some(media.telephoneEventPayloadType) }
            return nil
        }
        #expect(payloadTypes == [expected, expected])
        // Between phones nothing is relayed: DTMF travels in the media (or, without RFC 2833, as audio).
        #expect(harness.send(.digit(O.alice, line: nil, call: nil, "5")).isEmpty)
    }

    @Test func aDigitBetweenTwoTrunkLegsIsRelayedAsInfo() throws {
        var harness = try TrunkTests.harness()
        // A call from the trunk dials 9… and goes out through the trunk again: two trunk legs.
        harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 1,
                caller: Party(name: "", number: "+4930"),
                called: "9030123",
                codecs: [.g711ulaw],
                defaultNumber: nil
            )
        )
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 2))
        #expect(answered.contains(.trunk(Self.carrier, call: 1, .openMedia(TrunkTests.ulaw20))))
        #expect(
            harness.send(.trunkDigitStarted(Self.carrier, call: 1, "5")) == [
                .trunk(Self.carrier, call: 2, .sendDigit("5"))
            ]
        )
        #expect(harness.send(.trunkDigitEnded(Self.carrier, call: 1)).isEmpty)
    }
}
