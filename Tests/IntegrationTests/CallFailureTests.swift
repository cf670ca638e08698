import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Testing

/// Calls that do not connect: busy, invalid number, a callee that is not registered, and a caller who gives up
/// while the callee rings (call-flows §6).
@Suite struct CallFailureTests {
    /// Waits for StartTone with `tone` after the phone's last action.
    static func waitForTone(_ phone: SkinnyPhone, _ tone: SkinnyTone) async throws {
        _ = try await phone.waitFor("StartTone 0x\(String(tone.rawValue, radix: 16))", timeout: TestServer.timeout) {
            if case .startTone(let message) = $0, message.tone == tone { true } else { false }
        }
    }

    @Test func aLineAtItsBusyTriggerGivesTheCallerBusyTone() async throws {
        let directory = """
            { "devices": [ { "name": "SEP00000000B001", "lines": ["2001"] },
                           { "name": "SEP00000000B002", "lines": ["2002"] },
                           { "name": "SEP00000000B003", "lines": ["2003"] } ],
              "lines": [ { "number": "2002", "displayName": "Bob", "maxCalls": 1, "busyTrigger": 1 },
                         { "number": "2003", "displayName": "Carol" } ] }
            """
        try await TestServer.with(directoryJSON: directory) { server in
            let (alice, _) = try await server.registeredPhone("SEP00000000B001")
            let (bob, bobNumber) = try await server.registeredPhone("SEP00000000B002", version: 17)
            let (carol, carolNumber) = try await server.registeredPhone("SEP00000000B003", version: 5)
            #expect(bobNumber == "2002")
            try await Calls.establish(from: carol, to: bob, number: bobNumber, callerNumber: carolNumber)
            // Display names from directory.json reach both screens.
            #expect(try await carol.state().activeCall?.calledPartyName == "Bob")
            #expect(try await bob.state().activeCall?.callingPartyName == "Carol")

            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial(bobNumber)
            try await Self.waitForTone(alice, .lineBusy)
            try await alice.waitForCallState(.busy, timeout: TestServer.timeout)
            let busy = try await alice.waitForCall(.busy, timeout: TestServer.timeout)
            #expect(busy.tone == .lineBusy)
            // Bob was not offered the call.
            #expect(try await bob.state().ringingCall == nil)
            #expect(try await bob.state().calls.count == 1)

            try await alice.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            // Carol and Bob still talk.
            let status = try await server.waitForStatus("one call left") {
                $0.activeCalls == 1 && $0.activeLegs == 2 && $0.activeTimers == 0
            }
            #expect(status.activeMediaStreams == 2)
            try await carol.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test func aThirdCallToALineWithDefaultLimitsIsBusy() async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 22)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 11)
            let (carol, carolNumber) = try await server.registeredPhone(Calls.deviceName(0xC3), version: 17)
            let (dave, _) = try await server.registeredPhone(Calls.deviceName(0xD4), version: 5)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)

            // Carol's call waits on Bob's line (busy trigger 2): it rings without the ringer.
            try await carol.offHook()
            try await carol.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await carol.dial(bobNumber)
            try await carol.waitForCall(.ringOut, timeout: TestServer.timeout)
            let waiting = try await bob.waitForRinging(timeout: TestServer.timeout)
            let waitingInfo = try await bob.waitForState("caller ID of the waiting call", timeout: TestServer.timeout) {
                $0.calls[waiting.callReference].flatMap { $0.callingParty.isEmpty ? nil : $0 }
            }
            #expect(waitingInfo.callingParty == carolNumber)
            try await Self.waitForTone(bob, .callWaiting)

            // Dave's is the third: busy.
            try await dave.offHook()
            try await dave.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await dave.dial(bobNumber)
            try await Self.waitForTone(dave, .lineBusy)
            try await dave.waitForCallState(.busy, timeout: TestServer.timeout)
            #expect(try await bob.state().calls.count == 2)

            try await dave.onHook()
            try await carol.onHook()
            try await alice.onHook()
            for phone in [alice, bob, carol, dave] {
                try await phone.waitForIdle(timeout: TestServer.timeout)
            }
            try await server.waitUntilClean(registered: 4)
        }
    }

    @Test(arguments: [UInt8(5), 17])
    func anInvalidNumberGivesReorderAndInvalidNumberState(version: UInt8) async throws {
        try await TestServer.with { server in
            let (alice, _) = try await server.registeredPhone(Calls.deviceName(0xA1), version: version)
            _ = try await server.registeredPhone(Calls.deviceName(0xB2))
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            // Nothing in the directory starts with 9: invalid as soon as it is dialled.
            try await alice.dial("9")
            try await Self.waitForTone(alice, .reorder)
            try await alice.waitForCallState(.invalidNumber, timeout: TestServer.timeout)
            let call = try await alice.waitForCall(.invalidNumber, timeout: TestServer.timeout)
            #expect(call.tone == .reorder)
            // The failed-call timer runs until the user hangs up.
            #expect(try await server.status().activeTimers == 1)
            try await alice.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }

    @Test func aCalleeThatIsNotRegisteredIsUnavailable() async throws {
        let directory = """
            { "devices": [ { "name": "SEP00000000C009", "lines": ["3009"] } ],
              "lines": [ { "number": "3009", "displayName": "Nobody Home" } ] }
            """
        try await TestServer.with(directoryJSON: directory) { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 22)
            #expect(aliceNumber == "1000")
            #expect(try await !server.isRegistered("SEP00000000C009"))
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial("3009")
            try await Self.waitForTone(alice, .reorder)
            try await alice.waitForCallState(.congestion, timeout: TestServer.timeout)
            let call = try await alice.waitForCall(.congestion, timeout: TestServer.timeout)
            #expect(call.tone == .reorder)
            try await alice.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test(arguments: [false, true])
    func theCallerHangsUpWhileTheCalleeRings(pressingEndCall: Bool) async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 17)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 11)
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial(bobNumber)
            let ringing = try await bob.waitForRinging(timeout: TestServer.timeout)
            _ = try await bob.waitForState("caller ID", timeout: TestServer.timeout) {
                $0.calls[ringing.callReference]?.callingParty == aliceNumber ? () : nil
            }
            _ = try await bob.waitForState("the ringer on", timeout: TestServer.timeout) {
                $0.ringer != .off ? () : nil
            }
            try await alice.waitForCall(.ringOut, timeout: TestServer.timeout)

            if pressingEndCall {
                try await alice.endCall()
            } else {
                try await alice.onHook()
            }
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await alice.waitForIdle(timeout: TestServer.timeout)
            let bobState = try await bob.state()
            #expect(bobState.ringer == .off)
            #expect(bobState.endedCalls.last?.callReference == ringing.callReference)
            #expect(bobState.lamps[SkinnyPhone.Lamp(.line, instance: ringing.lineInstance)] == .off)
            try await server.waitUntilClean(registered: 2)
        }
    }
}
