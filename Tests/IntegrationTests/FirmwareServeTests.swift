import AdminHTTP
import Foundation
import StrowgerApp
import Testing

/// The data directory's `firmware/` folder served over TFTP and HTTP as it is, with the same path rules as the
/// generated files; and the load a device or its model names in the cnf.xml.
@Suite struct FirmwareServeTests {
    /// A folder with a load (its `.loads` and `.sbn`), a locale file, a text file at the top (not a load: not
    /// served), a hidden load and a link that leads out of the folder.
    static func makeFolder(in dataDirectory: URL) throws -> [String: [UInt8]] {
        let folder = dataDirectory.appendingPathComponent("firmware", isDirectory: true)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("German_Germany"),
            withIntermediateDirectories: true
        )
        var generator = SystemRandomNumberGenerator()
        var files: [String: [UInt8]] = [:]
        // Sizes past one TFTP block size and not a multiple of 512 (the last block is short).
        for (name, size) in [
            ("SCCP42.9-4-2SR3-1S.loads", 300), ("apps42.9-4-2ES26.sbn", 200_017), ("German_Germany/be-sccp.jar", 4_099),
            ("CP7921G-1.4.6.3.LOADS", 77),
        ] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
            files[name] = bytes
        }
        try Data("not a load".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try Data("hidden".utf8).write(to: folder.appendingPathComponent(".hidden.loads"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("escape.loads").path,
            withDestinationPath: dataDirectory.appendingPathComponent("admin-token").path
        )
        return files
    }

    @Test func loadsAndLocaleFilesAreServedAsTheyAreOverTFTPAndHTTP() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("fw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let files = try Self.makeFolder(in: dataDirectory)
        let server = try await TestServer.start(dataDirectory: dataDirectory)
        do {
            for (name, bytes) in files {
                let tftp = try await TrustListServeTests.fetchBytes("tftp://127.0.0.1:\(server.tftpPort)/\(name)")
                #expect(tftp.status == 0, "TFTP \(name)")
                #expect(tftp.bytes == bytes, "TFTP \(name)")
                let http = try await TrustListServeTests.fetchBytes("http://127.0.0.1:\(server.httpPort)/\(name)")
                #expect(http.status == 0, "HTTP \(name)")
                #expect(http.bytes == bytes, "HTTP \(name)")
            }
            // A file at the top that is not a load, a hidden file, a link out of the folder: not found.
            for name in ["notes.txt", ".hidden.loads", "escape.loads", "German_Germany", "nothing.loads"] {
                let tftp = try await Curl.fetch("tftp://127.0.0.1:\(server.tftpPort)/\(name)")
                #expect(tftp.status == Curl.tftpNotFound, "TFTP \(name): \(tftp.status)")
                let http = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)/\(name)")
                #expect(http.httpStatus == 404, "HTTP \(name): \(http.httpStatus)")
            }
            // Traversal is refused before anything is looked up.
            let tftp = try await Curl.fetch(
                "tftp://127.0.0.1:\(server.tftpPort)/German_Germany/../../admin-token",
                ["--path-as-is"]
            )
            #expect(tftp.status == Curl.tftpPermission)
            for target in ["/German_Germany/../../admin-token", "/firmware//x.loads", "/a/b/c/d/e.loads"] {
                let http = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)\(target)", ["--path-as-is"])
                #expect(http.httpStatus == 400, "\(target): \(http.httpStatus)")
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func aDeviceGetsItsOwnLoadElseItsModels() async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            for (name, model, load) in [
                ("SEP00000000F901", "7942", nil), ("SEP00000000F902", "Cisco 7942", "SCCP42.8-5-4S"),
                ("SEP00000000F903", "7960", nil),
            ] as [(String, String, String?)] {
                _ = try await client.send(
                    .post,
                    "/api/devices",
                    json: AdminAPI.Device(name: name, model: model, loadInformation: load),
                    as: AdminAPI.Device.self
                )
            }
            try await client.setPhoneModel("7942", AdminAPI.PhoneModelSettings(loadInformation: "SCCP42.9-4-2SR3-1S"))
            func load(_ device: String) async throws -> String? {
                let file = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)/\(device).cnf.xml")
                return try ParsedCnfXML(parsing: file.body).values["loadInformation"]
            }
            #expect(try await load("SEP00000000F901") == "SCCP42.9-4-2SR3-1S")
            #expect(try await load("SEP00000000F902") == "SCCP42.8-5-4S")
            #expect(try await load("SEP00000000F903") ?? "" == "")
            // XMLDefault.cnf.xml names the model's load by its device type (434: the 7942).
            let defaults = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)/XMLDefault.cnf.xml")
            #expect(
                defaults.body.contains(
                    "<loadInformation434 model=\"Cisco 7942\">SCCP42.9-4-2SR3-1S</loadInformation434>"
                )
            )
        }
    }
}
