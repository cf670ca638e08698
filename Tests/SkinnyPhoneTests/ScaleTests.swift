import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct ScaleTests {
    /// Many phones on one shared group register concurrently, as strowger-bench runs them: no threads or polling
    /// per phone, RTP and keepalive off, no history.
    @Test func manyPhonesRegisterConcurrentlyOnOneGroup() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let count = 200
        let phones = try await withThrowingTaskGroup(of: SkinnyPhone.self) { group in
            for index in 0..<count {
                group.addTask {
                    let configuration = SkinnyPhone.Configuration(
                        deviceName: deviceName(0x10000 + index),
                        keepAlive: .disabled,
                        rtp: .disabled,
                        historyCapacity: 0
                    )
                    let phone = try await SkinnyPhone.connect(
                        host: "127.0.0.1",
                        port: fake.port,
                        configuration: configuration,
                        group: testGroup
                    )
                    try await phone.register(timeout: .seconds(20))
                    return phone
                }
            }
            var phones: [SkinnyPhone] = []
            for try await phone in group {
                phones.append(phone)
            }
            return phones
        }
        #expect(phones.count == count)
        for phone in phones {
            #expect(try await phone.state().registration?.lines.first?.directoryNumber == "1001")
        }
        // State waits work without history.
        let first = try #require(phones.first)
        let connection = try await fake.connection(first.deviceName)
        try await connection.send(.callState(.init(.ringIn, lineInstance: 1, callReference: 1)))
        #expect(try await first.waitForRinging().callReference == 1)
        #expect(try await first.history().isEmpty)
        for phone in phones {
            try await phone.disconnect()
        }
        try await fake.stop()
    }

    /// Load generators spread phones over loopback sources: `localAddress` binds the connection before it connects.
    @Test func aPhoneConnectsFromItsLocalAddress() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        var configuration = SkinnyPhone.Configuration(
            deviceName: deviceName(0x20001),
            keepAlive: .disabled,
            rtp: .disabled,
            historyCapacity: 0
        )
        configuration.localAddress = "127.0.0.2"
        let phone = try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: fake.port,
            configuration: configuration,
            group: testGroup
        )
        #expect(phone.channel.localAddress?.ipAddress == "127.0.0.2")
        try await phone.register()
        try await phone.disconnect()
        try await fake.stop()
    }
}
