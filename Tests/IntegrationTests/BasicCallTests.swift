import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Testing

/// Two simulated phones register with a real server over loopback TCP, call, answer, exchange RTP both ways and
/// hang up, at every protocol version family the server speaks and across versions.
@Suite struct BasicCallTests {
    /// Who ends the call, and how.
    enum HangUp: String, Sendable {
        case callerOnHook = "caller goes on hook"
        case calleeOnHook = "callee goes on hook"
        case callerEndCall = "caller presses EndCall"
        case calleeEndCall = "callee presses EndCall"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var callerVersion: UInt8
        var calleeVersion: UInt8
        var answerMode: SkinnyPhone.AnswerMode
        var hangUp: HangUp

        var testDescription: String {
            "v\(self.callerVersion) calls v\(self.calleeVersion), answered with \(self.answerMode), \(self.hangUp.rawValue)"
        }
    }

    static let cases: [Case] = [
        Case(callerVersion: 5, calleeVersion: 5, answerMode: .offHook, hangUp: .callerOnHook),
        Case(callerVersion: 11, calleeVersion: 11, answerMode: .softKey, hangUp: .calleeOnHook),
        Case(callerVersion: 17, calleeVersion: 17, answerMode: .offHook, hangUp: .callerEndCall),
        Case(callerVersion: 22, calleeVersion: 22, answerMode: .softKey, hangUp: .calleeEndCall),
        Case(callerVersion: 5, calleeVersion: 22, answerMode: .offHook, hangUp: .calleeOnHook),
        Case(callerVersion: 22, calleeVersion: 11, answerMode: .softKey, hangUp: .callerOnHook),
    ]

    @Test(arguments: cases)
    func twoPhonesCallEachOther(_ c: Case) async throws {
        try await TestServer.with { server in
            let alice = try await server.phone("SEP00000000A001", version: c.callerVersion)
            let bob = try await server.phone("SEP00000000B002", version: c.calleeVersion, answerMode: c.answerMode)
            let aliceRegistration = try await alice.register(timeout: TestServer.timeout)
            let bobRegistration = try await bob.register(timeout: TestServer.timeout)
            #expect(aliceRegistration.negotiatedVersion == SkinnyProtocolVersion(c.callerVersion))
            #expect(bobRegistration.negotiatedVersion == SkinnyProtocolVersion(c.calleeVersion))
            let aliceNumber = try #require(aliceRegistration.lines.first?.directoryNumber)
            let bobNumber = try #require(bobRegistration.lines.first?.directoryNumber)
            #expect(aliceNumber == "1000")
            #expect(bobNumber == "1001")
            #expect(try await server.status().registeredDevices == 2)

            try await alice.offHook()
            let offHook = try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            _ = try await alice.waitFor("dial tone", timeout: TestServer.timeout) {
                if case .startTone(let tone) = $0, tone.tone == .insideDialTone { true } else { false }
            }
            try await alice.dial(bobNumber)
            let ringing = try await bob.waitForRinging(timeout: TestServer.timeout)
            let ringingInfo = try await bob.waitForState("caller ID", timeout: TestServer.timeout) { state in
                state.calls[ringing.callReference].flatMap { $0.callingParty.isEmpty ? nil : $0 }
            }
            #expect(ringingInfo.callingParty == aliceNumber)
            #expect(ringingInfo.calledParty == bobNumber)
            #expect(ringingInfo.callType == .inbound)
            _ = try await bob.waitForState("the ringer on", timeout: TestServer.timeout) {
                $0.ringer != .off ? () : nil
            }
            let ringOut = try await alice.waitForCall(.ringOut, timeout: TestServer.timeout)
            #expect(ringOut.callReference == offHook.callReference)
            #expect(ringOut.calledParty == bobNumber)

            try await bob.answer()
            let aliceCall = try await alice.waitForCall(.connected, timeout: TestServer.timeout)
            let bobCall = try await bob.waitForCall(.connected, timeout: TestServer.timeout)
            #expect(aliceCall.callReference != bobCall.callReference)
            try await alice.waitForRTP(packets: 10, callReference: aliceCall.callReference, timeout: TestServer.timeout)
            try await bob.waitForRTP(packets: 10, callReference: bobCall.callReference, timeout: TestServer.timeout)
            let during = try await server.status()
            #expect(during.activeCalls == 1)
            #expect(during.activeLegs == 2)
            #expect(during.activeMediaStreams == 2)

            switch c.hangUp {
            case .callerOnHook: try await alice.onHook()
            case .calleeOnHook: try await bob.onHook()
            case .callerEndCall: try await alice.endCall()
            case .calleeEndCall: try await bob.endCall()
            }
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await bob.waitForIdle(timeout: TestServer.timeout)
            for phone in [alice, bob] {
                let state = try await phone.state()
                let ended = try #require(state.endedCalls.last)
                #expect(ended.state == .onHook)
                #expect(!ended.isReceiving)
                #expect(ended.transmittingTo == nil)
                #expect(state.rtpPacketsInvalid == 0)
                #expect(state.connection == .registered)
            }
            try await server.waitUntilClean(registered: 2)

            // Every message came with the header version of the negotiated version (0 below v10), except
            // KeepAliveAck, RegisterAck and UnregisterAck, which always carry 0 (reference §2.1).
            for (phone, version) in [(alice, c.callerVersion), (bob, c.calleeVersion)] {
                let expected = SkinnyProtocolVersion(version).headerVersion
                let alwaysBasic: Set<SkinnyMessageID> = [.keepAliveAck, .registerAck, .unregisterAck]
                let wrong = try await phone.history().filter {
                    !alwaysBasic.contains($0.message.id) && $0.headerVersion != expected
                }
                #expect(wrong.isEmpty, "v\(version) phone got header versions \(wrong.map(\.headerVersion))")
            }
            try await alice.disconnect()
            try await bob.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }
}
