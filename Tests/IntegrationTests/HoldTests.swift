import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Testing

/// Hold closes both media streams and the held party hears music on hold from the media server; resume opens new
/// ones and RTP flows both ways again (call-flows §7). The music itself is checked in MediaCallTests.
@Suite struct HoldTests {
    /// Waits for CloseReceiveChannel and StopMediaTransmission after `mark`, and until no stream is open.
    static func waitForMediaClosed(_ phone: SkinnyPhone, since mark: SkinnyPhone.Mark) async throws {
        _ = try await phone.waitFor("CloseReceiveChannel", since: .mark(mark), timeout: TestServer.timeout) {
            if case .closeReceiveChannel = $0 { true } else { false }
        }
        _ = try await phone.waitFor("StopMediaTransmission", since: .mark(mark), timeout: TestServer.timeout) {
            if case .stopMediaTransmission = $0 { true } else { false }
        }
        _ = try await phone.waitForState("no open stream", timeout: TestServer.timeout) { state in
            state.calls.values.allSatisfy { !$0.isReceiving && $0.transmittingTo == nil } ? () : nil
        }
    }

    /// Waits for the conversation's streams to close after `mark` and a receive-only stream (the music) to open.
    static func waitForMusic(_ phone: SkinnyPhone, since mark: SkinnyPhone.Mark) async throws {
        _ = try await phone.waitFor("StopMediaTransmission", since: .mark(mark), timeout: TestServer.timeout) {
            if case .stopMediaTransmission = $0 { true } else { false }
        }
        _ = try await phone.waitForState("a receive-only stream", timeout: TestServer.timeout) { state in
            state.calls.values.allSatisfy { $0.isReceiving && $0.transmittingTo == nil } ? () : nil
        }
    }

    @Test(arguments: [(UInt8(11), UInt8(11)), (17, 5)])
    func holdStopsMediaAndResumeRestartsIt(holderVersion: UInt8, otherVersion: UInt8) async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: holderVersion)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: otherVersion)
            let (aliceReference, bobReference) = try await Calls.establish(
                from: alice,
                to: bob,
                number: bobNumber,
                callerNumber: aliceNumber
            )

            let aliceMark = try await alice.mark()
            let bobMark = try await bob.mark()
            try await alice.hold()
            let held = try await alice.waitForCallState(.hold, timeout: TestServer.timeout)
            #expect(held.callReference == aliceReference)
            try await Self.waitForMediaClosed(alice, since: aliceMark)
            try await Self.waitForMusic(bob, since: bobMark)
            // One stream left: Bob's music.
            let status = try await server.waitForStatus("only the music while held") { $0.activeMediaStreams == 1 }
            #expect(status.activeCalls == 1)
            #expect(try await alice.state().lamps[SkinnyPhone.Lamp(.line, instance: held.lineInstance)] == .wink)
            // Bob's side of the call stays up (he hears music) and is not on hold on his screen.
            #expect(try await bob.state().calls[bobReference]?.state == .connected)

            // The conversation's RTP has stopped: Alice sends and receives nothing, Bob only receives the music.
            let before = (try await alice.state(), try await bob.state())
            try await Task.sleep(for: .milliseconds(300))
            let after = (try await alice.state(), try await bob.state())
            #expect(after.0.rtpPacketsSent == before.0.rtpPacketsSent)
            #expect(after.1.rtpPacketsSent == before.1.rtpPacketsSent)
            #expect(after.0.rtpPacketsReceived == before.0.rtpPacketsReceived)
            #expect(after.1.rtpPacketsReceived > before.1.rtpPacketsReceived)

            try await alice.resume()
            let resumed = try await alice.waitForCallState(.connected, timeout: TestServer.timeout)
            #expect(resumed.callReference == aliceReference)
            _ = try await alice.waitForState("the line lamp on", timeout: TestServer.timeout) {
                $0.lamps[SkinnyPhone.Lamp(.line, instance: held.lineInstance)] == .on ? () : nil
            }
            try await alice.waitForRTP(packets: after.0.rtpPacketsReceived + 10, timeout: TestServer.timeout)
            try await bob.waitForRTP(packets: after.1.rtpPacketsReceived + 10, timeout: TestServer.timeout)
            #expect(try await server.status().activeMediaStreams == 2)

            try await bob.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }

    @Test func whenBothSidesHoldMediaReturnsOnlyWhenBothResumed() async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 22)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 5)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            try await alice.hold()
            try await alice.waitForCallState(.hold, timeout: TestServer.timeout)
            // Bob hears Alice's music.
            try await server.waitForStatus("only the music while held") { $0.activeMediaStreams == 1 }
            try await bob.hold()
            try await bob.waitForCallState(.hold, timeout: TestServer.timeout)

            // Alice resumes: her screen shows the call again, but Bob still holds it, so she hears his music and
            // nothing flows between them.
            try await alice.resume()
            try await alice.waitForCall(.connected, timeout: TestServer.timeout)
            try await server.waitForStatus("only the music while held") { $0.activeMediaStreams == 1 }
            #expect(try await alice.state().calls.values.allSatisfy { $0.transmittingTo == nil })
            #expect(try await bob.state().heldCall != nil)

            let aliceCount = try await alice.state().rtpPacketsReceived
            let bobCount = try await bob.state().rtpPacketsReceived
            try await bob.resume()
            try await bob.waitForCall(.connected, timeout: TestServer.timeout)
            try await alice.waitForRTP(packets: aliceCount + 10, timeout: TestServer.timeout)
            try await bob.waitForRTP(packets: bobCount + 10, timeout: TestServer.timeout)
            try await alice.onHook()
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }

    @Test func hangingUpAHeldCallFromTheOtherSideClearsIt() async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 22)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 11)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            try await alice.hold()
            try await alice.waitForCallState(.hold, timeout: TestServer.timeout)
            try await server.waitForStatus("only the music while held") { $0.activeMediaStreams == 1 }
            try await bob.onHook()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }
}
