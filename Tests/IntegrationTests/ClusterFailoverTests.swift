import Foundation
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import StrowgerApp
import Testing

/// Failover and fallback between two Strowger nodes, each with its own SQLite database: a `FailoverPhone` with both
/// in its CallManager list, the same device and line configured on both so that it keeps its number (issue 19
/// item 4).
@Suite struct ClusterFailoverTests {
    static let alice = "SEP0000000F1001"
    static let bob = "SEP0000000F1002"
    static let aliceNumber = "3001"
    static let bobNumber = "3002"
    /// The servers' keepalive, short so that a lost node is noticed in seconds.
    static let keepAliveSeconds = 2

    /// Configures `device` with line `number` on `server`, as an administrator does on every node of the group.
    static func provision(_ server: TestServer, device: String, number: String) async throws {
        let store = server.application.store
        try await store.insert(LineRecord(number: number))
        try await store.save(DeviceRecord(name: device), lines: [number], speedDials: nil)
        try await server.waitUntilRouted(number, to: device)
    }

    static func standbyConnections(_ server: TestServer) -> Int {
        server.application.sccpListener.connectionGuard.statistics().standbyConnections
    }

    @Test func aPhoneFailsOverToItsStandbyKeepsItsNumberAndReturnsWhenIdle() async throws {
        var first = try await TestServer.start(keepAliveSeconds: Self.keepAliveSeconds)
        let second = try await TestServer.start(keepAliveSeconds: Self.keepAliveSeconds)
        var failoverPhone: FailoverPhone?
        var bob: SkinnyPhone?
        do {
            for server in [first, second] {
                try await Self.provision(server, device: Self.alice, number: Self.aliceNumber)
                try await Self.provision(server, device: Self.bob, number: Self.bobNumber)
            }
            let firstPort = first.port
            let phone = try await FailoverPhone.start(
                callManagers: [
                    .init(host: "127.0.0.1", port: first.port), .init(host: "127.0.0.1", port: second.port),
                ],
                configuration: .init(deviceName: Self.alice),
                policy: .init(fallbackProbeInterval: .milliseconds(300), registerTimeout: TestServer.timeout),
                group: MultiThreadedEventLoopGroup.singleton
            )
            failoverPhone = phone
            #expect(await phone.status().registered == 0)
            #expect(try await phone.phone().state().registration?.lines.first?.directoryNumber == Self.aliceNumber)
            #expect(try await first.isRegistered(Self.alice))
            // The standby connection to the second node: answered and kept, not registered.
            try await Eventually.wait("a standby connection on the second node") {
                Self.standbyConnections(second) == 1 ? () : nil
            }
            #expect(await phone.status().standby == 1)
            #expect(try await !second.isRegistered(Self.alice))

            // The first node dies: the phone registers with the second within three keepalive intervals, same number.
            let clock = ContinuousClock()
            let lostAt = clock.now
            await first.stop(keepingData: true)
            let onSecond = try await phone.waitForRegistration(on: 1, timeout: TestServer.timeout)
            let took = clock.now - lostAt
            #expect(took < .seconds(3 * Self.keepAliveSeconds), "failover took \(took)")
            #expect(try await onSecond.state().registration?.lines.first?.directoryNumber == Self.aliceNumber)
            #expect(await phone.status().failovers == 1)
            #expect(try await second.isRegistered(Self.alice))
            // It registered on its standby connection.
            #expect(Self.standbyConnections(second) == 0)

            // Calls both ways with a phone on the second node.
            let (bobPhone, bobNumber) = try await second.registeredPhone(Self.bob)
            bob = bobPhone
            #expect(bobNumber == Self.bobNumber)
            try await Calls.establish(
                from: onSecond,
                to: bobPhone,
                number: Self.bobNumber,
                callerNumber: Self.aliceNumber
            )
            try await onSecond.onHook()
            try await onSecond.waitForIdle(timeout: TestServer.timeout)
            try await bobPhone.waitForIdle(timeout: TestServer.timeout)
            // Bob calls Alice and the call stays up while the first node returns.
            try await Calls.establish(
                from: bobPhone,
                to: onSecond,
                number: Self.aliceNumber,
                callerNumber: Self.bobNumber
            )

            first = try await TestServer.start(
                keepAliveSeconds: Self.keepAliveSeconds,
                dataDirectory: first.dataDirectory
            ) { $0.sccpPort = firstPort }
            // Several probe intervals pass: a phone in a call does not move.
            try await Task.sleep(for: .seconds(2))
            #expect(await phone.status().registered == 1)
            #expect(await phone.status().fallbacks == 0)
            #expect(try await onSecond.state().calls.count == 1)
            #expect(try await !first.isRegistered(Self.alice))

            // Bob hangs up: once idle the phone unregisters from the second node and registers with the first.
            try await bobPhone.onHook()
            try await bobPhone.waitForIdle(timeout: TestServer.timeout)
            let onFirst = try await phone.waitForRegistration(on: 0, timeout: TestServer.timeout)
            #expect(await phone.status().fallbacks == 1)
            #expect(try await onFirst.state().registration?.lines.first?.directoryNumber == Self.aliceNumber)
            #expect(try await first.isRegistered(Self.alice))
            try await Eventually.wait("the phone left the second node") {
                try await second.isRegistered(Self.alice) ? nil : ()
            }
            // And it keeps a standby connection to the second node again.
            try await Eventually.wait("the standby connection back on the second node") {
                Self.standbyConnections(second) == 1 ? () : nil
            }
        } catch {
            await failoverPhone?.stop()
            try? await bob?.disconnect()
            await first.stop()
            await second.stop()
            throw error
        }
        await failoverPhone?.stop()
        try? await bob?.disconnect()
        await first.stop()
        await second.stop()
    }
}
