import Certificates
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct CertificateAuthorityTests {
    /// A fresh directory under the temporary directory, removed after `body`.
    func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-certificates-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    func mode(_ url: URL, _ name: String) -> mode_t? {
        var info = stat()
        guard stat(url.appendingPathComponent(name).path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    func validate(
        _ leaf: Certificate,
        root: Certificate,
        @PolicyBuilder policy: () -> some VerifierPolicy
    ) async -> CertificateValidationResult {
        var verifier = Verifier(rootCertificates: CertificateStore([root]), policy: policy)
        return await verifier.validate(leaf: leaf, intermediates: CertificateStore())
    }

    @Test func firstLoadCreatesTheFilesWithTheirModes() async throws {
        try await self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(authority.origin == .created)
            #expect(authority.server.origin == .created)
            #expect(self.mode(directory, "ca-key.pem") == 0o600)
            #expect(self.mode(directory, "server-key.pem") == 0o600)
            // Certificates too: nothing in the data directory is readable by other users (issue 13).
            #expect(self.mode(directory, "ca-cert.pem") == 0o600)
            #expect(self.mode(directory, "server-cert.pem") == 0o600)
            #expect(self.mode(directory, "server-rsa-key.pem") == 0o600)
            #expect(self.mode(directory, "server-rsa-cert.pem") == 0o600)
            #expect(authority.warnings.isEmpty)
            // No temporary files left behind.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(
                names == [
                    "ca-cert.pem", "ca-key.pem", "server-cert.pem", "server-key.pem", "server-rsa-cert.pem",
                    "server-rsa-key.pem",
                ]
            )
        }
    }

    @Test func theCAIsAP256CertificateAuthorityForTenYears() async throws {
        try await self.withDirectory { directory in
            let now = Date()
            let authority = try CertificateAuthority.loadOrCreate(in: directory, now: now)
            let ca = authority.certificate
            #expect(ca.subject == ca.issuer)
            #expect(ca.signatureAlgorithm == .ecdsaWithSHA256)
            #expect(P256.Signing.PublicKey(ca.publicKey) != nil)
            #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(try ca.extensions.keyUsage?.keyCertSign == true)
            #expect(try ca.extensions.basicConstraints != nil)
            let years = ca.notValidAfter.timeIntervalSince(now) / (365.25 * 86400)
            #expect(years > 9.99 && years < 10.01)
            #expect(DeviceCertificate.commonName(of: ca) == "Strowger CA")
            // The file holds the same certificate.
            let pem = try String(contentsOf: directory.appendingPathComponent("ca-cert.pem"), encoding: .utf8)
            #expect(try Certificate(pemEncoded: pem) == ca)
        }
    }

    @Test func theServerCertificateNamesLoopbackAndTheConfiguredNames() async throws {
        try await self.withDirectory { directory in
            let now = Date()
            let configuration = CertificateAuthority.Configuration(
                server: ServerCertificateConfiguration(
                    names: ["cm1.example.net", "192.0.2.10", "0.0.0.0", "2001:db8::1"])
            )
            let authority = try CertificateAuthority.loadOrCreate(in: directory, configuration: configuration, now: now)
            let server = authority.server.certificate
            let names = try #require(try server.extensions.subjectAlternativeNames)
            #expect(names.contains(.dnsName("localhost")))
            #expect(names.contains(.dnsName("cm1.example.net")))
            #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
            #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 10]))))
            #expect(!names.contains(.ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0]))))
            #expect(names.count == 6)
            #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
            #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
            #expect(DeviceCertificate.commonName(of: server) == "cm1.example.net")
            let years = server.notValidAfter.timeIntervalSince(now) / (365.25 * 86400)
            #expect(years > 1.99 && years < 2.01)
        }
    }

    @Test func theServerChainVerifiesForLocalhostAnd127001() async throws {
        try await self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            let server = authority.server.certificate
            for (hostname, address) in [("localhost", nil), (nil, "127.0.0.1")] as [(String?, String?)] {
                let result = await self.validate(server, root: authority.certificate) {
                    RFC5280Policy()
                    ServerIdentityPolicy(serverHostname: hostname, serverIP: address)
                }
                guard case .validCertificate(let chain) = result else {
                    Issue.record("server certificate did not verify for \(hostname ?? address ?? ""): \(result)")
                    continue
                }
                #expect(chain.count == 2)
                #expect(chain.last == authority.certificate)
            }
            // And not for a name it does not carry.
            let other = await self.validate(server, root: authority.certificate) {
                RFC5280Policy()
                ServerIdentityPolicy(serverHostname: "elsewhere.example", serverIP: nil)
            }
            guard case .couldNotValidate = other else {
                Issue.record("verified for a name it does not carry")
                return
            }
        }
    }

    @Test func aSecondLoadReusesTheFiles() async throws {
        try await self.withDirectory { directory in
            let first = try CertificateAuthority.loadOrCreate(in: directory)
            let second = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(second.origin == .loaded)
            #expect(second.server.origin == .loaded)
            #expect(second.certificate == first.certificate)
            #expect(second.server.certificate == first.server.certificate)
            #expect(second.server.privateKeyPEM == first.server.privateKeyPEM)
        }
    }

    @Test func theServerCertificateIsReissuedForANewNameOrNearExpiry() async throws {
        try await self.withDirectory { directory in
            let first = try CertificateAuthority.loadOrCreate(in: directory)
            let renamed = try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: ServerCertificateConfiguration(names: ["pbx.example"]))
            )
            guard case .reissued = renamed.server.origin else {
                Issue.record("a new name did not reissue: \(renamed.server.origin)")
                return
            }
            #expect(renamed.origin == .loaded)
            #expect(renamed.certificate == first.certificate)
            #expect(renamed.server.certificate != first.server.certificate)
            // Loopback-only configuration again: the certificate with more names is still good.
            let again = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(again.server.origin == .loaded)
            // Two years on, within the renewal margin.
            let later = try CertificateAuthority.loadOrCreate(
                in: directory,
                now: Date().addingTimeInterval(720 * 86400)
            )
            guard case .reissued = later.server.origin else {
                Issue.record("an expiring certificate was not reissued: \(later.server.origin)")
                return
            }
        }
    }

    @Test func aReadableKeyIsWarnedAbout() async throws {
        try await self.withDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(in: directory)
            chmod(directory.appendingPathComponent("ca-key.pem").path, 0o644)
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(authority.warnings.count == 1)
            #expect(authority.warnings.first?.contains("ca-key.pem is readable by others (mode 644)") == true)
        }
    }

    @Test func halfACAIsAnErrorNotOverwritten() async throws {
        try await self.withDirectory { directory in
            _ = try CertificateAuthority.loadOrCreate(in: directory)
            let certificatePath = directory.appendingPathComponent("ca-cert.pem")
            try FileManager.default.removeItem(at: certificatePath)
            #expect(throws: CertificateAuthorityError.self) { try CertificateAuthority.loadOrCreate(in: directory) }
            do {
                _ = try CertificateAuthority.loadOrCreate(in: directory)
            } catch let error as CertificateAuthorityError {
                #expect(error.code == .incompleteAuthority)
            }
            // The key is still there.
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ca-key.pem").path))
        }
    }

    @Test func aDeviceCertificateNamesTheDeviceAndChainsToTheCA() async throws {
        try await self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            let issued = try authority.issueDeviceCertificate(deviceName: "SEP001122AABBCC")
            #expect(DeviceCertificate.commonName(of: issued.certificate) == "SEP001122AABBCC")
            #expect(try issued.certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
            #expect(try issued.certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == false)
            #expect(authority.hasIssued(issued.certificate))
            #expect(issued.privateKey.publicKey == issued.certificate.publicKey)
            let result = await self.validate(issued.certificate, root: authority.certificate) { RFC5280Policy() }
            guard case .validCertificate = result else {
                Issue.record("device certificate did not verify: \(result)")
                return
            }
            // The PEM carries the same DER as the CN helper reads.
            let der = try Certificate(pemEncoded: issued.certificatePEM)
            #expect(DeviceCertificate.commonName(of: der) == "SEP001122AABBCC")
        }
    }

    @Test func deviceCertificateFilesAreWrittenWithTheirModes() async throws {
        try await self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            let output = directory.appendingPathComponent("issued")
            let files = try authority.issueDeviceCertificateFiles(
                deviceName: "SEP001122AABBCC",
                outputDirectory: output
            )
            #expect(files.certificatePath.hasSuffix("issued/SEP001122AABBCC-cert.pem"))
            #expect(self.mode(output, "SEP001122AABBCC-key.pem") == 0o600)
            #expect(self.mode(output, "SEP001122AABBCC-cert.pem") == 0o600)
            let key = try Certificate.PrivateKey(
                pemEncoded: String(contentsOfFile: files.privateKeyPath, encoding: .utf8)
            )
            let certificate = try Certificate(
                pemEncoded: String(contentsOfFile: files.certificatePath, encoding: .utf8)
            )
            #expect(key.publicKey == certificate.publicKey)
        }
    }

    @Test(arguments: ["", "SEP001122AABBCCDD", "SEP 0011", "SEP/../x", "SEPÄ"])
    func invalidDeviceNamesAreRefused(_ name: String) async throws {
        try await self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(throws: CertificateAuthorityError.self) { try authority.issueDeviceCertificate(deviceName: name) }
        }
    }

    @Test func anotherCAsCertificateIsNotIssuedByThisOne() async throws {
        try await self.withDirectory { directory in
            let ours = try CertificateAuthority.loadOrCreate(in: directory.appendingPathComponent("a"))
            let theirs = try CertificateAuthority.loadOrCreate(in: directory.appendingPathComponent("b"))
            let foreign = try theirs.issueDeviceCertificate(deviceName: "SEP001122AABBCC")
            #expect(!ours.hasIssued(foreign.certificate))
            let result = await self.validate(foreign.certificate, root: ours.certificate) { RFC5280Policy() }
            guard case .couldNotValidate = result else {
                Issue.record("a foreign certificate verified against our CA")
                return
            }
        }
    }

    @Test func aSuppliedServerCertificateIsUsedAsIs() async throws {
        try await self.withDirectory { directory in
            // The user's certificate, from another CA.
            let other = try CertificateAuthority.loadOrCreate(in: directory.appendingPathComponent("other"))
            let supplied = SuppliedServerCertificate(
                certificateChainPath: other.server.certificatePath,
                privateKeyPath: other.server.privateKeyPath
            )
            let data = directory.appendingPathComponent("data")
            let authority = try CertificateAuthority.loadOrCreate(
                in: data,
                configuration: .init(server: ServerCertificateConfiguration(supplied: supplied))
            )
            #expect(authority.server.origin == .supplied)
            #expect(authority.server.certificate == other.server.certificate)
            // The anchor is the chain's last certificate (the leaf alone here, as it is not ours).
            #expect(try Certificate(pemEncoded: authority.server.trustAnchorPEM) == other.server.certificate)
            // No server files of our own were written; the CA for device certificates still was.
            let names = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
            #expect(names == ["ca-cert.pem", "ca-key.pem"])
            // A key that does not match is refused.
            let mismatched = SuppliedServerCertificate(
                certificateChainPath: other.server.certificatePath,
                privateKeyPath: other.directory
                    .appendingPathComponent("ca-key.pem").path
            )
            #expect(throws: CertificateAuthorityError.self) {
                try CertificateAuthority.loadOrCreate(
                    in: data,
                    configuration: .init(server: ServerCertificateConfiguration(supplied: mismatched))
                )
            }
        }
    }

    @Test func aUsersOwnCAInTheDirectoryIsUsed() async throws {
        try await self.withDirectory { directory in
            // An RSA-free stand-in for "the user's CA": a P-384 CA written by hand.
            let key = P384.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("Example Corp Root") }
            let ca = try Certificate(
                version: .v3,
                serialNumber: .init(),
                publicKey: .init(key.publicKey),
                notValidBefore: Date().addingTimeInterval(-60),
                notValidAfter: Date().addingTimeInterval(86400 * 400),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA384,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true))
                },
                issuerPrivateKey: .init(key)
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try key.pemRepresentation.write(
                to: directory.appendingPathComponent("ca-key.pem"),
                atomically: true,
                encoding: .utf8
            )
            try ca.serializeAsPEM().pemString.write(
                to: directory.appendingPathComponent("ca-cert.pem"),
                atomically: true,
                encoding: .utf8
            )
            let authority = try CertificateAuthority.loadOrCreate(in: directory)
            #expect(authority.origin == .loaded)
            #expect(authority.certificate == ca)
            #expect(authority.hasIssued(authority.server.certificate))
            // Never outlives its CA.
            #expect(authority.server.certificate.notValidAfter <= ca.notValidAfter)
            let result = await self.validate(authority.server.certificate, root: ca) {
                RFC5280Policy()
                ServerIdentityPolicy(serverHostname: "localhost", serverIP: nil)
            }
            guard case .validCertificate = result else {
                Issue.record("server certificate from the user's CA did not verify: \(result)")
                return
            }
        }
    }

    @Test func commonNamesMatchDeviceNamesWithoutRegardToCase() {
        #expect(DeviceCertificate.commonName("SEP001122AABBCC", matchesDeviceName: "SEP001122aabbcc"))
        #expect(!DeviceCertificate.commonName("SEP001122AABBCC", matchesDeviceName: "SEP001122AABBCD"))
        #expect(!DeviceCertificate.commonName("SEP001122AABBCC", matchesDeviceName: "SEP001122AABBC"))
    }
}
