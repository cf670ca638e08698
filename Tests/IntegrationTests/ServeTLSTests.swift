import AdminHTTP
import CallControl
import Certificates
import Foundation
import NIOSSL
import ServerNIO
import SkinnyPhone
import Store
import StrowgerApp
import Testing

/// SCCPS as `strowger serve` runs it: the CA and server certificate created in the data directory, the TLS port
/// with openssl as the client, calls between TLS and plain phones, and mutual TLS set per device through the admin
/// API with certificates from `strowger cert issue`'s function.
@Suite struct ServeTLSTests {
    static let alice = "SEP00000000E801"
    static let bob = "SEP00000000E802"

    /// A TLS client context trusting the server's CA (`ca-cert.pem` in its data directory), presenting the
    /// certificate and key in `files` if given.
    func clientContext(
        _ server: TestServer,
        presenting files: (certificate: String, key: String)? = nil
    ) throws
        -> NIOSSLContext
    {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(server.dataDirectory.appendingPathComponent("ca-cert.pem").path)
        if let files {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(files.certificate).map {
                .certificate($0)
            }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// One call from `caller` to `callee`, RTP both ways, hung up by the caller.
    func call(
        _ server: TestServer,
        from caller: (phone: SkinnyPhone, number: String),
        to callee: (phone: SkinnyPhone, number: String)
    ) async throws {
        try await Calls.placeAndHangUp(from: caller, to: callee)
        try await server.waitUntilClean(registered: 2)
    }

    @Test func opensslShowsTheStrowgerChainOnTheSCCPSPort() async throws {
        try await TestServer.with { server in
            let caFile = server.dataDirectory.appendingPathComponent("ca-cert.pem").path
            let result = try await OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.sccpsPort)", "-CAfile", caFile, "-servername", "localhost",
                "-verify_return_error", "-verify_ip", "127.0.0.1", "-showcerts",
            ])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Verify return code: 0 (ok)"), "\(result.output)")
            #expect(result.output.contains("s:O = Strowger, CN = Strowger SCCPS"), "\(result.output)")
            #expect(result.output.contains("i:O = Strowger, CN = Strowger CA"), "\(result.output)")
            // The server asks for a client certificate (optional) from the Strowger CA.
            #expect(result.output.contains("Acceptable client certificate CA names"), "\(result.output)")
            for file in ["ca-key.pem", "server-key.pem"] {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: server.dataDirectory.appendingPathComponent(file).path
                )
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
            }
        }
    }

    @Test func twoTLSPhonesRegisterAndCall() async throws {
        try await TestServer.with { server in
            let tls = try self.clientContext(server)
            let alice = try await server.registeredPhone(Self.alice, tls: tls)
            let bob = try await server.registeredPhone(Self.bob, tls: tls)
            try await self.call(server, from: alice, to: bob)
            try await self.call(server, from: bob, to: alice)
            #expect(server.application.tlsDecorator.statistics().handshakesCompleted == 2)
            // Registered TLS connections hold no unregistered slot.
            #expect(server.application.sccpsListener.connectionGuard.statistics().unregisteredConnections == 0)
            try await alice.phone.disconnect()
            try await bob.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }

    @Test func aTLSPhoneAndAPlainPhoneCallEachOther() async throws {
        try await TestServer.with { server in
            let secure = try await server.registeredPhone(Self.alice, tls: try self.clientContext(server))
            let plain = try await server.registeredPhone(Self.bob)
            try await self.call(server, from: secure, to: plain)
            try await self.call(server, from: plain, to: secure)
            try await secure.phone.disconnect()
            try await plain.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }

    /// Registers `name` and expects RegisterReject with `text`.
    func expectRefused(
        _ server: TestServer,
        _ name: String,
        tls: NIOSSLContext?,
        text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let phone = try await server.phone(name, tls: tls)
        let error = await #expect(throws: SkinnyPhoneError.self, sourceLocation: sourceLocation) {
            try await phone.register(timeout: TestServer.timeout)
        }
        #expect(error?.code == .registerRejected, sourceLocation: sourceLocation)
        #expect(error?.text == text, sourceLocation: sourceLocation)
        try await phone.waitForDisconnect(timeout: TestServer.timeout)
    }

    @Test func aDeviceThatRequiresAClientCertificateRegistersOnlyWithItsOwn() async throws {
        try await TestServer.with { server in
            let client = try await server.adminClient()
            _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "4801"), as: AdminAPI.Line.self)
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: Self.alice, lines: ["4801"]),
                as: AdminAPI.Device.self
            )
            // Mutual TLS without a secure mode is refused, naming the field.
            var plainPatch = AdminAPI.DevicePatch()
            plainPatch.requiresClientCertificate = true
            let invalid = await #expect(throws: AdminClientError.self) {
                _ = try await client.send(
                    .patch,
                    "/api/devices/\(Self.alice)",
                    json: plainPatch,
                    as: AdminAPI.Device.self
                )
            }
            #expect(invalid?.field == "device.requiresClientCertificate")
            var badMode = AdminAPI.DevicePatch()
            badMode.securityMode = "paranoid"
            let badModeError = await #expect(throws: AdminClientError.self) {
                _ = try await client.send(.patch, "/api/devices/\(Self.alice)", json: badMode, as: AdminAPI.Device.self)
            }
            #expect(badModeError?.field == "device.securityMode")

            var patch = AdminAPI.DevicePatch()
            patch.securityMode = "authenticated"
            patch.requiresClientCertificate = true
            let device = try await client.send(
                .patch,
                "/api/devices/\(Self.alice)",
                json: patch,
                as: AdminAPI.Device.self
            )
            #expect(device.requiresClientCertificate && device.securityMode == "authenticated")
            let policy = server.application.deviceSecurity
            try await Eventually.wait("the policy to require a certificate of \(Self.alice)") {
                policy.requiresClientCertificate(Self.alice) ? true : nil
            }

            // Without a certificate, with another device's, or in the clear: refused.
            try await self.expectRefused(
                server,
                Self.alice,
                tls: try self.clientContext(server),
                text: "Certificate required"
            )
            let certificates = server.dataDirectory.appendingPathComponent("issued")
            let bobs = try DeviceCertificateIssuer.issue(
                deviceName: Self.bob,
                dataDirectory: server.dataDirectory,
                outputDirectory: certificates
            )
            try await self.expectRefused(
                server,
                Self.alice,
                tls: try self.clientContext(server, presenting: (bobs.certificatePath, bobs.privateKeyPath)),
                text: "Certificate mismatch"
            )
            try await self.expectRefused(server, Self.alice, tls: nil, text: "Certificate required")
            #expect(try await !server.isRegistered(Self.alice))
            let sccps = server.application.sccpsListener.connectionGuard.statistics()
            #expect(sccps[.clientCertificateRejected] == 2)
            #expect(server.application.sccpListener.connectionGuard.statistics()[.clientCertificateRejected] == 1)

            // With its own certificate (lower case on the command line is fine): registered, and it calls.
            let own = try DeviceCertificateIssuer.issue(
                deviceName: Self.alice.lowercased(),
                dataDirectory: server.dataDirectory,
                outputDirectory: certificates
            )
            #expect(own.certificatePath.hasSuffix("\(Self.alice)-cert.pem"))
            let alice = try await server.registeredPhone(
                Self.alice,
                tls: try self.clientContext(server, presenting: (own.certificatePath, own.privateKeyPath))
            )
            #expect(alice.number == "4801")
            let bob = try await server.registeredPhone(Self.bob)
            try await self.call(server, from: alice, to: bob)

            // Turned off again: a plain phone of that name may register (after the first one has gone).
            try await alice.phone.disconnect()
            var off = AdminAPI.DevicePatch()
            off.requiresClientCertificate = false
            _ = try await client.send(.patch, "/api/devices/\(Self.alice)", json: off, as: AdminAPI.Device.self)
            try await Eventually.wait("the policy to drop \(Self.alice)") {
                policy.requiresClientCertificate(Self.alice) ? nil : true
            }
            try await server.waitUntilClean(registered: 1)
            let again = try await server.registeredPhone(Self.alice)
            #expect(again.number == "4801")
            try await again.phone.disconnect()
            try await bob.phone.disconnect()
        }
    }

    /// `strowger serve` asks for client certificates opportunistically (issue 17): a certificate from another CA
    /// (what a Cisco phone presents: its manufacturer certificate) completes the handshake but names no device, so
    /// a device that requires one is refused at Register (ServeRSATLSTests has that half).
    @Test func aCertificateFromAnotherCACompletesTheHandshakeButNamesNoDevice() async throws {
        try await TestServer.with { server in
            let elsewhere = server.dataDirectory.appendingPathComponent("other-ca")
            _ = try CertificateAuthority.loadOrCreate(
                in: elsewhere,
                configuration: .init(server: .init(makesRSACertificate: false))
            )
            let forged = try DeviceCertificateIssuer.issue(
                deviceName: Self.alice,
                dataDirectory: elsewhere,
                outputDirectory: elsewhere
            )
            let phone = try await server.registeredPhone(
                Self.alice,
                tls: try self.clientContext(server, presenting: (forged.certificatePath, forged.privateKeyPath))
            )
            let sccps = server.application.sccpsListener.connectionGuard
            #expect(sccps.statistics()[.tlsHandshakeFailed] == 0)
            #expect(server.application.tlsDecorator.statistics().handshakesCompleted == 1)
            try await phone.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }

    @Test func aSuppliedServerCertificateIsPresentedAndItsCAServed() async throws {
        let own = FileManager.default.temporaryDirectory.appendingPathComponent("own-ca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: own) }
        let authority = try CertificateAuthority.loadOrCreate(
            in: own,
            configuration: .init(commonName: "Own CA", organization: "Example")
        )
        let caFile = own.appendingPathComponent("ca-cert.pem").path
        let configure: (inout ServerConfiguration) -> Void = { configuration in
            configuration.tlsCertificatePath = authority.server.certificatePath
            configuration.tlsPrivateKeyPath = authority.server.privateKeyPath
            configuration.tlsTrustAnchorPath = caFile
        }
        try await TestServer.with(configure: configure) { server in
            let result = try await OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.sccpsPort)", "-CAfile", caFile, "-verify_return_error",
            ])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("i:O = Example, CN = Own CA"), "\(result.output)")
            let served = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)/strowger-ca.pem")
            #expect(served.body == authority.certificatePEM)
        }
    }

    @Test func unusableTLSFilesStopTheServerWithAClearError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let garbage = directory.appendingPathComponent("garbage.pem")
        try Data("not a certificate".utf8).write(to: garbage)
        let missing = await #expect(throws: StrowgerConfigurationError.self) {
            _ = try await TestServer.start(configure: { configuration in
                configuration.tlsCertificatePath = garbage.path
                configuration.tlsPrivateKeyPath = directory.appendingPathComponent("nowhere.pem").path
            })
        }
        #expect(missing?.description.contains("--tls-key") == true, "\(String(describing: missing))")
        let malformed = await #expect(throws: StrowgerConfigurationError.self) {
            _ = try await TestServer.start(configure: { configuration in
                configuration.tlsCertificatePath = garbage.path
                configuration.tlsPrivateKeyPath = garbage.path
            })
        }
        #expect(
            malformed?.description.contains("SCCPS certificates cannot be used") == true,
            "\(String(describing: malformed))"
        )
        let halfPair = await #expect(throws: StrowgerConfigurationError.self) {
            _ = try await TestServer.start(configure: { $0.tlsCertificatePath = garbage.path })
        }
        #expect(halfPair?.description.contains("needs --tls-key") == true, "\(String(describing: halfPair))")
    }

    @Test func certIssueRefusesABadDeviceNameAndAMissingCA() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let badName = #expect(throws: StrowgerConfigurationError.self) {
            try DeviceCertificateIssuer.issue(
                deviceName: "SEP12345",
                dataDirectory: directory,
                outputDirectory: directory
            )
        }
        #expect(badName?.description.contains("not a device name") == true, "\(String(describing: badName))")
        let noCA = #expect(throws: StrowgerConfigurationError.self) {
            try DeviceCertificateIssuer.issue(
                deviceName: Self.alice,
                dataDirectory: directory,
                outputDirectory: directory
            )
        }
        #expect(noCA?.description.contains("no Strowger CA") == true, "\(String(describing: noCA))")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ca-key.pem").path))
    }
}
