import AdminHTTP
import Foundation
import ServerNIO
import SkinnyPhone
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
        let configure: (inout ServerConfiguration) -> Void = { $0.callManagers = Self.callManagers }
        try await TestServer.with(configure: configure) { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: Self.device, model: "7942", securityMode: "encrypted"),
                as: AdminAPI.Device.self
            )
            let file = "\(Self.device).cnf.xml"
            let xml = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(xml.root == "device")
            #expect(
                xml.members == [
                    .init(priority: "0", processNodeName: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                    .init(priority: "1", processNodeName: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                    .init(
                        priority: "2",
                        processNodeName: "cm3.example.net",
                        sccpPort: server.port,
                        sccpsPort: server.sccpsPort
                    ),
                ]
            )
            #expect(xml.values["deviceSecurityMode"] == "3")
            #expect(xml.values["transportLayerProtocol"] == "3")
            // The name's case does not matter (phones ask in upper case; people type either).
            let lower = try await Curl.fetch(self.tftp(server, "sep00000000e701.cnf.xml"))
            #expect(lower.status == 0)

            // Always current: a change through the API is in the very next fetch.
            var patch = AdminAPI.DevicePatch()
            patch.securityMode = "non-secure"
            _ = try await client.send(
                .patch,
                "/api/devices/\(Self.device)",
                json: patch,
                as: AdminAPI.Device.self
            )
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

    /// Issue 7: the nodes, ports and security mode set in the Store are in the cnf.xml. A group of three nodes made
    /// through the admin API wins over `--callmanager` for the device that names it; the file follows every change
    /// of the group (members, order, name); a stored `Default` group serves devices without a group and
    /// XMLDefault.cnf.xml.
    @Test func theDeviceGetsTheNodesOfItsStoredCallManagerGroup() async throws {
        let fallback = CallManagerAddress(host: "192.0.2.200", sccpPort: 2000, sccpsPort: 2443)
        let configure: (inout ServerConfiguration) -> Void = { $0.callManagers = [fallback] }
        try await TestServer.with(configure: configure) { server in
            let client = try await server.adminClient()
            let berlin: [AdminAPI.CallManagerGroupMember] = [
                .init(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                .init(host: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                .init(host: "cm3.example.net", sccpPort: 12000, sccpsPort: 12443),
            ]
            let created = try await client.send(
                .post,
                "/api/callmanager-groups",
                json: AdminAPI.CallManagerGroup(name: "Berlin", members: berlin),
                as: AdminAPI.CallManagerGroup.self
            )
            #expect(created.members == berlin)
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: Self.device, callManagerGroup: "Berlin", securityMode: "authenticated"),
                as: AdminAPI.Device.self
            )
            let file = "\(Self.device).cnf.xml"

            let xml = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(xml.root == "device")
            #expect(xml.groupName == "Berlin")
            #expect(
                xml.members == [
                    .init(priority: "0", processNodeName: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                    .init(priority: "1", processNodeName: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                    .init(priority: "2", processNodeName: "cm3.example.net", sccpPort: 12000, sccpsPort: 12443),
                ]
            )
            #expect(xml.values["deviceSecurityMode"] == "2")
            #expect(xml.values["transportLayerProtocol"] == "3")

            // Without a stored Default group, XMLDefault.cnf.xml still carries --callmanager.
            let defaults = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, "XMLDefault.cnf.xml"))
            #expect(
                defaults.members == [
                    .init(priority: "0", processNodeName: "192.0.2.200", sccpPort: 2000, sccpsPort: 2443)
                ]
            )

            // The group changes (new order, one node dropped, new ports): the very next fetch follows.
            try await client.setCallManagerGroup(
                named: "Berlin",
                members: [
                    .init(host: "cm3.example.net", sccpPort: 12001, sccpsPort: 12444),
                    .init(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                ]
            )
            let changed = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(
                changed.members == [
                    .init(priority: "0", processNodeName: "cm3.example.net", sccpPort: 12001, sccpsPort: 12444),
                    .init(priority: "1", processNodeName: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                ]
            )
            #expect(changed.values["versionStamp"] != xml.values["versionStamp"])
            #expect(changed.values["deviceSecurityMode"] == "2")

            // A rename takes the device along, and the file names the group by its new name.
            try await client.updateCallManagerGroup(named: "Berlin", AdminAPI.CallManagerGroupPatch(name: "Mitte"))
            let renamed = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(renamed.groupName == "Mitte")
            #expect(renamed.members == changed.members)

            // A group in use is not deleted.
            let refused = await #expect(throws: AdminClientError.self) {
                try await client.deleteCallManagerGroup(named: "Mitte")
            }
            #expect(refused?.status == 409)
            #expect(refused?.message.contains("is used by 1 device") == true)

            // A stored Default group: devices without a group, and XMLDefault.cnf.xml, get it instead of
            // --callmanager.
            try await client.setCallManagerGroup(
                named: "Default",
                members: [.init(host: "192.0.2.30", sccpPort: 2002, sccpsPort: 2445)]
            )
            var patch = AdminAPI.DevicePatch()
            patch.callManagerGroup = .some(nil)
            _ = try await client.send(
                .patch,
                "/api/devices/\(Self.device)",
                json: patch,
                as: AdminAPI.Device.self
            )
            let expectedDefault: [ParsedCnfXML.Member] = [
                .init(priority: "0", processNodeName: "192.0.2.30", sccpPort: 2002, sccpsPort: 2445)
            ]
            let device = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(device.groupName == "Default")
            #expect(device.members == expectedDefault)
            let storedDefaults = try ParsedCnfXML(
                parsing: try await self.fetchEverywhere(server, "XMLDefault.cnf.xml")
            )
            #expect(storedDefaults.members == expectedDefault)

            // Deleting the Default group brings --callmanager back.
            try await client.deleteCallManagerGroup(named: "Default")
            let back = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(back.members == defaults.members)
        }
    }

    /// Issue 7: the date/time group, the locales and the device's load are in its cnf.xml, from the Store. Without
    /// them the file carries the defaults it always had; set through the admin API, they are in the very next fetch
    /// over TFTP and HTTP; changed or cleared, the file follows.
    @Test func theDateTimeLocalesAndLoadSetThroughTheAdminAPIAreInTheCnfXML() async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: Self.device),
                as: AdminAPI.Device.self
            )
            let file = "\(Self.device).cnf.xml"

            // The defaults: what the files carried before the Store kept these settings.
            let before = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(before.values["dateTemplate"] == "D.M.Y")
            #expect(before.values["timeZone"] == "Greenwich Standard/Daylight Time")
            #expect(before.values["olsonTimeZone"] == nil)
            #expect(before.ntpServers.isEmpty)
            #expect(before.values["loadInformation"] == "")
            #expect(before.userLocale == nil)
            #expect(before.values["networkLocale"] == nil)

            let settings = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(
                    dateTemplate: "M/D/YA",
                    timeZone: "W. Europe Standard/Daylight Time",
                    olsonTimeZone: "Europe/Berlin",
                    ntpServers: ["192.0.2.1", "ntp.example.net"],
                    userLocale: "German_Germany",
                    networkLocale: "Germany"
                ),
                as: AdminAPI.Settings.self
            )
            #expect(settings.dateTemplate == "M/D/YA")
            #expect(settings.ntpServers == ["192.0.2.1", "ntp.example.net"])
            var patch = AdminAPI.DevicePatch()
            patch.loadInformation = .some("SCCP42.9-4-2SR3-1S")
            let device = try await client.send(
                .patch,
                "/api/devices/\(Self.device)",
                json: patch,
                as: AdminAPI.Device.self
            )
            #expect(device.loadInformation == "SCCP42.9-4-2SR3-1S")

            let set = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(set.values["dateTemplate"] == "M/D/YA")
            #expect(set.values["timeZone"] == "W. Europe Standard/Daylight Time")
            #expect(set.values["olsonTimeZone"] == "Europe/Berlin")
            #expect(set.ntpServers == ["192.0.2.1", "ntp.example.net"])
            #expect(set.values["ntpMode"] == "Unicast")
            #expect(set.values["loadInformation"] == "SCCP42.9-4-2SR3-1S")
            #expect(set.userLocale?.name == "German_Germany")
            #expect(set.userLocale?.languageCode == "de_DE")
            #expect(set.values["networkLocale"] == "Germany")
            #expect(set.values["versionStamp"] != before.values["versionStamp"])
            // The nodes are untouched by the settings.
            #expect(set.members == before.members)

            // Changed and cleared: the next fetch follows.
            _ = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(
                    dateTemplate: "YY-M-D",
                    olsonTimeZone: "",
                    ntpServers: ["192.0.2.2"],
                    userLocale: "",
                    networkLocale: "United_States"
                ),
                as: AdminAPI.Settings.self
            )
            patch.loadInformation = .some(nil)
            let cleared = try await client.send(
                .patch,
                "/api/devices/\(Self.device)",
                json: patch,
                as: AdminAPI.Device.self
            )
            #expect(cleared.loadInformation == nil)
            let changed = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, file))
            #expect(changed.values["dateTemplate"] == "YY-M-D")
            #expect(changed.values["timeZone"] == "W. Europe Standard/Daylight Time")
            #expect(changed.values["olsonTimeZone"] == nil)
            #expect(changed.ntpServers == ["192.0.2.2"])
            #expect(changed.values["loadInformation"] == "")
            #expect(changed.userLocale == nil)
            #expect(changed.values["networkLocale"] == "United_States")

            // XMLDefault.cnf.xml has no date/time or locale elements; it is still served and well-formed.
            let defaults = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, "XMLDefault.cnf.xml"))
            #expect(defaults.root == "Default")
            #expect(defaults.values["dateTemplate"] == nil)
        }
    }

    /// A time zone name is free text (the firmware's list changes): characters that mean something in XML are
    /// escaped, so the file stays well-formed and reads back as stored. Values that could name other files or
    /// hosts are refused with the field named.
    @Test func oddSettingsKeepTheCnfXMLWellFormedOrAreRefused() async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: Self.device),
                as: AdminAPI.Device.self
            )
            let odd = #"Tokyo & "Osaka" <Standard>/'Daylight' ]]> Time"#
            _ = try await client.send(
                .patch,
                "/api/settings",
                json: AdminAPI.Settings(timeZone: odd),
                as: AdminAPI.Settings.self
            )
            let text = try await self.fetchEverywhere(server, "\(Self.device).cnf.xml")
            #expect(!text.contains("<Standard>"))
            let xml = try ParsedCnfXML(parsing: text)
            #expect(xml.values["timeZone"] == odd)
            #expect(xml.values["dateTemplate"] == "D.M.Y")

            let refusals: [(AdminAPI.Settings, String)] = [
                (AdminAPI.Settings(dateTemplate: "D.M.Y</dateTemplate>"), "settings.dateTemplate"),
                (AdminAPI.Settings(dateTemplate: "Y/M/DD"), "settings.dateTemplate"),
                (AdminAPI.Settings(olsonTimeZone: "../../etc/passwd"), "settings.olsonTimeZone"),
                (AdminAPI.Settings(ntpServers: ["192.0.2.1", "ntp <1>"]), "settings.ntpServers[1]"),
                (AdminAPI.Settings(userLocale: "Klingon_Qonos"), "settings.userLocale"),
                (AdminAPI.Settings(networkLocale: "United States"), "settings.networkLocale"),
                (AdminAPI.Settings(timeZone: "Line\nbreak"), "settings.timeZone"),
            ]
            for (body, field) in refusals {
                let error = await #expect(throws: AdminClientError.self) {
                    try await client.send(.patch, "/api/settings", json: body, as: AdminAPI.Settings.self)
                }
                #expect(error?.status == 400, "\(field)")
                #expect(error?.field == field, "\(error?.message ?? "")")
            }
            var patch = AdminAPI.DevicePatch()
            patch.loadInformation = .some("SCCP41</loadInformation>")
            let load = await #expect(throws: AdminClientError.self) {
                try await client.send(.patch, "/api/devices/\(Self.device)", json: patch, as: AdminAPI.Device.self)
            }
            #expect(load?.status == 400)
            #expect(load?.field == "device.loadInformation")

            // Nothing refused was stored: the file is as before.
            let after = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, "\(Self.device).cnf.xml"))
            #expect(after.values["timeZone"] == odd)
            #expect(after.values["loadInformation"] == "")
        }
    }

    /// The stored date template is RegisterAck's too; the session layer reads it when the server starts.
    @Test func theStoredDateTemplateIsInRegisterAckAfterARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-test-\(UUID().uuidString)"
        )
        do {
            let store = Store(database: try StrowgerDatabase(directory: directory))
            var settings = try await store.settings()
            settings.dateTemplate = "YY/M/D"
            _ = try await store.update(settings)
            _ = try await store.insert(LineRecord(number: "4701"))
            _ = try await store.save(DeviceRecord(name: Self.device), lines: ["4701"], speedDials: nil)
        }
        let server = try await TestServer.start(dataDirectory: directory)
        do {
            let phone = try await server.phone(Self.device)
            let registration = try await phone.register(timeout: TestServer.timeout)
            #expect(registration.lines.map(\.directoryNumber) == ["4701"])
            #expect(registration.dateTemplate == "YY/M/D")
            let xml = try ParsedCnfXML(parsing: try await self.fetchEverywhere(server, "\(Self.device).cnf.xml"))
            #expect(xml.values["dateTemplate"] == "YY/M/D")
            await server.stop()
        } catch {
            await server.stop()
            throw error
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
                        priority: "0",
                        processNodeName: "127.0.0.1",
                        sccpPort: server.port,
                        sccpsPort: server.sccpsPort
                    )
                ]
            )
            let ca = try await self.fetchEverywhere(server, "strowger-ca.pem")
            let onDisk = try String(
                contentsOf: server.dataDirectory.appendingPathComponent("ca-cert.pem"),
                encoding: .utf8
            )
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
        let configure: (inout ServerConfiguration) -> Void = { $0.httpAllowedNetworks = only }
        try await TestServer.with(configure: configure) { server in
            let result = try await Curl.fetch(self.http(server, "XMLDefault.cnf.xml"))
            #expect(result.httpStatus == 0)
            #expect(result.status != 0)
            let http = try #require(server.application.guardStatistics().first { $0.service == "http" })
            #expect(http[.sourceNotAllowed] == 1)
            let metrics = try await server.adminClient().metrics()
            #expect(metrics.contains(#"strowger_guard_rejections_total{service="http",reason="source_not_allowed"} 1"#))
            #expect(
                metrics.contains(#"strowger_guard_rejections_total{service="sccps",reason="tls_handshake_failed"} 0"#)
            )
        }
    }
}
