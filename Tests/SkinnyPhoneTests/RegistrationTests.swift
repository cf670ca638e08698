import NIOCore
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct RegistrationTests {
    @Test(arguments: [5, 11, 17, 22] as [UInt8])
    func registersAtVersion(_ version: UInt8) async throws {
        var script = FakeCallManager.Script()
        script.keepAliveInterval = 25
        script.lines = [
            .init(directoryNumber: "1001", displayName: "Alice"), .init(directoryNumber: "1002", displayName: "Bob"),
        ]
        script.speedDials = [("2000", "Voicemail")]
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let name = deviceName(0x100 + Int(version))
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: name, deviceType: .station7941, protocolVersion: version)
        )

        // What the phone learned.
        let state = try await phone.state()
        let registration = try #require(state.registration)
        #expect(state.connection == .registered)
        #expect(registration.negotiatedVersion == SkinnyProtocolVersion(version))
        #expect(registration.keepAliveInterval == 25)
        #expect(registration.lines.map(\.directoryNumber) == ["1001", "1002"])
        #expect(registration.lines.map(\.displayName) == ["Alice", "Bob"])
        #expect(registration.speedDials.map(\.number) == ["2000"])
        #expect(registration.speedDials.map(\.name) == ["Voicemail"])

        // What the phone sent.
        let frames = try await connection.frames()
        guard case .register(let register)? = frames.first?.message else {
            Issue.record("the first frame is not Register: \(String(describing: frames.first))")
            return
        }
        #expect(register.deviceName == name)
        #expect(register.deviceType == .station7941)
        #expect(register.protocolVersion == version)
        #expect(register.features == SkinnyPhone.defaultFeatures(forVersion: version))
        #expect(register.features.contains(.dynamicMessages) == (version >= 8))
        #expect(register.features.contains(.utf8) == (version >= 17))
        #expect(register.stationIPAddress == .ipv4(127, 0, 0, 1))
        #expect(frames.first?.headerVersion == 0)

        // Everything after RegisterAck carries the negotiated version's header value (0 below v10).
        let expectedHeader = SkinnyProtocolVersion(version).headerVersion
        for frame in frames.dropFirst() {
            #expect(frame.headerVersion == expectedHeader, "\(frame.message.id)")
        }
        let ids = frames.map(\.message.id)
        let expected: [SkinnyMessageID] = [
            .buttonTemplateReq, .softKeyTemplateReq, .softKeySetReq, .configStatReq, .capabilitiesRes, .lineStatReq,
            .speedDialStatReq, .forwardStatReq, .registerAvailableLines, .timeDateReq,
        ]
        for id in expected {
            #expect(ids.contains(id), "missing \(id)")
        }
        #expect(ids.last == .timeDateReq)
        let lineRequests = frames.compactMap { if case .lineStatReq(let m) = $0.message { m.lineNumber } else { nil } }
        let forwardRequests = frames.compactMap {
            if case .forwardStatReq(let m) = $0.message { m.lineNumber } else { nil }
        }
        #expect(lineRequests == [1, 2])
        #expect(forwardRequests == [1, 2])
        let template = try #require(ids.firstIndex(of: .buttonTemplateReq))
        let firstLine = try #require(ids.firstIndex(of: .lineStatReq))
        #expect(template < firstLine)
        let available = frames.compactMap {
            if case .registerAvailableLines(let m) = $0.message { m.maxNumberOfAvailableLines } else { nil }
        }
        #expect(available == [2])
        let capabilities = frames.compactMap {
            if case .capabilitiesRes(let m) = $0.message { m.capabilities.map(\.codec) } else { nil }
        }
        #expect(capabilities == [[.g711ULaw64k, .g711ALaw64k, .g729]])

        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func negotiatesDownToTheCallManagersVersion() async throws {
        var script = FakeCallManager.Script()
        script.maximumVersion = 11
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x201), protocolVersion: 22)
        )
        #expect(try await phone.state().negotiatedVersion == .v11)
        let frames = try await connection.frames()
        #expect(frames.dropFirst().allSatisfy { $0.headerVersion == 11 })
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func registerRejectThrowsWithItsText() async throws {
        var script = FakeCallManager.Script()
        script.rejectText = "Device Unknown"
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let phone = try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: fake.port,
            configuration: .init(deviceName: deviceName(0x202)),
            group: testGroup
        )
        let error = await #expect(throws: SkinnyPhoneError.self) { try await phone.register(timeout: .seconds(5)) }
        #expect(error?.code == .registerRejected)
        #expect(error?.text == "Device Unknown")
        try await phone.waitForDisconnect()
        try await fake.stop()
    }

    @Test func registrationTimesOutWhenTheCallManagerIsSilent() async throws {
        var script = FakeCallManager.Script()
        script.silent = true
        let fake = try await FakeCallManager.start(group: testGroup, script: script)
        let phone = try await SkinnyPhone.connect(
            host: "127.0.0.1",
            port: fake.port,
            configuration: .init(deviceName: deviceName(0x203)),
            group: testGroup
        )
        let start = ContinuousClock.now
        let error = await #expect(throws: SkinnyPhoneError.self) {
            try await phone.register(timeout: .milliseconds(300))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.text.contains("awaitingAck") == true)
        // Well before the default 10 s: the given timeout ended it (with room for a busy test process).
        #expect(ContinuousClock.now - start < .seconds(8))
        try await phone.disconnect()
        try await fake.stop()
    }

    @Test func connectFailsWithoutACallManager() async throws {
        // Bind and close a server to find a port nobody listens on.
        let fake = try await FakeCallManager.start(group: testGroup)
        let port = fake.port
        try await fake.stop()
        await #expect(throws: (any Error).self) {
            _ = try await SkinnyPhone.connect(
                host: "127.0.0.1",
                port: port,
                configuration: .init(deviceName: deviceName(0x204)),
                group: testGroup
            )
        }
    }
}
