import AdminHTTP
import Certificates
import Foundation
import NIOSSL
import ServerNIO
import SkinnyPhone
import StrowgerApp
import Testing

/// The RSA server certificate beside the ECDSA one, chosen per handshake by what the client offers, and TLS 1.0
/// only with `--tls-legacy`: openssl s_client as the client, forcing RSA suites and versions.
@Suite struct ServeRSATLSTests {
    /// `openssl s_client` against the SCCPS port with `arguments`, trusting both server certificates.
    static func connect(_ server: TestServer, _ arguments: [String]) async throws -> OpenSSL.Result {
        let bundle = server.dataDirectory.appendingPathComponent("trust-both.pem")
        let ca = try String(contentsOf: server.dataDirectory.appendingPathComponent("ca-cert.pem"), encoding: .utf8)
        let rsa = try String(
            contentsOf: server.dataDirectory.appendingPathComponent("server-rsa-cert.pem"),
            encoding: .utf8
        )
        try (ca + rsa).write(to: bundle, atomically: true, encoding: .utf8)
        return try await OpenSSL.run(
            [
                "s_client", "-connect", "127.0.0.1:\(server.sccpsPort)", "-CAfile", bundle.path, "-servername",
                "localhost", "-verify_return_error", "-brief",
            ] + arguments
        )
    }

    @Test(arguments: ["AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"])
    func tls12WithAnRSASuiteGetsTheRSACertificate(cipher: String) async throws {
        try await TestServer.with { server in
            let result = try await Self.connect(server, ["-tls1_2", "-cipher", cipher])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Protocol version: TLSv1.2"), "\(result.output)")
            #expect(result.output.contains("Ciphersuite: \(cipher)"), "\(result.output)")
            #expect(result.output.contains("OU = SCCPS"), "the self-signed RSA certificate: \(result.output)")
            #expect(result.output.contains("Verification: OK"), "\(result.output)")
        }
    }

    @Test func aClientThatTakesECDSAStillGetsTheECDSACertificate() async throws {
        try await TestServer.with { server in
            for arguments in [["-tls1_3"], ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"]] {
                let result = try await Self.connect(server, arguments)
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output.contains("Signature type: ECDSA"), "\(arguments): \(result.output)")
                #expect(!result.output.contains("OU = SCCPS"), "\(result.output)")
            }
        }
    }

    @Test func tls10IsRefusedByDefault() async throws {
        try await TestServer.with { server in
            // SECLEVEL=0 is the client's own setting: Debian's OpenSSL refuses TLS 1.0 at its default level.
            let result = try await Self.connect(server, ["-tls1", "-cipher", "AES128-SHA@SECLEVEL=0"])
            #expect(result.status != 0, "\(result.output)")
        }
    }

    @Test(arguments: ["AES128-SHA", "AES256-SHA"])
    func withTLSLegacyTLS10WithAnRSASuiteCompletes(cipher: String) async throws {
        let legacy: (inout ServerConfiguration) -> Void = { $0.tlsLegacy = true }
        try await TestServer.with(configure: legacy) { server in
            let result = try await Self.connect(server, ["-tls1", "-cipher", "\(cipher)@SECLEVEL=0"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Protocol version: TLSv1\n"), "\(result.output)")
            #expect(result.output.contains("Ciphersuite: \(cipher)"), "\(result.output)")
            #expect(result.output.contains("OU = SCCPS"), "\(result.output)")
        }
    }

    @Test func aPhoneOfferingOnlyRSASuitesRegistersOverSCCPS() async throws {
        try await TestServer.with { server in
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .file(server.dataDirectory.appendingPathComponent("server-rsa-cert.pem").path)
            configuration.maximumTLSVersion = .tlsv12
            configuration.cipherSuites = "AES128-GCM-SHA256"
            let phone = try await server.registeredPhone(
                "SEP00000000F801",
                tls: try NIOSSLContext(configuration: configuration)
            )
            #expect(server.application.tlsDecorator.statistics().handshakesCompleted == 1)
            try await phone.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }

    /// A TLS client context presenting `certificate` (a device certificate from some CA), trusting the server's CA.
    static func presenting(_ server: TestServer, _ certificate: IssuedCertificate) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(server.dataDirectory.appendingPathComponent("ca-cert.pem").path)
        configuration.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: Array(certificate.certificatePEM.utf8), format: .pem))
        ]
        configuration.privateKey = .privateKey(
            try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPEM.utf8), format: .pem)
        )
        return try NIOSSLContext(configuration: configuration)
    }

    @Test func aPhonePresentingACertificateFromAnotherCARegistersWithoutAnIdentity() async throws {
        try await TestServer.with { server in
            // As a Cisco phone presents its manufacturer certificate (MIC) whatever CA the server names.
            let other = try CertificateAuthority.loadOrCreate(
                in: server.dataDirectory.appendingPathComponent("cisco"),
                configuration: .init(server: ServerCertificateConfiguration(makesRSACertificate: false))
            )
            let manufacturer = try other.issueDeviceCertificate(deviceName: "SEP00000000F811")
            let phone = try await server.registeredPhone(
                "SEP00000000F811",
                tls: try Self.presenting(server, manufacturer)
            )
            try await phone.phone.disconnect()
            // The same certificate does not stand in for the Strowger CA's where a device requires one.
            let client = try await server.adminClient()
            _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "7812"), as: AdminAPI.Line.self)
            var device = AdminAPI.Device(name: "SEP00000000F812", lines: ["7812"], securityMode: "authenticated")
            device.requiresClientCertificate = true
            _ = try await client.send(.post, "/api/devices", json: device, as: AdminAPI.Device.self)
            let forged = try other.issueDeviceCertificate(deviceName: "SEP00000000F812")
            let refused = try await server.phone("SEP00000000F812", tls: try Self.presenting(server, forged))
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await refused.register(timeout: TestServer.timeout)
            }
            #expect(error?.text == "Certificate required")
            // The Strowger CA's own certificate for it is taken.
            let issued = try server.application.certificateAuthority.issueDeviceCertificate(
                deviceName: "SEP00000000F812"
            )
            let accepted = try await server.registeredPhone("SEP00000000F812", tls: try Self.presenting(server, issued))
            try await accepted.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }
}
