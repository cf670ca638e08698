import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct ActionTests {
    static let callReference: UInt32 = 0x0100_001A

    @Test func dialSendsOneKeypadButtonPerDigitWithTheLearnedCall() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x501)))

        try await phone.offHook()
        let offHook = try await connection.waitFor("OffHook") { $0.id == .offHook }
        #expect(offHook.message == .offHook(.init(lineInstance: 1, callReference: 0)))

        // The call manager allocates the call reference (call-flows §2).
        try await connection.send(
            .setLamp(.init(.line, instance: 1, mode: .on)),
            .callState(.init(.offHook, lineInstance: 1, callReference: Self.callReference)),
            .selectSoftKeys(.init(lineInstance: 1, callReference: Self.callReference, softKeySet: .offHook)),
            .startTone(.init(.insideDialTone, lineInstance: 1, callReference: Self.callReference))
        )
        try await phone.waitForCallState(.offHook)
        let dialling = try await phone.waitForState("dial tone") { $0.activeCall?.tone == .insideDialTone ? $0 : nil }
        #expect(dialling.activeCall?.softKeySet == .offHook)
        #expect(dialling.lamps[SkinnyPhone.Lamp(.line, instance: 1)] == .on)

        try await phone.dial("1001")
        var buttons: [SkinnyMessage.KeypadButton] = []
        var after = offHook.index
        for _ in 0..<4 {
            let frame = try await connection.waitFor(after: after, "KeypadButton") { $0.keypadButton != nil }
            buttons.append(try #require(frame.message.keypadButton))
            after = frame.index
        }
        #expect(buttons.map(\.button) == [.one, .zero, .zero, .one])
        #expect(buttons.allSatisfy { $0.lineInstance == 1 && $0.callReference == Self.callReference })

        try await phone.onHook()
        let onHook = try await connection.waitFor(after: after, "OnHook") { $0.id == .onHook }
        #expect(onHook.message == .onHook(.init(lineInstance: 1, callReference: Self.callReference)))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func belowV11KeypadButtonsCarryOnlyTheButton() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x502), protocolVersion: 5)
        )
        try await connection.send(.callState(.init(.offHook, lineInstance: 1, callReference: 9)))
        try await phone.waitForCall(.offHook)
        try await phone.dial("#")
        let frame = try await connection.waitFor("KeypadButton") { $0.keypadButton != nil }
        #expect(frame.message.keypadButton == .init(.pound))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func ringingAnsweringHoldingResumingAndEnding() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x503)))
        let call: UInt32 = 7

        // CUCM 4.1's ring burst (call-flows §3).
        try await connection.send(
            .callState(.init(.ringIn, lineInstance: 1, callReference: call)),
            .selectSoftKeys(.init(lineInstance: 1, callReference: call, softKeySet: .ringIn)),
            .displayPromptStatusV2(.init("From 1003", lineInstance: 1, callReference: call)),
            .setLamp(.init(.line, instance: 1, mode: .blink)),
            .setRinger(.init(.inside, lineInstance: 1, callReference: call)),
            .callInfoV2(
                .init(
                    lineInstance: 1,
                    callReference: call,
                    callType: .inbound,
                    callingParty: "1003",
                    callingPartyName: "Carol",
                    calledParty: "1001",
                    calledPartyName: "Alice"
                )
            )
        )
        let ringing = try await phone.waitForRinging()
        #expect(ringing.callReference == call)
        let rung = try await phone.waitForState("caller ID") { $0.ringingCall?.callingParty == "1003" ? $0 : nil }
        let ringingCall = try #require(rung.ringingCall)
        #expect(ringingCall.callingPartyName == "Carol")
        #expect(ringingCall.ringer == .inside)
        #expect(ringingCall.prompt == "From 1003")
        #expect(ringingCall.softKeySet == .ringIn)
        #expect(rung.ringer == .inside)

        try await phone.answer()
        let answer = try await connection.waitFor("OffHook") { $0.id == .offHook }
        #expect(answer.message == .offHook(.init(lineInstance: 1, callReference: call)))

        try await connection.send(
            .setRinger(.init(.off)),
            .callState(.init(.connected, lineInstance: 1, callReference: call))
        )
        try await phone.waitForCall(.connected)
        try await phone.hold()
        var frame = try await connection.waitFor(after: answer.index, "Hold") { $0.softKeyEvent?.event == .hold }
        #expect(frame.message.softKeyEvent == .init(.hold, lineInstance: 1, callReference: call))

        try await connection.send(.callState(.init(.hold, lineInstance: 1, callReference: call)))
        try await phone.waitForCall(.hold)
        try await phone.resume()
        frame = try await connection.waitFor(after: frame.index, "Resume") { $0.softKeyEvent?.event == .resume }
        #expect(frame.message.softKeyEvent == .init(.resume, lineInstance: 1, callReference: call))

        try await connection.send(.callState(.init(.connected, lineInstance: 1, callReference: call)))
        try await phone.waitForCallState(.connected)
        try await phone.endCall()
        frame = try await connection.waitFor(after: frame.index, "EndCall") { $0.softKeyEvent?.event == .endCall }
        #expect(frame.message.softKeyEvent == .init(.endCall, lineInstance: 1, callReference: call))

        try await connection.send(
            .callState(.init(.onHook, lineInstance: 1, callReference: call)),
            .setRinger(.init(.off, lineInstance: 1, callReference: call))
        )
        try await phone.waitForIdle()
        let state = try await phone.state()
        #expect(state.endedCalls.last?.callReference == call)
        #expect(state.endedCalls.last?.state == .onHook)
        #expect(state.endedCalls.last?.callingParty == "1003")
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func answerWithTheSoftKey() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x504), answerMode: .softKey)
        )
        try await connection.send(.callState(.init(.ringIn, lineInstance: 1, callReference: 11)))
        try await phone.waitForRinging()
        try await phone.answer()
        let frame = try await connection.waitFor("Answer") { $0.softKeyEvent != nil }
        #expect(frame.message.softKeyEvent == .init(.answer, lineInstance: 1, callReference: 11))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func actionsWithoutTheirCallThrow() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, _) = try await registeredPhone(fake, .init(deviceName: deviceName(0x505)))
        await #expect(throws: SkinnyPhoneError.self) { try await phone.answer() }
        await #expect(throws: SkinnyPhoneError.self) { try await phone.hold() }
        await #expect(throws: SkinnyPhoneError.self) { try await phone.resume() }
        let error = await #expect(throws: SkinnyPhoneError.self) { try await phone.dial("12x") }
        #expect(error?.code == .invalidArgument)
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test(arguments: [11, 17, 18] as [UInt8])
    func enblocCarriesTheLineFromV17(_ version: UInt8) async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x510 + Int(version)), protocolVersion: version)
        )
        try await phone.enbloc("1002")
        let frame = try await connection.waitFor("EnblocCall") { $0.id == .enblocCall }
        let expectedLine: UInt32? = version >= 17 ? 1 : nil
        #expect(frame.message == .enblocCall(.init(calledParty: "1002", lineInstance: expectedLine)))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func buttonsAndSoftKeysOnTheIdleScreen() async throws {
        var script = FakeCallManager.Script()
        script.lines = [
            .init(directoryNumber: "1001", displayName: "A"), .init(directoryNumber: "1002", displayName: "B"),
        ]
        script.speedDials = [("2000", "VM"), ("3000", "Lobby")]
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x506)))
        let start = try await connection.frames().count - 1

        try await phone.speedDial(2)
        try await phone.lineButton(2)
        try await phone.redial()
        try await phone.softKey(.newCall, line: 2)
        try await phone.send(.hookFlash(.init(lineInstance: 1, callReference: 0)))
        try await connection.waitFor(after: start, "HookFlash") { $0.id == .hookFlash }
        let sent = try await connection.frames().dropFirst(start + 1).map(\.message).filter { !$0.isKeepAlive }
        #expect(
            sent == [
                .stimulus(.init(.speedDial, stimulusInstance: 2)),
                .stimulus(.init(.line, stimulusInstance: 2)),
                .softKeyEvent(.init(.redial, lineInstance: 0, callReference: 0)),
                .softKeyEvent(.init(.newCall, lineInstance: 2, callReference: 0)),
                .hookFlash(.init(lineInstance: 1, callReference: 0)),
            ]
        )
        try await phone.disconnect()
        try await fake.stop()
    }
}
