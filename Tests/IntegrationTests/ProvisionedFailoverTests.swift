import AdminHTTP
import Foundation
import NIOPosix
import SkinnyPhone
import Testing

/// A failover phone that takes its CallManager list from its configuration file, as a Cisco phone does: it fetches
/// `SEP<MAC>.cnf.xml` over TFTP from a real Strowger server whose database holds a CallManager group of two nodes
/// (configured through the admin API), reads the group's members in order, registers with the first and fails over
/// to the second (issue 19 item 4).
@Suite struct ProvisionedFailoverTests {
    static let device = "SEP0000000F2001"
    static let number = "3201"

    /// The line and the device on `server`, the device naming `group` when given.
    static func provision(_ client: AdminClient, group: String?) async throws {
        _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: Self.number), as: AdminAPI.Line.self)
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: Self.device, callManagerGroup: group, lines: [Self.number]),
            as: AdminAPI.Device.self
        )
    }

    static func member(_ server: TestServer) -> AdminAPI.CallManagerGroupMember {
        AdminAPI.CallManagerGroupMember(host: "127.0.0.1", sccpPort: server.port, sccpsPort: server.sccpsPort)
    }

    @Test func thePhoneReadsTheGroupFromItsCnfXMLInOrderAndFailsOverAlongIt() async throws {
        var first: TestServer?
        var second: TestServer?
        var phone: FailoverPhone?
        do {
            let a = try await TestServer.start(keepAliveSeconds: 2)
            first = a
            let b = try await TestServer.start(keepAliveSeconds: 2)
            second = b
            let client = try await a.adminClient()
            try await client.setCallManagerGroup(named: "Pair", members: [Self.member(a), Self.member(b)])
            try await Self.provision(client, group: "Pair")
            try await Self.provision(try await b.adminClient(), group: nil)
            let group = MultiThreadedEventLoopGroup.singleton

            let provisioned = try await FailoverPhone.provisionedGroup(
                deviceName: Self.device,
                tftpHost: "127.0.0.1",
                tftpPort: a.tftpPort,
                group: group
            )
            #expect(provisioned.fileName == "\(Self.device).cnf.xml")
            #expect(provisioned.name == "Pair")
            #expect(
                provisioned.callManagers == [
                    .init(host: "127.0.0.1", port: a.port), .init(host: "127.0.0.1", port: b.port),
                ]
            )

            // The group's order changed on the server: the very next file says so.
            try await client.setCallManagerGroup(named: "Pair", members: [Self.member(b), Self.member(a)])
            let reversed = try await FailoverPhone.provisionedGroup(
                deviceName: Self.device,
                tftpHost: "127.0.0.1",
                tftpPort: a.tftpPort,
                group: group
            )
            #expect(reversed.callManagers.map(\.port) == [b.port, a.port])

            // A phone the server has no file for reads XMLDefault.cnf.xml, as an auto-registering phone does: the
            // server's own list (this server alone).
            let unknown = try await FailoverPhone.provisionedGroup(
                deviceName: "SEP0000000F2FFF",
                tftpHost: "127.0.0.1",
                tftpPort: a.tftpPort,
                group: group
            )
            #expect(unknown.fileName == "XMLDefault.cnf.xml")
            #expect(unknown.callManagers == [.init(host: "127.0.0.1", port: a.port)])

            // Back to A first; the phone starts from its file, registers on A with a standby on B, and fails over
            // to B when A stops.
            try await client.setCallManagerGroup(named: "Pair", members: [Self.member(a), Self.member(b)])
            let started = try await FailoverPhone.start(
                tftpHost: "127.0.0.1",
                tftpPort: a.tftpPort,
                configuration: .init(deviceName: Self.device),
                policy: .init(registerTimeout: TestServer.timeout),
                group: group
            )
            phone = started
            #expect(await started.callManagers.map(\.port) == [a.port, b.port])
            #expect(await started.status().registered == 0)
            #expect(try await started.phone().state().registration?.lines.first?.directoryNumber == Self.number)
            try await Eventually.wait("the standby connection to B") {
                await started.status().standby == 1 ? () : nil
            }
            await a.stop()
            first = nil
            let onB = try await started.waitForRegistration(on: 1, timeout: TestServer.timeout)
            #expect(try await onB.state().registration?.lines.first?.directoryNumber == Self.number)
            #expect(try await b.isRegistered(Self.device))
        } catch {
            await phone?.stop()
            await first?.stop()
            await second?.stop()
            throw error
        }
        await phone?.stop()
        await first?.stop()
        await second?.stop()
    }

    /// No file and no default file (auto-registration off): a clear error, not a phone with an empty list.
    @Test func aServerWithoutAFileForThePhoneGivesAProvisioningError() async throws {
        try await TestServer.with(autoRegistration: false) { server in
            do {
                let group = try await FailoverPhone.provisionedGroup(
                    deviceName: "SEP0000000F2EEE",
                    tftpHost: "127.0.0.1",
                    tftpPort: server.tftpPort,
                    group: MultiThreadedEventLoopGroup.singleton
                )
                Issue.record("read \(group) from a server with no file")
            } catch let error as SkinnyPhoneError {
                #expect(error.code == .provisioningFailed)
                #expect(error.text.contains("XMLDefault.cnf.xml"), "\(error)")
            }
        }
    }
}
