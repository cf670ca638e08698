import CallControl
import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import Testing

/// Auto-registration and the stored directory across server restarts, and registrations the server refuses.
@Suite struct RegistrationTests {
    @Test func anAutoRegisteredPhoneKeepsItsNumberAcrossARestart() async throws {
        let first = try await TestServer.start()
        let dataDirectory = first.dataDirectory
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let alice = Calls.deviceName(0xA1)
        let bob = Calls.deviceName(0xB2)
        do {
            let (alicePhone, aliceNumber) = try await first.registeredPhone(alice)
            let (bobPhone, bobNumber) = try await first.registeredPhone(bob)
            #expect(aliceNumber == "1000")
            #expect(bobNumber == "1001")
            try await alicePhone.disconnect()
            try await bobPhone.disconnect()
            await first.stop(keepingData: true)
        } catch {
            await first.stop(keepingData: true)
            throw error
        }

        let second = try await TestServer.start(dataDirectory: dataDirectory)
        do {
            // Bob comes back first this time: he still gets his own number, not the lowest free one.
            let (_, bobNumber) = try await second.registeredPhone(bob, version: 17)
            let (_, aliceNumber) = try await second.registeredPhone(alice, version: 5)
            let (_, carolNumber) = try await second.registeredPhone(Calls.deviceName(0xC3))
            #expect(bobNumber == "1001")
            #expect(aliceNumber == "1000")
            #expect(carolNumber == "1002")
            await second.stop(keepingData: true)
        } catch {
            await second.stop(keepingData: true)
            throw error
        }
        // All three are in the database for the next start.
        let store = Store(database: try StrowgerDatabase(directory: dataDirectory))
        let devices = try await store.devices()
        for name in [alice, bob, Calls.deviceName(0xC3)] {
            #expect(devices.contains { $0.name == name && $0.isAutoRegistered })
        }
    }

    @Test func withoutAutoRegistrationAnUnknownDeviceIsRejectedAndAKnownOneRegisters() async throws {
        let directory = """
            { "devices": [ { "name": "SEP00000000D001", "lines": ["4001"],
                             "speedDials": [ { "index": 1, "number": "4002", "label": "Reception" } ] } ],
              "lines": [ { "number": "4001", "displayName": "Front Desk" } ] }
            """
        try await TestServer.with(autoRegistration: false, directoryJSON: directory) { server in
            let unknown = try await server.phone(Calls.deviceName(0xE1))
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await unknown.register(timeout: TestServer.timeout)
            }
            #expect(error?.code == .registerRejected)
            #expect(error?.text == "Unknown device")
            try await unknown.waitForDisconnect(timeout: TestServer.timeout)

            let known = try await server.phone("SEP00000000D001", version: 17)
            let registration = try await known.register(timeout: TestServer.timeout)
            #expect(registration.lines.map(\.directoryNumber) == ["4001"])
            #expect(registration.lines.first?.displayName == "Front Desk")
            #expect(registration.speedDials.map(\.number) == ["4002"])
            #expect(registration.speedDials.first?.name == "Reception")
            try await server.waitUntilClean(registered: 1)
        }
    }

    /// ServerRes names the address and port the phone actually reached, even when the listener was bound to port 0.
    @Test func serverResNamesTheAddressAndPortThePhoneReached() async throws {
        try await TestServer.with { server in
            let (phone, _) = try await server.registeredPhone(Calls.deviceName(0xD5))
            try await phone.send(.serverReq)
            let response = try await phone.waitFor("ServerRes", timeout: TestServer.timeout) { message in
                if case .serverRes(let response) = message { return response }
                return nil
            }
            #expect(response.servers.first?.name == "Strowger")
            #expect(response.servers.first?.port == UInt32(server.port))
            #expect(response.servers.first?.address == .ipv4(127, 0, 0, 1))
        }
    }

    @Test func aNameThatIsNotSEPAndAMACIsRejected() async throws {
        try await TestServer.with { server in
            let phone = try await server.phone("NOTAPHONE")
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await phone.register(timeout: TestServer.timeout)
            }
            #expect(error?.code == .registerRejected)
            #expect(error?.text == "Invalid device name")
            try await phone.waitForDisconnect(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 0)
        }
    }

    @Test func unregisterEndsTheSessionAndFreesTheName() async throws {
        try await TestServer.with { server in
            let name = Calls.deviceName(0xA1)
            let (phone, number) = try await server.registeredPhone(name)
            try await phone.unregister(timeout: TestServer.timeout)
            try await server.waitUntilClean(registered: 0)
            // The same device registers again at once, with its number.
            let (_, again) = try await server.registeredPhone(name)
            #expect(again == number)
        }
    }
}
