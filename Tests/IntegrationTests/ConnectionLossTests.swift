import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Testing

/// Phones that go away: a connection dropped mid-call, keepalive expiry, and a device name taken over by a new
/// connection.
@Suite struct ConnectionLossTests {
    enum Drop: String, Sendable, CustomTestStringConvertible {
        case callerResets = "the caller's connection is reset"
        case calleeResets = "the callee's connection is reset"
        case callerCloses = "the caller's connection is closed"

        var testDescription: String { self.rawValue }
    }

    @Test(arguments: [Drop.callerResets, .calleeResets, .callerCloses])
    func aConnectionDroppedMidCallReturnsTheOtherPhoneToIdle(_ drop: Drop) async throws {
        try await TestServer.with { server in
            let aliceName = Calls.deviceName(0xA1)
            let bobName = Calls.deviceName(0xB2)
            let (alice, aliceNumber) = try await server.registeredPhone(aliceName, version: 17)
            let (bob, bobNumber) = try await server.registeredPhone(bobName, version: 11)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)

            let (dropped, droppedName, survivor) =
                drop == .calleeResets ? (bob, bobName, alice) : (alice, aliceName, bob)
            switch drop {
            case .callerResets, .calleeResets: try await dropped.abort()
            case .callerCloses: try await dropped.disconnect()
            }
            try await survivor.waitForIdle(timeout: TestServer.timeout)
            let ended = try #require(try await survivor.state().endedCalls.last)
            #expect(!ended.isReceiving)
            #expect(ended.transmittingTo == nil)
            try await server.waitUntilClean(registered: 1)
            #expect(try await !server.isRegistered(droppedName))

            // The survivor's RTP has stopped and it can still place calls: to itself it is busy.
            let survivorNumber = drop == .calleeResets ? aliceNumber : bobNumber
            try await survivor.offHook()
            try await survivor.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await survivor.dial(survivorNumber)
            try await survivor.waitForCallState(.busy, timeout: TestServer.timeout)
            try await survivor.onHook()
            try await survivor.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func aCalleeDroppedWhileRingingReturnsTheCallerToIdle() async throws {
        try await TestServer.with { server in
            let (alice, _) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 22)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 5)
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial(bobNumber)
            try await bob.waitForRinging(timeout: TestServer.timeout)
            try await alice.waitForCall(.ringOut, timeout: TestServer.timeout)
            try await bob.abort()
            try await alice.waitForIdle(timeout: TestServer.timeout)
            #expect(try await alice.state().endedCalls.last?.tone == nil)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func aPhoneDroppedWhileDiallingLeavesNoTimerBehind() async throws {
        try await TestServer.with { server in
            let (alice, _) = try await server.registeredPhone(Calls.deviceName(0xA1))
            _ = try await server.registeredPhone(Calls.deviceName(0xB2))
            try await alice.offHook()
            try await alice.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await alice.dial("10")
            // The interdigit timer (or the off-hook timer) runs while the number is incomplete.
            try await server.waitForStatus("a dialling leg with its timer") {
                $0.activeLegs == 1 && $0.activeTimers >= 1
            }
            try await alice.abort()
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func unregisterDuringACallEndsItForTheOtherPhone() async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1), version: 11)
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), version: 17)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            try await bob.unregister(timeout: TestServer.timeout)
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func anOversizedFrameMidCallCostsOnlyTheSenderItsConnection() async throws {
        try await TestServer.with { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1))
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2))
            let (carol, carolNumber) = try await server.registeredPhone(Calls.deviceName(0xC3))
            let (dave, daveNumber) = try await server.registeredPhone(Calls.deviceName(0xD4))
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            try await Calls.establish(from: carol, to: dave, number: daveNumber, callerNumber: carolNumber)

            // A frame longer than the server's 8 KiB limit, written past the phone's own session.
            let frame = SkinnyFrame(
                headerVersion: 0,
                id: .keypadButton,
                body: ByteBuffer(repeating: 0, count: 9000)
            )
            try await alice.channel.writeAndFlush(frame)
            try await alice.waitForDisconnect(timeout: TestServer.timeout)
            try await bob.waitForIdle(timeout: TestServer.timeout)
            try await server.waitForStatus("only Carol and Dave's call left") {
                $0.registeredDevices == 3 && $0.activeCalls == 1 && $0.activeMediaStreams == 2
            }
            // Carol and Dave still talk.
            let count = try await carol.state().rtpPacketsReceived
            try await carol.waitForRTP(packets: count + 10, timeout: TestServer.timeout)
            #expect(try await carol.state().activeCall?.state == .connected)
            try await dave.onHook()
            try await carol.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 3)
        }
    }

    @Test func stoppingTheServerClosesEveryPhoneConnection() async throws {
        let server = try await TestServer.start()
        do {
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1))
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2))
            let (carol, _) = try await server.registeredPhone(Calls.deviceName(0xC3))
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            await server.stop()
            for phone in [alice, bob, carol] {
                try await phone.waitForDisconnect(timeout: TestServer.timeout)
            }
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test func aSilentPhoneIsDroppedAfterTwiceTheKeepAliveAndAChattyOneStays() async throws {
        try await TestServer.with(keepAliveSeconds: 1) { server in
            let silentName = Calls.deviceName(0x51)
            let (chatty, _) = try await server.registeredPhone(Calls.deviceName(0xC1))
            let silent = try await server.phone(silentName, keepAlive: .disabled)
            let registration = try await silent.register(timeout: TestServer.timeout)
            #expect(registration.keepAliveInterval == 1)
            let clock = ContinuousClock()
            let registered = clock.now
            try await silent.waitForDisconnect(timeout: TestServer.timeout)
            let elapsed = clock.now - registered
            // The deadline is 2 × 1 s from the phone's last message, which it sent before registration finished.
            #expect(elapsed >= .milliseconds(1500), "dropped after \(elapsed)")
            #expect(elapsed < .seconds(10), "dropped after \(elapsed)")
            try await server.waitUntilClean(registered: 1)
            #expect(try await !server.isRegistered(silentName))

            // The phone that keeps its keepalive has outlived the silent one's deadline.
            let state = try await chatty.state()
            #expect(state.connection == .registered)
            #expect(state.keepAliveAcks >= 1)
            #expect(try await server.isRegistered(Calls.deviceName(0xC1)))
        }
    }

    @Test func aSilentPhoneInACallIsDroppedAndTheOtherReturnsToIdle() async throws {
        // Keepalive 2 s: the silent phone must live through its registration (its RegisterAck waits until its
        // auto-registration is saved, which on a loaded machine can take a second) and the call's set-up.
        try await TestServer.with(keepAliveSeconds: 2) { server in
            let (alice, aliceNumber) = try await server.registeredPhone(Calls.deviceName(0xA1))
            let (bob, bobNumber) = try await server.registeredPhone(Calls.deviceName(0xB2), keepAlive: .disabled)
            try await Calls.establish(from: alice, to: bob, number: bobNumber, callerNumber: aliceNumber)
            try await bob.waitForDisconnect(timeout: TestServer.timeout)
            try await alice.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func aSecondConnectionCannotTakeOverALiveRegistration() async throws {
        // Keepalive 2 s: the first connection counts as alive while heard from within 3 s, and is dropped after
        // 4 s of silence.
        try await TestServer.with(keepAliveSeconds: 2) { server in
            let name = Calls.deviceName(0xA1)
            let (first, number) = try await server.registeredPhone(name)
            // Longer than both windows: only its keepalives keep the first connection registered.
            try await Task.sleep(for: .milliseconds(4500))
            #expect(try await first.state().connection == .registered)

            let second = try await server.phone(name)
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await second.register(timeout: TestServer.timeout)
            }
            #expect(error?.code == .registerRejected)
            #expect(error?.text == "Device already registered")
            try await second.waitForDisconnect(timeout: TestServer.timeout)

            // The first connection is untouched and still works.
            #expect(try await first.state().connection == .registered)
            #expect(try await server.isRegistered(name))
            let status = try await server.status()
            #expect(status.registeredDevices == 1)
            #expect(status.sessions == 1 + TestServer.serviceSessions)
            try await first.offHook()
            try await first.waitForCallState(.offHook, timeout: TestServer.timeout)
            try await first.dial(number)
            try await first.waitForCallState(.busy, timeout: TestServer.timeout)
            try await first.onHook()
            try await first.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 1)
        }
    }

    @Test func aNewConnectionTakesOverASilentRegistration() async throws {
        try await TestServer.with(keepAliveSeconds: 2) { server in
            let name = Calls.deviceName(0xA1)
            let (caller, callerNumber) = try await server.registeredPhone(Calls.deviceName(0xC1))
            let (first, number) = try await server.registeredPhone(name, keepAlive: .disabled)
            // Silent for more than 1.5 × 2 s: the host considers it dead (its 4 s read deadline may or may not
            // have fired yet; either way the new connection must win).
            try await Task.sleep(for: .milliseconds(3300))

            let (second, secondNumber) = try await server.registeredPhone(name)
            #expect(secondNumber == number)
            try await first.waitForDisconnect(timeout: TestServer.timeout)
            try await server.waitForStatus("one registration per device") {
                $0.registeredDevices == 2 && $0.sessions == 2 + TestServer.serviceSessions
            }
            #expect(try await server.isRegistered(name))

            // Calls to the number reach the new connection.
            try await Calls.establish(from: caller, to: second, number: number, callerNumber: callerNumber)
            try await caller.onHook()
            try await second.waitForIdle(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 2)
        }
    }
}
