import CallControl
import CallRuntime
import Certificates
import Foundation
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import Testing

/// SCCP over TLS (SCCPS) end to end: openssl's view of the handshake, calls between TLS and plain phones through the
/// real session pipeline, mutual TLS, and the handshake deadline.
@Suite struct TLSCallTests {
    /// Waits until the server's registrations, calls and media are back to `registered` idle devices.
    func waitUntilClean(_ server: TLSTestServer, registered: Int) async throws {
        let deadline = ContinuousClock.now.advanced(by: TestServer.timeout)
        while true {
            let status = try await server.host.status()
            if status.activeCalls == 0 && status.activeLegs == 0 && status.activeMediaStreams == 0
                && status.registeredDevices == registered && status.sessions == registered
            {
                return
            }
            guard ContinuousClock.now < deadline else {
                Issue.record("server never clean with \(registered) registered: \(status)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func isRegistered(_ server: TLSTestServer, _ name: String) async throws -> Bool {
        try await server.host.withCore { $0.isRegistered(DeviceName(name)) }
    }

    /// One call from `caller` to `callee`, RTP both ways, hung up by the caller.
    func call(
        _ server: TLSTestServer,
        from caller: (phone: SkinnyPhone, number: String),
        to callee: (phone: SkinnyPhone, number: String)
    ) async throws {
        try await Calls.placeAndHangUp(from: caller, to: callee)
        try await self.waitUntilClean(server, registered: 2)
    }

    // MARK: openssl

    @Test func opensslCompletesAHandshakeAndShowsTheStrowgerChain() async throws {
        try await TLSTestServer.with { server in
            let caFile = server.authority.directory.appendingPathComponent("ca-cert.pem").path
            let result = try await OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.tlsPort)", "-CAfile", caFile, "-servername", "localhost",
                "-verify_return_error", "-verify_ip", "127.0.0.1", "-showcerts",
            ])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Verify return code: 0 (ok)"), "\(result.output)")
            // The chain: the server certificate, issued by the Strowger CA.
            #expect(result.output.contains("s:O = Strowger, CN = Strowger SCCPS"), "\(result.output)")
            #expect(result.output.contains("i:O = Strowger, CN = Strowger CA"), "\(result.output)")
            #expect(server.decorator.statistics().handshakesCompleted >= 1)
        }
    }

    @Test func opensslWithoutTheCAFailsVerification() async throws {
        try await TLSTestServer.with { server in
            let other = try CertificateAuthority.loadOrCreate(
                in: server.directory.appendingPathComponent("elsewhere")
            )
            try await OpenSSL.withFile(other.certificatePEM) { otherCA in
                let result = try await OpenSSL.run([
                    "s_client", "-connect", "127.0.0.1:\(server.tlsPort)", "-CAfile", otherCA, "-verify_return_error",
                ])
                #expect(result.status != 0, "\(result.output)")
                #expect(!result.output.contains("Verify return code: 0 (ok)"))
            }
        }
    }

    // MARK: Calls

    @Test func twoTLSPhonesRegisterAndCall() async throws {
        try await TLSTestServer.with { server in
            let tls = try server.clientContext()
            let alice = try await server.registeredPhone(Calls.deviceName(0x7A1), tls: tls)
            let bob = try await server.registeredPhone(Calls.deviceName(0x7B2), tls: tls)
            try await self.call(server, from: alice, to: bob)
            try await self.call(server, from: bob, to: alice)
            #expect(server.decorator.statistics().handshakesCompleted == 2)
            try await alice.phone.disconnect()
            try await bob.phone.disconnect()
            try await self.waitUntilClean(server, registered: 0)
        }
    }

    @Test func aTLSPhoneAndAPlainPhoneCallEachOther() async throws {
        try await TLSTestServer.with { server in
            let secure = try await server.registeredPhone(Calls.deviceName(0x7C1), tls: try server.clientContext())
            let plain = try await server.registeredPhone(Calls.deviceName(0x7D2), tls: nil)
            try await self.call(server, from: secure, to: plain)
            try await self.call(server, from: plain, to: secure)
            #expect(server.decorator.statistics().handshakesCompleted == 1)
            try await secure.phone.disconnect()
            try await plain.phone.disconnect()
            try await self.waitUntilClean(server, registered: 0)
        }
    }

    // MARK: Mutual TLS

    static let alice = Calls.deviceName(0xA11CE)
    static let bob = Calls.deviceName(0xB0B)
    static let optional = TLSListenerConfiguration(clientAuthentication: .optional)

    @Test func mutualTLSAcceptsTheDevicesOwnCertificate() async throws {
        try await TLSTestServer.with(tls: Self.optional, requiringClientCertificates: [Self.alice]) { server in
            let certificate = try server.authority.issueDeviceCertificate(deviceName: Self.alice)
            let alice = try await server.registeredPhone(
                Self.alice,
                tls: try server.clientContext(certificate: certificate)
            )
            // A device that does not require a certificate may still come without one.
            let bob = try await server.registeredPhone(Self.bob, tls: try server.clientContext())
            try await self.call(server, from: alice, to: bob)
            #expect(server.decorator.statistics().identityRejections == 0)
            try await alice.phone.disconnect()
            try await bob.phone.disconnect()
        }
    }

    @Test func mutualTLSRejectsAMissingCertificate() async throws {
        try await TLSTestServer.with(tls: Self.optional, requiringClientCertificates: [Self.alice]) { server in
            let phone = try await server.phone(Self.alice, tls: try server.clientContext())
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await phone.register(timeout: TestServer.timeout)
            }
            #expect(error?.code == .registerRejected)
            #expect(error?.text == "Certificate required")
            try await phone.waitForDisconnect(timeout: TestServer.timeout)
            // Nor may it fall back to plain SCCP.
            let plain = try await server.phone(Self.alice, tls: nil)
            let plainError = await #expect(throws: SkinnyPhoneError.self) {
                try await plain.register(timeout: TestServer.timeout)
            }
            #expect(plainError?.text == "Certificate required")
            #expect(try await !self.isRegistered(server, Self.alice))
            #expect(server.decorator.statistics().identityRejections == 1)
        }
    }

    @Test func mutualTLSRejectsAnotherDevicesCertificate() async throws {
        try await TLSTestServer.with(tls: Self.optional) { server in
            let bobsCertificate = try server.authority.issueDeviceCertificate(deviceName: Self.bob)
            let phone = try await server.phone(Self.alice, tls: try server.clientContext(certificate: bobsCertificate))
            let error = await #expect(throws: SkinnyPhoneError.self) {
                try await phone.register(timeout: TestServer.timeout)
            }
            #expect(error?.code == .registerRejected)
            #expect(error?.text == "Certificate mismatch")
            #expect(try await !self.isRegistered(server, Self.alice))
            #expect(server.decorator.statistics().identityRejections == 1)
        }
    }

    @Test func mutualTLSRejectsACertificateFromAnotherCA() async throws {
        try await TLSTestServer.with(tls: Self.optional, requiringClientCertificates: [Self.alice]) { server in
            let other = try CertificateAuthority.loadOrCreate(
                in: server.directory.appendingPathComponent("other"),
                configuration: .init(server: .init(makesRSACertificate: false))
            )
            let forged = try other.issueDeviceCertificate(deviceName: Self.alice)
            let phone = try await server.phone(Self.alice, tls: try server.clientContext(certificate: forged))
            await #expect(throws: (any Error).self) {
                try await phone.register(timeout: TestServer.timeout)
            }
            #expect(try await !self.isRegistered(server, Self.alice))
            #expect(server.decorator.statistics().handshakeFailures == 1)
            #expect(server.decorator.statistics().handshakesCompleted == 0)
        }
    }

    @Test func requiredClientCertificatesFailTheHandshakeWithoutOne() async throws {
        let required = TLSListenerConfiguration(clientAuthentication: .required)
        try await TLSTestServer.with(tls: required) { server in
            let phone = try await server.phone(Self.alice, tls: try server.clientContext())
            await #expect(throws: (any Error).self) {
                try await phone.register(timeout: TestServer.timeout)
            }
            #expect(try await !self.isRegistered(server, Self.alice))

            // openssl: refused without a certificate, accepted with the device's.
            let caFile = server.authority.directory.appendingPathComponent("ca-cert.pem").path
            let connect = ["s_client", "-connect", "127.0.0.1:\(server.tlsPort)", "-CAfile", caFile]
            // TLS 1.2, so that the refusal comes within the handshake: with 1.3 the client is done before the
            // server has judged its (missing) certificate, and s_client may exit 0 before the alert arrives.
            let without = try await OpenSSL.run(connect + ["-tls1_2", "-verify_return_error"])
            #expect(without.status != 0, "\(without.output)")
            #expect(server.decorator.statistics().handshakeFailures >= 1)
            let issued = try server.authority.issueDeviceCertificate(deviceName: Self.alice)
            let files = try issued.write(in: server.directory.appendingPathComponent("issued"), baseName: Self.alice)
            let with = try await OpenSSL.run(
                connect + ["-cert", files.certificatePath, "-key", files.privateKeyPath, "-verify_return_error"]
            )
            #expect(with.status == 0, "\(with.output)")
            #expect(with.output.contains("Verify return code: 0 (ok)"), "\(with.output)")

            // And a phone with its certificate registers.
            let alice = try await server.phone(Self.alice, tls: try server.clientContext(certificate: issued))
            _ = try await alice.register(timeout: TestServer.timeout)
            #expect(try await self.isRegistered(server, Self.alice))
            try await alice.disconnect()
        }
    }

    // MARK: Deadline

    @Test func aClientThatNeverFinishesTheHandshakeIsClosedAtTheDeadline() async throws {
        let quick = TLSListenerConfiguration(handshakeTimeout: .milliseconds(300))
        try await TLSTestServer.with(tls: quick) { server in
            let started = ContinuousClock.now
            let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: server.tlsPort).get()
            // Half a ClientHello: a record header promising more than ever comes. On a loaded machine the deadline
            // may pass before the write, which then fails on the closed channel: the close is what is tested.
            try? await silent.writeAndFlush(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01])).get()
            try await silent.closeFuture.get()
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(250))
            #expect(elapsed < TestServer.timeout)
            #expect(server.decorator.statistics().handshakeTimeouts == 1)
            try await self.waitUntilClean(server, registered: 0)
        }
    }
}
