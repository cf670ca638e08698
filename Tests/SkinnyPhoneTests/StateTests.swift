import SkinnyWire
import Testing

@testable import SkinnyPhone

/// The pure parts: display state and the registration machine, without sockets.
@Suite struct StateTests {
    @Test func aCallIsTrackedFromRingToHangUp() {
        var state = SkinnyPhone.State()
        let messages: [CallManagerMessage] = [
            .callState(.init(.ringIn, lineInstance: 1, callReference: 31)),
            .setRinger(.init(.inside, lineInstance: 1, callReference: 31)),
            .displayPromptStatus(.init("From 1003", lineInstance: 1, callReference: 31)),
            .callInfo(
                .init(
                    lineInstance: 1,
                    callReference: 31,
                    callType: .inbound,
                    callingParty: "1003",
                    callingPartyName: "Carol",
                    calledParty: "1001",
                    calledPartyName: "Alice"
                )
            ),
            .callState(.init(.connected, lineInstance: 1, callReference: 31)),
            .startTone(.init(.callWaiting, lineInstance: 1, callReference: 31)),
        ]
        for (index, message) in messages.enumerated() {
            state.apply(message, sequence: index + 1)
        }
        let call = state.calls[31]
        #expect(call?.state == .connected)
        #expect(call?.callingParty == "1003" && call?.calledPartyName == "Alice")
        #expect(call?.tone == .callWaiting)
        #expect(call?.prompt == "From 1003")
        #expect(state.activeCall?.callReference == 31)
        #expect(state.ringingCall == nil)

        // Hang-up (call-flows §5): the on-hook set, then a late SetRinger that must not resurrect the call.
        state.apply(.clearPromptStatus(.init(lineInstance: 1, callReference: 31)), sequence: 10)
        state.apply(.callState(.init(.onHook, lineInstance: 1, callReference: 31)), sequence: 11)
        state.apply(.setRinger(.init(.off, lineInstance: 1, callReference: 31)), sequence: 12)
        #expect(state.calls.isEmpty)
        #expect(state.endedCalls.map(\.callReference) == [31])
        #expect(state.endedCalls.first?.ringer == .off)
        #expect(state.call(31)?.state == .onHook)
    }

    @Test func theNewestActiveCallIsTheActiveOne() {
        var state = SkinnyPhone.State()
        state.apply(.callState(.init(.connected, lineInstance: 1, callReference: 1)), sequence: 1)
        state.apply(.callState(.init(.hold, lineInstance: 1, callReference: 1)), sequence: 2)
        state.apply(.callState(.init(.offHook, lineInstance: 1, callReference: 2)), sequence: 3)
        state.apply(.callState(.init(.ringIn, lineInstance: 2, callReference: 3)), sequence: 4)
        #expect(state.activeCall?.callReference == 2)
        #expect(state.heldCall?.callReference == 1)
        #expect(state.ringingCall?.callReference == 3)
    }

    @Test func aPagedButtonTemplateCompletesOnTheLastPage() {
        var machine = RegistrationMachine(offeredVersion: 17, maxLines: 0)
        machine.registerSent()
        let ack = machine.received(
            .registerAck(.init(keepAliveInterval: 30, secondaryKeepAliveInterval: 60, protocolVersion: .v17))
        )
        #expect(ack.negotiated == .v17)
        #expect(ack.send == [.buttonTemplateReq, .softKeyTemplateReq, .softKeySetReq, .configStatReq])
        let buttons = (1...50).map {
            SkinnyMessage.ButtonTemplateRes.Button(
                instanceNumber: UInt8($0),
                buttonType: $0 <= 45 ? .line : .blfSpeedDial
            )
        }
        let pages = SkinnyMessage.ButtonTemplateRes.pages(buttons)
        #expect(pages.count == 2)
        #expect(machine.received(.buttonTemplateRes(pages[0])).send.isEmpty)
        let last = machine.received(.buttonTemplateRes(pages[1]))
        #expect(last.buttons?.count == 50)
        #expect(last.send.filter { $0.id == .lineStatReq }.count == 45)
        #expect(last.send.filter { $0.id == .speedDialStatReq }.count == 5)
        #expect(last.send.filter { $0.id == .featureStatReq }.count == 5)
        #expect(last.send.last == .timeDateReq)
        #expect(!machine.received(.timeDateRes(.init(unixTime: 0))).completed)
        for line in 1...44 as ClosedRange<UInt32> {
            #expect(!machine.received(.lineStatV2Res(.init(lineNumber: line, directoryNumber: "\(line)"))).completed)
        }
        #expect(machine.received(.lineStatV2Res(.init(lineNumber: 45, directoryNumber: "45"))).completed)
        #expect(machine.phase == .registered)
    }

    @Test func theNegotiatedVersionNeverExceedsTheOffer() {
        #expect(RegistrationMachine.version(acknowledged: 22, offered: 11) == .v11)
        #expect(RegistrationMachine.version(acknowledged: 0, offered: 11) == .v3)
        #expect(RegistrationMachine.version(acknowledged: 17, offered: 22) == .v17)
    }

    @Test func macAddressComesFromTheDeviceName() {
        #expect(
            SkinnyPhoneHandler.macAddress(fromDeviceName: "SEP00112233AABB") == [0x00, 0x11, 0x22, 0x33, 0xAA, 0xBB]
        )
        #expect(SkinnyPhoneHandler.macAddress(fromDeviceName: "phone-1").isEmpty)
        #expect(SkinnyPhoneHandler.macAddress(fromDeviceName: "SEP0011223344ZZ").isEmpty)
    }

    @Test(
        arguments: [
            (SkinnyCodec.g711ULaw64k, 0), (.g711ALaw64k, 8), (.g729, 18), (.g722At64k, 9), (.g729AnnexA, 18),
        ] as [(SkinnyCodec, UInt8)]
    )
    func payloadTypesFollowTheCodec(_ codec: SkinnyCodec, _ payloadType: UInt8) {
        #expect(codec.rtpPayloadType == payloadType)
    }
}
