import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct WaitTests {
    @Test func aWaitSeesAMessageThatArrivedBeforeItBegan() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x701)))
        let mark = try await phone.mark()
        try await connection.send(.callState(.init(.ringIn, lineInstance: 1, callReference: 3)))
        try await phone.waitForRinging()
        // Already arrived: found in the history after the mark, at once.
        let message = try await phone.waitForCallState(.ringIn, since: .mark(mark), timeout: .milliseconds(100))
        #expect(message.callReference == 3)
        // `.now` only takes what comes next.
        await #expect(throws: SkinnyPhoneError.self) {
            try await phone.waitForCallState(.ringIn, since: .now, timeout: .milliseconds(100))
        }
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func aWaitTimesOutWithWhatArrivedInstead() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, _) = try await registeredPhone(fake, .init(deviceName: deviceName(0x702)))
        let start = ContinuousClock.now
        let error = await #expect(throws: SkinnyPhoneError.self) {
            try await phone.waitForCallState(.connected, timeout: .milliseconds(200))
        }
        // Far below any default wait: the 200 ms timeout ended it (with room for a busy test process).
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .timedOut)
        #expect(error?.text.contains("CallState Connected") == true)
        #expect(error?.text.contains("TimeDateRes") == true)
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func cancellingAWaitEndsItPromptly() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, _) = try await registeredPhone(fake, .init(deviceName: deviceName(0x703)))
        let task = Task { try await phone.waitForRinging(timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Far below the wait's 60 s: cancelling ended it.
        #expect(ContinuousClock.now - start < .seconds(8))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func closingTheConnectionFailsWaiters() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x704)))
        let waiting = Task { try await phone.waitForRinging(timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(50))
        connection.channel.close(promise: nil)
        let error = await #expect(throws: SkinnyPhoneError.self) { _ = try await waiting.value }
        #expect(error?.code == .connectionClosed)
        await #expect(throws: SkinnyPhoneError.self) { try await phone.offHook() }
        try await fake.stop()
    }

    @Test func historyIsBounded() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x705), historyCapacity: 4)
        )
        for reference in 1...10 as ClosedRange<UInt32> {
            try await connection.send(.setLamp(.init(.line, instance: reference, mode: .on)))
        }
        try await phone.waitForState("10 lamps") { $0.lamps.count == 10 ? () : nil }
        let history = try await phone.history()
        #expect(history.count == 4)
        #expect(history.map(\.sequence) == Array((history[0].sequence)...(history[0].sequence + 3)))
        try await phone.disconnect()
        try await fake.stop()
    }
}
