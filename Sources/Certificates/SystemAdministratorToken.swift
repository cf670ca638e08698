import Crypto
public import Foundation
import SwiftASN1
public import X509
import _CryptoExtras

/// Strowger's System Administrator Security Token (SAST): the RSA key and self-signed certificate that sign the
/// trust lists (CTL and ITL) Cisco phones fetch before anything else.
///
/// On CUCM the SAST is a USB eToken (or, since 10.0, a software key on the publisher); a phone that has installed a
/// trust list accepts a new one only if a SAST it already knows signed it. The key must therefore outlive every
/// other certificate: it is made once, kept in the data directory like the CA, and never replaced by a start.
/// Replacing it is a deliberate step (`strowger ctl reset`, docs/tls.md), because phones that trust the old key
/// refuse lists signed by a new one until they are reset to an empty list.
///
/// | file | what | mode |
/// |---|---|---|
/// | `sast-key.pem` | RSA 2048 private key, PKCS#8 | 0600 |
/// | `sast-cert.pem` | self-signed certificate: CN "Strowger SAST", OU "SAST", 20 years, SHA-256 | 0644 |
public struct SystemAdministratorToken: Sendable {
    /// The file names inside the data directory.
    public enum FileName {
        public static let key = "sast-key.pem"
        public static let certificate = "sast-cert.pem"
    }

    /// Twenty years: a trust list's signer should outlive the phones that trust it.
    public static let validity: TimeInterval = 7305 * 86400

    /// The digest under a trust list's RSA signature (PKCS #1 v1.5).
    public enum Digest: Hashable, Sendable, CaseIterable {
        /// SHA-1: every phone that reads trust lists verifies it; the only one firmware before about 2014 knows.
        case sha1
        /// SHA-512: newer firmware.
        case sha512
    }

    /// The certificate, as it goes into the trust lists' SAST record.
    public let certificate: Certificate
    /// `certificate` in PEM, as in `sast-cert.pem`.
    public let certificatePEM: String
    /// Created on this load, or loaded.
    public let origin: CertificateAuthority.Origin
    /// The directory the files are in.
    public let directory: URL
    private let key: _RSA.Signing.PrivateKey

    /// The key's size in bits (2048 for a generated token).
    public var keySizeInBits: Int { self.key.keySizeInBits }

    /// Loads the token from `directory`, creating it if neither file exists. Like the CA, half a token (one file
    /// without the other) is an error rather than something to overwrite.
    public static func loadOrCreate(
        in directory: URL,
        organization: String = "Strowger",
        now: Date = Date()
    ) throws -> SystemAdministratorToken {
        if let existing = try Self.load(in: directory) { return existing }
        try PEMFiles.createDirectory(directory.path)
        return try Self.create(in: directory, organization: organization, now: now)
    }

    /// Loads the token from `directory`; nil when neither file exists.
    public static func load(in directory: URL) throws -> SystemAdministratorToken? {
        let keyPath = directory.appendingPathComponent(FileName.key).path
        let certificatePath = directory.appendingPathComponent(FileName.certificate).path
        switch (PEMFiles.exists(keyPath), PEMFiles.exists(certificatePath)) {
        case (false, false):
            return nil
        case (true, false):
            throw CertificateAuthorityError.incompleteAuthority(
                "\(keyPath) exists but \(certificatePath) does not; restore it (phones trust it) or remove both"
            )
        case (false, true):
            throw CertificateAuthorityError.incompleteAuthority(
                "\(certificatePath) exists but \(keyPath) does not; restore it (phones trust it) or remove both"
            )
        case (true, true):
            let certificatePEM = try PEMFiles.read(certificatePath)
            let certificate = try CertificateAuthority.parseCertificate(certificatePEM, path: certificatePath)
            let key = try RSACertificate.parsePrivateKey(try PEMFiles.read(keyPath), path: keyPath)
            guard let publicKey = _RSA.Signing.PublicKey(certificate.publicKey),
                publicKey.derRepresentation == key.publicKey.derRepresentation
            else {
                throw CertificateAuthorityError.keyDoesNotMatchCertificate(
                    "\(keyPath) is not the RSA key of \(certificatePath)"
                )
            }
            return SystemAdministratorToken(
                certificate: certificate,
                certificatePEM: certificatePEM,
                origin: .loaded,
                directory: directory,
                key: key
            )
        }
    }

    /// Moves the current token's files aside (`sast-key.pem.retired-<unix time>`, and the certificate likewise) and
    /// creates a new token: the last step of `strowger ctl reset`, once phones hold an empty trust list. Returns the
    /// new token and the paths the old files were moved to (empty if there was no token).
    public static func replace(
        in directory: URL,
        organization: String = "Strowger",
        now: Date = Date()
    ) throws -> (token: SystemAdministratorToken, retired: [String]) {
        try PEMFiles.createDirectory(directory.path)
        let suffix = ".retired-\(Int(now.timeIntervalSince1970))"
        var retired: [String] = []
        for name in [FileName.key, FileName.certificate] {
            let path = directory.appendingPathComponent(name).path
            guard PEMFiles.exists(path) else { continue }
            let target = path + suffix
            do {
                try FileManager.default.moveItem(atPath: path, toPath: target)
            } catch {
                throw CertificateAuthorityError.fileSystem(
                    "cannot move \(path) to \(target): \(error.localizedDescription)"
                )
            }
            retired.append(target)
        }
        return (try Self.create(in: directory, organization: organization, now: now), retired)
    }

    private static func create(
        in directory: URL,
        organization: String,
        now: Date
    ) throws -> SystemAdministratorToken {
        let (certificate, key) = try RSACertificate.makeSelfSigned(
            commonName: "Strowger SAST",
            organizationalUnit: "SAST",
            organization: organization,
            validity: Self.validity,
            now: now
        ) { publicKey in
            try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                SubjectKeyIdentifier(hash: publicKey)
            }
        }
        let certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        // The key first: a certificate without its key would block every later start.
        try PEMFiles.write(
            RSACertificate.pem(of: key),
            to: directory.appendingPathComponent(FileName.key).path,
            mode: PEMFiles.privateKeyMode
        )
        try PEMFiles.write(
            certificatePEM,
            to: directory.appendingPathComponent(FileName.certificate).path,
            mode: PEMFiles.certificateMode
        )
        return SystemAdministratorToken(
            certificate: certificate,
            certificatePEM: certificatePEM,
            origin: .created,
            directory: directory,
            key: key
        )
    }

    private init(
        certificate: Certificate,
        certificatePEM: String,
        origin: CertificateAuthority.Origin,
        directory: URL,
        key: _RSA.Signing.PrivateKey
    ) {
        self.certificate = certificate
        self.certificatePEM = certificatePEM
        self.origin = origin
        self.directory = directory
        self.key = key
    }

    /// Whether `signature` is `certificate`'s RSA PKCS #1 v1.5 signature of `data` under `digest`: how a phone
    /// checks a trust list against a SAST it knows (`strowger ctl show` does the same).
    public static func isValidSignature(
        _ signature: [UInt8],
        of data: [UInt8],
        digest: Digest,
        by certificate: Certificate
    ) -> Bool {
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else { return false }
        let value = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch digest {
        case .sha1:
            return key.isValidSignature(value, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        case .sha512:
            return key.isValidSignature(value, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        }
    }

    /// The RSA PKCS #1 v1.5 signature of `data` under `digest`: what a trust list's signature field holds.
    public func signature(for data: some DataProtocol, digest: Digest) throws -> [UInt8] {
        let signature: _RSA.Signing.RSASignature
        switch digest {
        case .sha1:
            signature = try self.key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        case .sha512:
            signature = try self.key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
        }
        return Array(signature.rawRepresentation)
    }
}
