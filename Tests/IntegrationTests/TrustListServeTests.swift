import AdminHTTP
import Certificates
import Foundation
import StrowgerApp
import Testing

/// The trust lists (CTL, ITL) as `strowger serve` gives them to phones: fetched over TFTP and HTTP with curl, read
/// with a parser written in the tests from the published layout (``IndependentTrustListReader``), and their
/// signatures checked by openssl with the SAST certificate from the data directory.
@Suite struct TrustListServeTests {
    static let secure = "SEP00000000F701"
    static let plain = "SEP00000000F702"

    /// The raw bytes curl fetches from `url`, and curl's exit status.
    static func fetchBytes(_ url: String, _ options: [String] = []) async throws -> (status: Int32, bytes: [UInt8]) {
        try #require(Curl.hasTFTP, "these tests need curl with TFTP support on PATH (Debian: apt-get install curl)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tlv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ExternalTool.run(
            ["curl", "--silent", "--fail", "--max-time", "30", "--output", file.path] + options + [url]
        )
        let data = (try? Data(contentsOf: file)) ?? Data()
        return (result.status, Array(data))
    }

    /// The file named `name` over TFTP and over HTTP; the two must be the same bytes.
    static func fetch(_ server: TestServer, _ name: String) async throws -> [UInt8]? {
        let tftp = try await Self.fetchBytes("tftp://127.0.0.1:\(server.tftpPort)/\(name)")
        let http = try await Self.fetchBytes("http://127.0.0.1:\(server.httpPort)/\(name)")
        #expect((tftp.status == 0) == (http.status == 0), "\(name): TFTP \(tftp.status), HTTP \(http.status)")
        guard tftp.status == 0 else { return nil }
        #expect(tftp.bytes == http.bytes, "\(name): TFTP and HTTP differ")
        return tftp.bytes
    }

    /// openssl's verdict on `signature` over `data` with the public key of the PEM certificate at `certificate`.
    static func opensslVerifies(
        _ signature: [UInt8],
        _ data: [UInt8],
        digest: String,
        certificate: String
    ) async throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let extracted = try await OpenSSL.run(["x509", "-in", certificate, "-pubkey", "-noout", "-out", key])
        try #require(extracted.status == 0, "\(extracted.output)")
        let signatureFile = directory.appendingPathComponent("signature")
        let dataFile = directory.appendingPathComponent("data")
        try Data(signature).write(to: signatureFile)
        try Data(data).write(to: dataFile)
        let result = try await OpenSSL.run([
            "dgst", "-\(digest)", "-verify", key, "-signature", signatureFile.path, dataFile.path,
        ])
        #expect(result.output.contains(result.status == 0 ? "Verified OK" : "Verification failure"), "\(result.output)")
        return result.status == 0
    }

    /// The DER bytes of the PEM certificate in `file`.
    static func der(_ file: URL) throws -> [UInt8] {
        let pem = try String(contentsOf: file, encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }

    /// Checks one served list: its header, its records against the certificates in the data directory, and its
    /// signature with openssl, also after one byte is changed.
    static func check(
        _ bytes: [UInt8],
        _ server: TestServer,
        fileName: String,
        digest: String,
        callManagers: [(dns: String, ip: [UInt8])],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let list = try IndependentTrustListReader(bytes)
        #expect(list.header[1] == [1, 2], "version 1.2", sourceLocation: sourceLocation)
        #expect(list.headerLength % 4 == 0, "the header is padded to 4 bytes", sourceLocation: sourceLocation)
        #expect(
            list.digestAlgorithm == (digest == "sha512" ? 3 : 1),
            "digest algorithm",
            sourceLocation: sourceLocation
        )
        #expect(list.header[10] == [0], "RSA", sourceLocation: sourceLocation)
        #expect(list.header[11] == [2], "a 2048-bit modulus", sourceLocation: sourceLocation)
        #expect(list.signature.count == 256, sourceLocation: sourceLocation)
        #expect(IndependentTrustListReader.text(list.header[14]) == fileName, sourceLocation: sourceLocation)
        let timestamp = list.header[15].map { $0.reduce(0) { $0 << 8 | Int($1) } } ?? 0
        #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 3600, sourceLocation: sourceLocation)

        let sastFile = server.dataDirectory.appendingPathComponent("sast-cert.pem")
        let rsaFile = server.dataDirectory.appendingPathComponent("server-rsa-cert.pem")
        try #require(list.records.count == 1 + callManagers.count, sourceLocation: sourceLocation)
        let sast = list.records[0]
        #expect(sast[4] == [0, 0], "the first record is the SAST", sourceLocation: sourceLocation)
        #expect(sast[9] == (try Self.der(sastFile)), sourceLocation: sourceLocation)
        #expect(sast[6] == list.header[5], "the header names the SAST's serial", sourceLocation: sourceLocation)
        #expect(
            IndependentTrustListReader.text(sast[3]) == IndependentTrustListReader.text(list.header[4]),
            sourceLocation: sourceLocation
        )
        #expect(
            IndependentTrustListReader.text(list.header[4]) == "CN=Strowger SAST;OU=SAST;O=Strowger",
            sourceLocation: sourceLocation
        )
        for (record, node) in zip(list.records.dropFirst(), callManagers) {
            #expect(record[4] == [0, 1], "a CCM record", sourceLocation: sourceLocation)
            #expect(record[9] == (try Self.der(rsaFile)), "the RSA server certificate", sourceLocation: sourceLocation)
            #expect(IndependentTrustListReader.text(record[2]) == node.dns, sourceLocation: sourceLocation)
            #expect(record[10] == node.ip, sourceLocation: sourceLocation)
        }

        #expect(
            try await Self.opensslVerifies(
                list.signature,
                list.signedBytes,
                digest: digest,
                certificate: sastFile.path
            ),
            sourceLocation: sourceLocation
        )
        // Any changed byte, in the header or in a record, breaks the signature.
        for index in [list.headerLength - 1, list.signedBytes.count / 2, list.signedBytes.count - 1] {
            var altered = list.signedBytes
            altered[index] ^= 0x01
            #expect(
                try await !Self.opensslVerifies(list.signature, altered, digest: digest, certificate: sastFile.path),
                "byte \(index) changed",
                sourceLocation: sourceLocation
            )
        }
    }

    /// A line and two devices: one authenticated (it gets trust lists), one non-secure (it does not).
    static func addDevices(_ server: TestServer, model: String = "7962") async throws -> AdminClient {
        let client = try await server.adminClient()
        _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "7701"), as: AdminAPI.Line.self)
        _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "7702"), as: AdminAPI.Line.self)
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: Self.secure, model: model, lines: ["7701"], securityMode: "authenticated"),
            as: AdminAPI.Device.self
        )
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: Self.plain, model: model, lines: ["7702"]),
            as: AdminAPI.Device.self
        )
        return client
    }

    @Test func aSecureDeviceGetsSignedCTLAndITLWithSHA1() async throws {
        try await TestServer.with { server in
            _ = try await Self.addDevices(server)
            for (prefix, header) in [("CTL", "CTLFile.tlv"), ("ITL", "ITLFile.tlv")] {
                let bytes = try #require(try await Self.fetch(server, "\(prefix)\(Self.secure).tlv"))
                // The server is its own CallManager group: 127.0.0.1, an address, so no DNS name.
                try await Self.check(
                    bytes,
                    server,
                    fileName: header,
                    digest: "sha1",
                    callManagers: [("", [127, 0, 0, 1])]
                )
                // A non-secure device gets none (it would then trust only this SAST), nor does anyone get the
                // generic files by default.
                #expect(try await Self.fetch(server, "\(prefix)\(Self.plain).tlv") == nil)
                #expect(try await Self.fetch(server, header) == nil)
            }
        }
    }

    @Test func aModelSetToSHA512GetsSHA512AndTheGroupsNodes() async throws {
        try await TestServer.with { server in
            let client = try await Self.addDevices(server, model: "Cisco 7965")
            try await client.setPhoneModel("7965", AdminAPI.PhoneModelSettings(trustListDigest: "sha512"))
            // A change of the group is in the next list: one CCM record per node, by name or address.
            try await client.setCallManagerGroup(
                named: "Default",
                members: [.init(host: "192.0.2.10"), .init(host: "cm2.example.net")]
            )
            let bytes = try #require(try await Self.fetch(server, "ITL\(Self.secure).tlv"))
            try await Self.check(
                bytes,
                server,
                fileName: "ITLFile.tlv",
                digest: "sha512",
                callManagers: [("", [192, 0, 2, 10]), ("cm2.example.net", [0, 0, 0, 0])]
            )
        }
    }

    @Test func withTrustListsAllEveryPhoneGetsTheGenericFiles() async throws {
        let allPhones: (inout ServerConfiguration) -> Void = { $0.trustLists = .allPhones }
        try await TestServer.with(configure: allPhones) { server in
            _ = try await Self.addDevices(server)
            for name in ["CTLFile.tlv", "ITLFile.tlv"] {
                let bytes = try #require(try await Self.fetch(server, name))
                try await Self.check(
                    bytes,
                    server,
                    fileName: name,
                    digest: "sha1",
                    callManagers: [("", [127, 0, 0, 1])]
                )
            }
            #expect(try await Self.fetch(server, "CTL\(Self.plain).tlv") != nil)
        }
    }

    @Test func aRollbackServesEmptyListsSignedByTheSameSAST() async throws {
        try await TestServer.with { server in
            _ = try await Self.addDevices(server)
            let before = try IndependentTrustListReader(
                try #require(try await Self.fetch(server, "CTL\(Self.secure).tlv"))
            )
            let marker = server.dataDirectory.appendingPathComponent(TrustListFiles.rollbackMarker)
            try Data("test\n".utf8).write(to: marker)
            let sastFile = server.dataDirectory.appendingPathComponent("sast-cert.pem").path
            // Every phone is reached, also those that would get no list otherwise.
            for name in ["CTL\(Self.secure).tlv", "ITL\(Self.plain).tlv", "CTLFile.tlv", "ITLSEP0000000BEEF1.tlv"] {
                let list = try IndependentTrustListReader(try #require(try await Self.fetch(server, name), "\(name)"))
                #expect(list.records.isEmpty, "\(name)")
                #expect(list.header[5] == before.header[5], "signed by the SAST phones know")
                #expect(
                    try await Self.opensslVerifies(
                        list.signature,
                        list.signedBytes,
                        digest: "sha1",
                        certificate: sastFile
                    )
                )
            }
            try FileManager.default.removeItem(at: marker)
            let after = try IndependentTrustListReader(
                try #require(try await Self.fetch(server, "CTL\(Self.secure).tlv"))
            )
            #expect(after.records.count == 2)
            #expect(try await Self.fetch(server, "CTL\(Self.plain).tlv") == nil)
        }
    }

    @Test func aNewSASTOnDiskSignsTheNextListsWithoutARestart() async throws {
        try await TestServer.with { server in
            _ = try await Self.addDevices(server)
            let first = try IndependentTrustListReader(
                try #require(try await Self.fetch(server, "CTL\(Self.secure).tlv"))
            )
            _ = try SystemAdministratorToken.replace(in: server.dataDirectory)
            let second = try IndependentTrustListReader(
                try #require(try await Self.fetch(server, "CTL\(Self.secure).tlv"))
            )
            #expect(first.header[5] != second.header[5])
            let sastFile = server.dataDirectory.appendingPathComponent("sast-cert.pem").path
            #expect(
                try await Self.opensslVerifies(
                    second.signature,
                    second.signedBytes,
                    digest: "sha1",
                    certificate: sastFile
                )
            )
        }
    }
}
