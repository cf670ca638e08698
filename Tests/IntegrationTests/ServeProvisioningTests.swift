import AdminHTTP
import Foundation
import ServerNIO
import Store
import StrowgerApp
import Testing

/// TFTP and HTTP provisioning of the running server, with curl as the client: files generated from the Store (a
/// device made through the admin API), always current, parsed as XML; the CA certificate; refusals.
@Suite struct ServeProvisioningTests {
    static let device = "SEP00000000E701"
    /// A CallManager group of three nodes: explicit ports, an IPv6 node, and one that takes this server's ports.
    static let callManagers = [
        CallManagerAddress(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
        CallManagerAddress(host: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
        CallManagerAddress(host: "cm3.example.net"),
    ]

    func tftp(_ server: TestServer, _ file: String) -> String { "tftp://127.0.0.1:\(server.tftpPort)/\(file)" }
    func http(_ server: TestServer, _ file: String) -> String { "http://127.0.0.1:\(server.httpPort)/\(file)" }

    /// Fetches `file` over TFTP (with curl's default options, and with none) and over HTTP, checks that all three
    /// got the same bytes, and returns them.
    func fetchEverywhere(_ server: TestServer, _ file: String) async throws -> String {
        let tftp = try await Curl.fetch(self.tftp(server, file))
        #expect(tftp.status == 0, "curl tftp \(file): exit \(tftp.status)")
        let plain = try await Curl.fetch(self.tftp(server, file), ["--tftp-no-options"])
        #expect(plain.status == 0, "curl tftp --tftp-no-options \(file): exit \(plain.status)")
        let http = try await Curl.fetch(self.http(server, file))
        #expect(http.status == 0 && http.httpStatus == 200, "curl http \(file): exit \(http.status) \(http.httpStatus)")
        #expect(tftp.body == http.body)
        #expect(plain.body == http.body)
        return http.body
    }

    @Test func aDeviceMadeThroughTheAdminAPIGetsItsCnfXMLOverTFTPAndHTTP() async throws {
        try await TestServer.with(configure: { $0.callManagers = Self.callManagers }) { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post, "/api/devices",
                json: AdminAPI.Device(name: Self.device, model: "7942", securityMode: "encrypted"),
                as: AdminAPI.Device.self)
            let file = "\(Self.device).cnf.xml"
            let xml = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(xml.root == "device")
            #expect(
                xml.members == [
                    .init(priority: "0", processNodeName: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                    .init(priority: "1", processNodeName: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                    .init(
                        priority: "2", processNodeName: "cm3.example.net", sccpPort: server.port,
                        sccpsPort: server.sccpsPort),
                ])
            #expect(xml.values["deviceSecurityMode"] == "3")
            #expect(xml.values["transportLayerProtocol"] == "3")
            // The name's case does not matter (phones ask in upper case; people type either).
            let lower = try await Curl.fetch(self.tftp(server, "sep00000000e701.cnf.xml"))
            #expect(lower.status == 0)

            // Always current: a change through the API is in the very next fetch.
            var patch = AdminAPI.DevicePatch()
            patch.securityMode = "non-secure"
            _ = try await client.send(
                .patch, "/api/devices/\(Self.device)", json: patch, as: AdminAPI.Device.self)
            let changed = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(changed.values["deviceSecurityMode"] == "1")
            #expect(changed.values["transportLayerProtocol"] == "2")
            #expect(changed.values["versionStamp"] != xml.values["versionStamp"])

            // Removed: no longer served.
            try await client.delete("/api/devices/\(Self.device)")
            #expect(try await Curl.fetch(self.tftp(server, file)).status == Curl.tftpNotFound)
            #expect(try await Curl.fetch(self.http(server, file)).httpStatus == 404)
        }
    }

    @Test func blockSizeAndTransferSizeOptionsWork() async throws {
        try await TestServer.with { server in
            _ = try await server.application.store.insert(DeviceRecord(name: Self.device))
            let file = "\(Self.device).cnf.xml"
            let reference = try await Curl.fetch(self.http(server, file))
            for options in [["--tftp-blksize", "1024"], ["--tftp-blksize", "8"], ["--tftp-blksize", "65464"]] {
                let result = try await Curl.fetch(self.tftp(server, file), options)
                #expect(result.status == 0, "\(options): exit \(result.status)")
                #expect(result.body == reference.body, "\(options)")
            }
        }
    }

    @Test func xmlDefaultAndTheCACertificateAreServed() async throws {
        try await TestServer.with { server in
            // Without --callmanager: this server alone, at its bind address, on its own ports.
            let defaults = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, "XMLDefault.cnf.xml"))
            #expect(defaults.root == "Default")
            #expect(
                defaults.members == [
                    .init(
                        priority: "0", processNodeName: "127.0.0.1", sccpPort: server.port,
                        sccpsPort: server.sccpsPort)
                ])
            let ca = try await self.fetchEverywhere(server, "strowger-ca.pem")
            let onDisk = try String(
                contentsOf: server.dataDirectory.appendingPathComponent("ca-cert.pem"), encoding: .utf8)
            #expect(ca == onDisk)
            #expect(ca.hasPrefix("-----BEGIN CERTIFICATE-----"))

            // XMLDefault.cnf.xml exists only while auto-registration is on.
            var settings = try await server.application.store.settings()
            settings.autoRegistrationEnabled = false
            _ = try await server.application.store.update(settings)
            #expect(try await Curl.fetch(self.tftp(server, "XMLDefault.cnf.xml")).status == Curl.tftpNotFound)
            #expect(try await Curl.fetch(self.http(server, "XMLDefault.cnf.xml")).httpStatus == 404)
        }
    }

    @Test func traversalAndWritesAreRefused() async throws {
        try await TestServer.with { server in
            let traversal = try await Curl.fetch(self.tftp(server, "../etc/passwd"), ["--path-as-is"])
            #expect(traversal.status == Curl.tftpPermission)
            let absolute = try await Curl.fetch(self.tftp(server, "/etc/passwd"), ["--path-as-is"])
            #expect(absolute.status == Curl.tftpPermission)
            let httpTraversal = try await Curl.fetch(self.http(server, "../etc/passwd"), ["--path-as-is"])
            #expect(httpTraversal.httpStatus == 400)
            let encoded = try await Curl.fetch(self.http(server, "..%2fstrowger.db"), ["--path-as-is"])
            #expect(encoded.httpStatus == 400)

            let upload = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
            try Data("<device/>".utf8).write(to: upload)
            defer { try? FileManager.default.removeItem(at: upload) }
            let write = try await Curl.fetch(self.tftp(server, "\(Self.device).cnf.xml"), ["-T", upload.path])
            #expect(write.status == Curl.tftpPermission)
            let put = try await Curl.fetch(self.http(server, "\(Self.device).cnf.xml"), ["-T", upload.path])
            #expect(put.httpStatus == 405)
            // Nothing was written: the device still has no file.
            #expect(try await Curl.fetch(self.http(server, "\(Self.device).cnf.xml")).httpStatus == 404)
            #expect(server.application.httpListener.statistics().refused >= 3)
        }
    }

    @Test func theHTTPAllowListClosesOtherSources() async throws {
        let only = try #require(SourceAllowList(parsing: "192.0.2.0/24"))
        try await TestServer.with(configure: { $0.httpAllowedNetworks = only }) { server in
            let result = try await Curl.fetch(self.http(server, "XMLDefault.cnf.xml"))
            #expect(result.httpStatus == 0)
            #expect(result.status != 0)
            let http = try #require(server.application.guardStatistics().first { $0.service == "http" })
            #expect(http[.sourceNotAllowed] == 1)
            let metrics = try await server.adminClient().metrics()
            #expect(metrics.contains(#"strowger_guard_rejections_total{service="http",reason="source_not_allowed"} 1"#))
            #expect(metrics.contains(#"strowger_guard_rejections_total{service="sccps",reason="tls_handshake_failed"} 0"#))
        }
    }
}
