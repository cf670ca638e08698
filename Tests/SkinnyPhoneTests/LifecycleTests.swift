import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct LifecycleTests {
    @Test func abortResetsTheConnectionWithoutUnregister() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x401)))
        try await phone.abort()
        let record = try await connection.waitForClose()
        // SO_LINGER 0: the call manager reads a reset, not an orderly end of stream.
        let error = try #require(record.error)
        #expect(error.contains("reset") || error.contains("104"), "\(error)")
        let frames = try await connection.frames()
        #expect(!frames.contains { $0.message.id == .unregister })
        #expect(try await phone.state().connection == .closed)
        try await fake.stop()
    }

    @Test func disconnectClosesCleanlyWithoutUnregister() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x402)))
        try await phone.disconnect()
        let record = try await connection.waitForClose()
        #expect(record.error == nil)
        let frames = try await connection.frames()
        #expect(!frames.contains { $0.message.id == .unregister })
        try await fake.stop()
    }

    @Test func unregisterWaitsForTheAckThenCloses() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x403)))
        try await phone.unregister()
        #expect(try await phone.state().connection == .closed)
        try await connection.waitFor("Unregister") { $0.id == .unregister }
        #expect(try await connection.waitForClose().error == nil)
        try await fake.stop()
    }

    @Test func aRefusedUnregisterThrowsAndKeepsTheConnection() async throws {
        var script = FakeCallManager.Script()
        script.unregisterStatus = .notAcknowledged
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let (phone, _) = try await registeredPhone(fake, .init(deviceName: deviceName(0x404)))
        let error = await #expect(throws: SkinnyPhoneError.self) { try await phone.unregister() }
        #expect(error?.code == .unregisterRefused)
        #expect(try await phone.state().connection == .registered)
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func resetClosesTheConnection() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x405)))
        try await connection.send(.reset(.init(.restart)))
        try await phone.waitForDisconnect()
        #expect(try await phone.state().reset == .restart)
        try await fake.stop()
    }

    @Test func aMalformedMessageDropsTheConnectionWithTheWireError() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x406)))
        // A ButtonTemplateRes whose count claims 200 buttons of an array of 42.
        var body = ByteBuffer()
        body.writeMultipleIntegers(UInt32(0), UInt32(200), UInt32(200), endianness: .little)
        body.writeRepeatingByte(0, count: 84)
        try await connection.send(.unknown(SkinnyFrame(id: .buttonTemplateRes, body: body)))
        let error = await #expect(throws: SkinnyPhoneError.self) {
            try await phone.waitFor("anything", since: .now, timeout: .seconds(3)) { _ in false }
        }
        #expect(error?.code == .malformedMessage)
        #expect(error?.wireError?.code == .countOutOfRange)
        try await fake.stop()
    }
}
