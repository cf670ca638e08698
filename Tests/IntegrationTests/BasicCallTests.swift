import CallControl
import Foundation
import SkinnyPhone
import ServerNIO
import SkinnyWire
import StrowgerApp
import Testing

@Suite struct BasicCallTests {
    @Test func twoPhonesCallEachOther() async throws {
        let server = try await TestServer.start()
        let alice = try await server.phone("SEP000000001001")
        let bob = try await server.phone("SEP000000001002")
        let aliceRegistration = try await alice.register()
        let bobRegistration = try await bob.register()
        let bobNumber = try #require(bobRegistration.lines.first?.directoryNumber)
        #expect(aliceRegistration.lines.first?.directoryNumber == "1000")
        #expect(bobNumber == "1001")

        try await alice.offHook()
        _ = try await alice.waitForCallState(SkinnyCallState.offHook)
        try await alice.dial(bobNumber)
        _ = try await bob.waitForRinging()
        // Caller ID comes in the CallInfo that follows the RingIn state.
        let callerID = try await bob.waitForState("caller ID") { state in
            state.calls.values.first { $0.state == .ringIn && !$0.callingParty.isEmpty }?.callingParty
        }
        #expect(callerID == "1000")
        try await bob.answer()
        _ = try await alice.waitForCall(SkinnyCallState.connected)
        _ = try await alice.waitForRTP(packets: 10)
        _ = try await bob.waitForRTP(packets: 10)
        try await alice.onHook()
        _ = try await bob.waitForIdle()
        _ = try await alice.waitForIdle()
        let status = try await server.application.host.status()
        #expect(status.activeCalls == 0)
        #expect(status.activeMediaStreams == 0)
        await server.stop()
    }
}
