import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct KeepAliveTests {
    @Test func keepsAliveAtTheRegisterAckInterval() async throws {
        var script = FakeCallManager.Script()
        script.keepAliveInterval = 1
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x301)))
        let registeredAt = ContinuousClock.now

        var times: [ContinuousClock.Instant] = []
        var after = -1
        for _ in 0..<3 {
            let frame = try await connection.waitFor(after: after, timeout: .seconds(3), "KeepAlive") { $0.isKeepAlive }
            times.append(frame.time)
            after = frame.index
        }
        // The first comes one interval after RegisterAck, which is earlier than the end of registration by however
        // long the rest of registration took (under load, hundreds of milliseconds): so only an upper bound here,
        // and the cadence from the gaps below.
        let first = try #require(times.first)
        #expect(first - registeredAt < .milliseconds(2000))
        // The timer keeps its cadence from RegisterAck (one late KeepAlive is followed by an early one): the third
        // is due 3 s after RegisterAck, a little less after the end of registration; late only by what a busy test
        // process adds, and never all at once.
        let last = try #require(times.last)
        #expect(
            last - registeredAt > .milliseconds(1500) && last - registeredAt < .seconds(6),
            "\(last - registeredAt)"
        )
        let acks = try await phone.waitForState("3 KeepAliveAcks") { $0.keepAliveAcks >= 3 ? $0.keepAliveAcks : nil }
        #expect(acks >= 3)
        #expect(try await phone.state().keepAlivesSent >= 3)
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func anOverriddenIntervalWinsOverRegisterAck() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)  // RegisterAck says 30 s
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x302), keepAlive: .every(.milliseconds(200)))
        )
        var after = -1
        for _ in 0..<3 {
            after = try await connection.waitFor(after: after, timeout: .seconds(2), "KeepAlive") { $0.isKeepAlive }
                .index
        }
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func aDisabledPhoneGoesSilent() async throws {
        var script = FakeCallManager.Script()
        script.keepAliveInterval = 1
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x303), keepAlive: .disabled)
        )
        let error = await #expect(throws: FakeError.self) {
            try await connection.waitFor(timeout: .milliseconds(1500), "KeepAlive") { $0.isKeepAlive }
        }
        #expect(error.map { "\($0)" }?.contains("KeepAlive") == true)
        #expect(try await phone.state().keepAlivesSent == 0)
        try await phone.disconnect()
        try await fake.stop()
    }
}
