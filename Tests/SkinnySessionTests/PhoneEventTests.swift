import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

@Suite("Phone events become CallControl events")
struct PhoneEventTests {
    let name = Fixture.name

    /// A v17 phone with call 0x0100001A known to the session (an outgoing call on line 1).
    func machineWithCall() -> DeviceSessionStateMachine {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.offHook, call: 0x0100_001A)
        return machine
    }

    @Test func offHook() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        #expect(
            machine.phone(.offHook(.init(lineInstance: 1, callReference: 0))) == [
                .forward(.offHook(name, line: 1, call: nil))
            ]
        )
        #expect(machine.phone(.offHook(.init())) == [.forward(.offHook(name, line: nil, call: nil))])
        // A line the device does not have (a button index from an old phone) is left to the core.
        #expect(
            machine.phone(.offHook(.init(lineInstance: 5, callReference: 0))) == [
                .forward(.offHook(name, line: nil, call: nil))
            ]
        )
    }

    @Test func offHookAnsweringANamedCall() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 0x0100_001F, line: 2)
        #expect(
            machine.phone(.offHook(.init(lineInstance: 2, callReference: 0x0100_001F)))
                == [.forward(.offHook(name, line: 2, call: 0x0100_001F))]
        )
    }

    @Test func offHookWithCallingPartyNumber() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        #expect(
            machine.phone(.offHookWithCallingPartyNumber(.init(callingPartyNumber: "1001", lineInstance: 2)))
                == [.forward(.offHook(name, line: 2, call: nil))]
        )
    }

    @Test func onHookWithAndWithoutLineAndCall() {
        var machine = machineWithCall()
        #expect(
            machine.phone(.onHook(.init(lineInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.onHook(name, line: 1, call: 0x0100_001A))]
        )
        // ≥ v15 phones often send neither (call-flows §5).
        #expect(machine.phone(.onHook(.init())) == [.forward(.onHook(name, line: nil, call: nil))])
        // 0 means "none"; a call the session never heard of is not passed on.
        #expect(
            machine.phone(.onHook(.init(lineInstance: 0, callReference: 0))) == [
                .forward(.onHook(name, line: nil, call: nil))
            ]
        )
        #expect(
            machine.phone(.onHook(.init(lineInstance: 1, callReference: 99))) == [
                .forward(.onHook(name, line: 1, call: nil))
            ]
        )
    }

    @Test(arguments: [
        (SkinnyKeypadButton.zero, Character("0")), (.five, "5"), (.nine, "9"), (.star, "*"), (.pound, "#"),
        (.a, "A"), (.d, "D"), (.plus, "+"),
    ])
    func keypadButton(_ button: SkinnyKeypadButton, _ character: Character) {
        var machine = machineWithCall()
        #expect(
            machine.phone(.keypadButton(.init(button, lineInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.digit(name, line: 1, call: 0x0100_001A, character))]
        )
    }

    @Test func keypadButtonWithoutLineAndCallAndAnUnknownKey() {
        var machine = DeviceSessionStateMachine.registered(offering: 5)
        // CM 2.x-era phones send only the key (4-byte body).
        #expect(machine.phone(.keypadButton(.init(.seven))) == [.forward(.digit(name, line: nil, call: nil, "7"))])
        #expect(machine.phone(.keypadButton(.init(SkinnyKeypadButton(rawValue: 40)))) == [])
    }

    @Test func enblocCall() {
        var machine = DeviceSessionStateMachine.registered(offering: 18)
        #expect(
            machine.phone(.enblocCall(.init(calledParty: "1003", lineInstance: 2)))
                == [.forward(.enbloc(name, line: 2, number: "1003"))]
        )
        var old = DeviceSessionStateMachine.registered(offering: 5)
        #expect(
            old.phone(.enblocCall(.init(calledParty: "1003#"))) == [.forward(.enbloc(name, line: nil, number: "1003#"))]
        )
    }

    @Test(arguments: [
        (SkinnySoftKeyEvent.redial, SoftKey.redial), (.newCall, .newCall), (.hold, .hold), (.backSpace, .backSpace),
        (.endCall, .endCall), (.resume, .resume), (.answer, .answer), (.transfer, .transfer),
        (.directTransfer, .directTransfer), (.park, .park), (.pickUp, .pickUp), (.groupPickUp, .groupPickUp),
        (.doNotDisturb, .doNotDisturb), (.conference, .conference), (.join, .join),
        (.removeLastParticipant, .removeLastParticipant), (.conferenceList, .conferenceList),
    ])
    func softKeys(_ event: SkinnySoftKeyEvent, _ key: SoftKey) {
        var machine = machineWithCall()
        #expect(
            machine.phone(.softKeyEvent(.init(event, lineInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.softKey(name, key, line: 1, call: 0x0100_001A))]
        )
        #expect(machine.phone(.softKeyEvent(.init(event))) == [.forward(.softKey(name, key, line: nil, call: nil))])
    }

    @Test func dialSoftKeyEndsDiallingLikePound() {
        var machine = machineWithCall()
        #expect(
            machine.phone(.softKeyEvent(.init(.dial, lineInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.digit(name, line: 1, call: 0x0100_001A, "#"))]
        )
    }

    @Test(arguments: [
        SkinnySoftKeyEvent.forwardAll, .forwardBusy, .forwardNoAnswer, .info, .meetMe,
        SkinnySoftKeyEvent(rawValue: 999),
    ])
    func unimplementedSoftKeysAreIgnored(_ event: SkinnySoftKeyEvent) {
        var machine = machineWithCall()
        #expect(machine.phone(.softKeyEvent(.init(event, lineInstance: 1, callReference: 0x0100_001A))) == [])
    }

    @Test func stimuli() {
        var machine = machineWithCall()
        #expect(machine.phone(.stimulus(.init(.line, stimulusInstance: 2))) == [.forward(.lineButton(name, line: 2))])
        #expect(machine.phone(.stimulus(.init(.line, stimulusInstance: 3))) == [])
        #expect(
            machine.phone(.stimulus(.init(.speedDial, stimulusInstance: 1))) == [.forward(.speedDial(name, index: 1))]
        )
        #expect(
            machine.phone(.stimulus(.init(.lastNumberRedial, stimulusInstance: 1)))
                == [.forward(.softKey(name, .redial, line: nil, call: nil))]
        )
        #expect(
            machine.phone(.stimulus(.init(.hold, stimulusInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.softKey(name, .hold, line: nil, call: 0x0100_001A))]
        )
        #expect(
            machine.phone(.stimulus(.init(.newCall, stimulusInstance: 1)))
                == [.forward(.softKey(name, .newCall, line: nil, call: nil))]
        )
        #expect(
            machine.phone(.stimulus(.init(.endCall, stimulusInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.softKey(name, .endCall, line: nil, call: 0x0100_001A))]
        )
        // Button phones' feature buttons (call-flows §8, §11–§13).
        #expect(
            machine.phone(.stimulus(.init(.transfer, stimulusInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.softKey(name, .transfer, line: nil, call: 0x0100_001A))]
        )
        #expect(
            machine.phone(.stimulus(.init(.callPark, stimulusInstance: 1, callReference: 0x0100_001A)))
                == [.forward(.softKey(name, .park, line: nil, call: 0x0100_001A))]
        )
        #expect(
            machine.phone(.stimulus(.init(.callPickup, stimulusInstance: 1)))
                == [.forward(.softKey(name, .pickUp, line: nil, call: nil))]
        )
        #expect(
            machine.phone(.stimulus(.init(.groupCallPickup, stimulusInstance: 1)))
                == [.forward(.softKey(name, .groupPickUp, line: nil, call: nil))]
        )
        #expect(
            machine.phone(.stimulus(.init(.doNotDisturb, stimulusInstance: 1)))
                == [.forward(.softKey(name, .doNotDisturb, line: nil, call: nil))]
        )
        #expect(machine.phone(.stimulus(.init(.voiceMail, stimulusInstance: 1))) == [])
        #expect(machine.phone(.stimulus(.init(.forwardAll, stimulusInstance: 1))) == [])
    }

    @Test func openReceiveChannelAckAtV5() {
        var machine = DeviceSessionStateMachine.registered(offering: 5)
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 0x0100_001F)
        // A 7912's ack: no callReference (16-byte body, call-flows §4).
        var body = ByteBuffer()
        body.writeInteger(UInt32(0), endianness: .little)
        body.writeInteger(UInt32(0x0A00_0005), endianness: .big)
        body.writeMultipleIntegers(UInt32(16384), UInt32(0x0100_0101), endianness: .little)
        let frame = SkinnyFrame(id: .openReceiveChannelAck, body: body)
        #expect(
            machine.frameReceived(frame, now: Fixture.now)
                == [
                    .forward(
                        .receiveChannelOpened(
                            name,
                            call: nil,
                            passThroughPartyID: 0x0100_0101,
                            endpoint: MediaEndpoint(address: .ipv4(0x0A00_0005), port: 16384)
                        )
                    )
                ]
        )
        #expect(
            machine.phone(
                .openReceiveChannelAck(
                    .init(
                        ipAddress: .ipv4(10, 0, 0, 5),
                        port: 16386,
                        passThroughPartyID: 0x0100_0102,
                        callReference: 0x0100_001F
                    )
                )
            )
                == [
                    .forward(
                        .receiveChannelOpened(
                            name,
                            call: 0x0100_001F,
                            passThroughPartyID: 0x0100_0102,
                            endpoint: MediaEndpoint(address: .ipv4(0x0A00_0005), port: 16386)
                        )
                    )
                ]
        )
    }

    @Test func openReceiveChannelAckAtV17WithIPv6() {
        var machine = machineWithCall()
        let address: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05]
        #expect(
            machine.phone(
                .openReceiveChannelAck(
                    .init(ipAddress: .ipv6(address), port: 20000, passThroughPartyID: 7, callReference: 0x0100_001A)
                )
            )
                == [
                    .forward(
                        .receiveChannelOpened(
                            name,
                            call: 0x0100_001A,
                            passThroughPartyID: 7,
                            endpoint: MediaEndpoint(address: .ipv6(high: 0x2001_0DB8_0000_0000, low: 5), port: 20000)
                        )
                    )
                ]
        )
    }

    @Test func failedOrNonsensicalOpenReceiveChannelAcksAreNotForwarded() {
        var machine = machineWithCall()
        #expect(
            machine.phone(
                .openReceiveChannelAck(
                    .init(
                        status: .outOfChannels,
                        ipAddress: .ipv4(10, 0, 0, 5),
                        port: 16384,
                        passThroughPartyID: 7,
                        callReference: 0x0100_001A
                    )
                )
            )
                == []
        )
        #expect(
            machine.phone(
                .openReceiveChannelAck(
                    .init(ipAddress: .ipv4(10, 0, 0, 5), port: 70000, passThroughPartyID: 7, callReference: 0x0100_001A)
                )
            )
                == []
        )
        #expect(
            machine.phone(
                .openReceiveChannelAck(
                    .init(ipAddress: .ipv4(10, 0, 0, 5), port: 16384, passThroughPartyID: 0, callReference: 0)
                )
            )
                == []
        )
    }

    @Test func capabilityMessagesOfEveryKindReportCodecs() {
        var machine = DeviceSessionStateMachine.registered(offering: 22)
        let audio: [SkinnyAudioCapability] = [
            .init(codec: 6, maxFramesPerPacket: 40), .init(codec: 4, maxFramesPerPacket: 40),
            .init(codec: 5, maxFramesPerPacket: 40), .init(codec: 16, maxFramesPerPacket: 60),
            .init(codec: 86, maxFramesPerPacket: 30),
        ]
        let expected: [SessionAction] = [
            .forward(.capabilitiesChanged(name, DeviceCapabilities(codecs: [.g722, .g711ulaw, .g729])))
        ]
        let capabilities = SkinnyMediaCapabilities(audio: audio)
        #expect(machine.phone(.capabilitiesV2Res(.init(capabilities: capabilities))) == expected)
        #expect(machine.phone(.capabilitiesV3Res(.init(capabilities: capabilities))) == expected)
        #expect(machine.phone(.updateCapabilities(.init(capabilities: capabilities))) == expected)
        #expect(
            machine.phone(.capabilitiesRes(.init(capabilities: []))) == [.forward(.capabilitiesChanged(name, .unknown))]
        )
    }

    @Test func informationalMessagesNeedNoAnswer() {
        var machine = machineWithCall()
        let messages: [StationMessage] = [
            .ipPort(.init(rtpMediaPort: 16384)),
            .alarm(.init(severity: 2, text: "Name=SEP001122334455 Load=P003", parameter1: 0, parameter2: 0)),
            .headsetStatus(.init(mode: 1)), .registerAvailableLines(.init(maxNumberOfAvailableLines: 2)),
            .startMediaTransmissionAck(
                .init(
                    conferenceID: 1,
                    passThroughPartyID: 2,
                    callReference: 3,
                    transmitIPAddress: .ipv4(10, 0, 0, 5),
                    port: 1
                )
            ),
            .mediaTransmissionFailure(
                .init(
                    conferenceID: 1,
                    passThroughPartyID: 2,
                    remoteIPAddress: .ipv4(10, 0, 0, 5),
                    remotePort: 1,
                    callReference: 3
                )
            ),
            .hookFlash(.init(lineInstance: 1, callReference: 0x0100_001A)),
            .unknown(SkinnyFrame(id: SkinnyMessageID(rawValue: 0x7777))),
        ]
        for message in messages {
            #expect(machine.phone(message) == [], "\(message.id)")
        }
        #expect(machine.isRegistered)
    }
}
