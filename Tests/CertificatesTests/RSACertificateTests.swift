import Certificates
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The RSA server certificate (for phones that speak RSA only) and the SAST that signs the trust lists.
@Suite struct RSACertificateTests {
    func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "strowger-rsa-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    func mode(_ url: URL, _ name: String) -> mode_t? {
        var info = stat()
        guard stat(url.appendingPathComponent(name).path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    @Test func theRSAServerCertificateIsSelfSignedRSA2048ForTheConfiguredNames() throws {
        try self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: ServerCertificateConfiguration(names: ["cm1.example.net", "192.0.2.10"]))
            )
            let rsa = try #require(authority.rsaServer)
            #expect(rsa.keyType == .rsa)
            #expect(authority.server.keyType == .ecdsa)
            #expect(authority.serverCredentials.map(\.keyType) == [.ecdsa, .rsa])
            let certificate = rsa.certificate
            #expect(_RSA.Signing.PublicKey(certificate.publicKey)?.keySizeInBits == 2048)
            #expect(certificate.issuer == certificate.subject)
            #expect(certificate.signatureAlgorithm == .sha256WithRSAEncryption)
            #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
            #expect(try certificate.extensions.keyUsage?.keyEncipherment == true)
            let names = try #require(try certificate.extensions.subjectAlternativeNames).map { "\($0)" }
            #expect(names.contains { $0.contains("cm1.example.net") })
            #expect(TrustListFields.name(certificate.subject) == "CN=cm1.example.net;OU=SCCPS;O=Strowger")
            // Kept on the next load; issued anew when a name is added.
            let again = try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: ServerCertificateConfiguration(names: ["cm1.example.net", "192.0.2.10"]))
            )
            #expect(again.rsaServer?.origin == .loaded)
            #expect(again.rsaServer?.certificate == certificate)
            let more = try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: ServerCertificateConfiguration(names: ["cm2.example.net"]))
            )
            if case .reissued = more.rsaServer?.origin {
            } else {
                Issue.record("not reissued: \(String(describing: more.rsaServer?.origin))")
            }
        }
    }

    @Test func theRSACertificateCanBeLeftOut() throws {
        try self.withDirectory { directory in
            let authority = try CertificateAuthority.loadOrCreate(
                in: directory,
                configuration: .init(server: ServerCertificateConfiguration(makesRSACertificate: false))
            )
            #expect(authority.rsaServer == nil)
            #expect(
                !FileManager.default.fileExists(atPath: directory.appendingPathComponent("server-rsa-key.pem").path)
            )
        }
    }

    @Test func theSASTIsMadeOnceKeptAndSigns() throws {
        try self.withDirectory { directory in
            let token = try SystemAdministratorToken.loadOrCreate(in: directory)
            #expect(token.origin == .created)
            #expect(token.keySizeInBits == 2048)
            #expect(self.mode(directory, "sast-key.pem") == 0o600)
            #expect(self.mode(directory, "sast-cert.pem") == 0o600)
            #expect(TrustListFields.name(token.certificate.subject) == "CN=Strowger SAST;OU=SAST;O=Strowger")
            let years = token.certificate.notValidAfter.timeIntervalSinceNow / (365.25 * 86400)
            #expect(years > 19.9 && years < 20.1)
            let again = try SystemAdministratorToken.loadOrCreate(in: directory)
            #expect(again.origin == .loaded)
            #expect(again.certificate == token.certificate)

            let data = Array("a trust list".utf8)
            for digest in SystemAdministratorToken.Digest.allCases {
                let signature = try token.signature(for: data, digest: digest)
                #expect(signature.count == 256)
                #expect(
                    SystemAdministratorToken.isValidSignature(
                        signature,
                        of: data,
                        digest: digest,
                        by: token.certificate
                    )
                )
                #expect(
                    !SystemAdministratorToken.isValidSignature(
                        signature,
                        of: data + [0],
                        digest: digest,
                        by: token.certificate
                    )
                )
            }
            // PKCS #1 v1.5 under SHA-1 is what a phone checks: the same bytes swift-crypto's verifier accepts.
            let key = try #require(_RSA.Signing.PublicKey(token.certificate.publicKey))
            let signature = try token.signature(for: data, digest: .sha1)
            #expect(
                key.isValidSignature(
                    _RSA.Signing.RSASignature(rawRepresentation: signature),
                    for: Insecure.SHA1.hash(data: data),
                    padding: .insecurePKCS1v1_5
                )
            )
        }
    }

    @Test func halfATokenIsRefusedAndReplacingKeepsTheOldFiles() throws {
        try self.withDirectory { directory in
            let token = try SystemAdministratorToken.loadOrCreate(in: directory)
            let (replacement, retired) = try SystemAdministratorToken.replace(in: directory)
            #expect(replacement.certificate != token.certificate)
            #expect(retired.count == 2)
            for path in retired { #expect(FileManager.default.fileExists(atPath: path)) }
            #expect(try SystemAdministratorToken.load(in: directory)?.certificate == replacement.certificate)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("sast-key.pem"))
            #expect(throws: CertificateAuthorityError.self) { try SystemAdministratorToken.loadOrCreate(in: directory) }
        }
    }

    @Test func trustListFieldsComeFromTheCertificate() throws {
        try self.withDirectory { directory in
            let token = try SystemAdministratorToken.loadOrCreate(in: directory)
            let fields = try TrustListFields(token.certificate)
            #expect(try Certificate(derEncoded: fields.certificate) == token.certificate)
            #expect(fields.serialNumber.first != 0)
            #expect(fields.signature.count == 256)
            let key = try #require(_RSA.Signing.PublicKey(token.certificate.publicKey))
            #expect(fields.publicKey == Array(key.pkcs1DERRepresentation))
            #expect(fields.subjectName == fields.issuerName)
        }
    }
}
