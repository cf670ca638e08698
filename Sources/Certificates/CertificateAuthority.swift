import Crypto
public import Foundation
import SwiftASN1
public import X509

/// The Strowger CA: a private certificate authority kept in the data directory, which signs the SCCPS server
/// certificate and the client certificates of devices that use mutual TLS.
///
/// `loadOrCreate(in:configuration:now:)` is the one entry point. On first start it creates, in the directory:
///
/// | file | what | mode |
/// |---|---|---|
/// | `ca-key.pem` | the CA's P-256 private key (PKCS#8) | 0600 |
/// | `ca-cert.pem` | the self-signed CA certificate: 10 years, CA, keyCertSign | 0644 |
/// | `server-key.pem` | the server's P-256 private key | 0600 |
/// | `server-cert.pem` | the server certificate: 2 years, serverAuth, the configured names and loopback | 0644 |
///
/// Later starts reuse the files. The server certificate is issued anew when it is missing, unreadable, no longer
/// signed by the CA, within `renewalMargin` of expiry, or does not name every configured host name and address.
/// The CA is never replaced: when only one half of it exists, loading fails rather than overwrite a user's key.
///
/// A user can bring their own CA by putting its certificate and key in the two CA files before the first start
/// (any key type swift-certificates reads: P-256/384/521, RSA, Ed25519), or their own server certificate with
/// `ServerCertificateConfiguration.supplied`.
public struct CertificateAuthority: Sendable {
    /// The file names inside the directory.
    public enum FileName {
        /// The CA's private key.
        public static let authorityKey = "ca-key.pem"
        /// The CA's certificate.
        public static let authorityCertificate = "ca-cert.pem"
        /// The server's private key (not used when the server certificate is supplied).
        public static let serverKey = "server-key.pem"
        /// The server's certificate (not used when the server certificate is supplied).
        public static let serverCertificate = "server-cert.pem"
        /// The RSA server certificate's private key (RSA 2048), for phones that speak RSA only.
        public static let rsaServerKey = "server-rsa-key.pem"
        /// The RSA server certificate: self-signed, like CUCM's `CallManager.pem` (docs/tls.md).
        public static let rsaServerCertificate = "server-rsa-cert.pem"
    }

    /// How long the certificates are valid.
    public enum Validity {
        /// The CA: ten years, so that a deployment outlives its phones' trust lists.
        public static let authority: TimeInterval = 3653 * 86400
        /// The server certificate: two years; it is reissued automatically before it expires.
        public static let server: TimeInterval = 730 * 86400
        /// A device certificate: five years, as Cisco's locally significant certificates.
        public static let device: TimeInterval = 1826 * 86400
        /// Certificates start this long before their issue, so that a phone whose clock is a little behind (before
        /// NTP) still accepts them.
        public static let backdating: TimeInterval = 3600
    }

    /// What to create.
    public struct Configuration: Sendable {
        /// The CA's subject common name.
        public var commonName: String
        /// The organization in the CA's and the certificates' subjects.
        public var organization: String
        /// The server certificate.
        public var server: ServerCertificateConfiguration

        public init(
            commonName: String = "Strowger CA",
            organization: String = "Strowger",
            server: ServerCertificateConfiguration = ServerCertificateConfiguration()
        ) {
            self.commonName = commonName
            self.organization = organization
            self.server = server
        }
    }

    /// Where a certificate came from on this load; the server logs it.
    public enum Origin: Hashable, Sendable {
        /// Created now, because there was none.
        case created
        /// Read from the files a previous start wrote (or the user put there).
        case loaded
        /// Issued anew, replacing files that could not be used for `reason`.
        case reissued(reason: String)
        /// The user's own, from the paths in `ServerCertificateConfiguration.supplied`.
        case supplied
    }

    /// The CA certificate: the trust root for device certificates, and for the server certificate unless that was
    /// supplied from elsewhere.
    public var certificate: Certificate { self.signer.certificate }
    /// `certificate` in PEM, as in `ca-cert.pem`.
    public var certificatePEM: String { self.signer.certificatePEM }
    /// Whether the CA was created on this load or loaded.
    public let origin: Origin
    /// Problems worth a line in the log that did not stop the load: private key files that others can read.
    public let warnings: [String]
    /// The directory the files are in.
    public let directory: URL
    /// What the SCCPS listener presents.
    public let server: ServerCredentials
    /// The RSA certificate the TLS listeners present to clients that cannot take `server`'s ECDSA key (Cisco's
    /// 79xx phones); nil when `server` is the user's own (``ServerCertificateConfiguration/supplied``) or
    /// ``ServerCertificateConfiguration/makesRSACertificate`` is off. Self-signed, RSA 2048: phones trust it because
    /// the trust lists (CTL/ITL) name it, not through a chain.
    public let rsaServer: ServerCredentials?
    private let signer: CertificateSigner

    /// The server certificates a TLS listener presents, best first: `server`, then `rsaServer` if there is one.
    public var serverCredentials: [ServerCredentials] {
        [self.server] + (self.rsaServer.map { [$0] } ?? [])
    }

    /// Loads the CA and the server certificate from `directory`, creating whatever is missing (see the type's
    /// documentation). Creates the directory if needed.
    public static func loadOrCreate(
        in directory: URL,
        configuration: Configuration = Configuration(),
        now: Date = Date()
    ) throws -> CertificateAuthority {
        try PEMFiles.createDirectory(directory.path)
        let (signer, origin) = try Self.loadOrCreateSigner(in: directory, configuration: configuration, now: now)
        let server: ServerCredentials
        var rsaServer: ServerCredentials?
        if let supplied = configuration.server.supplied {
            server = try Self.loadSupplied(supplied, signer: signer)
        } else {
            server = try Self.loadOrIssueServerCertificate(
                in: directory,
                configuration: configuration.server,
                signer: signer,
                now: now
            )
            if configuration.server.makesRSACertificate {
                rsaServer = try Self.loadOrIssueRSAServerCertificate(
                    in: directory,
                    configuration: configuration.server,
                    organization: configuration.organization,
                    now: now
                )
            }
        }
        let keyPaths =
            [directory.appendingPathComponent(FileName.authorityKey).path, server.privateKeyPath]
            + (rsaServer.map { [$0.privateKeyPath] } ?? [])
        let warnings = keyPaths.compactMap { path -> String? in
            guard let mode = PEMFiles.mode(of: path), mode & 0o077 != 0 else { return nil }
            return "\(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600 it"
        }
        return CertificateAuthority(
            origin: origin,
            warnings: warnings,
            directory: directory,
            server: server,
            rsaServer: rsaServer,
            signer: signer
        )
    }

    private init(
        origin: Origin,
        warnings: [String],
        directory: URL,
        server: ServerCredentials,
        rsaServer: ServerCredentials?,
        signer: CertificateSigner
    ) {
        self.origin = origin
        self.warnings = warnings
        self.directory = directory
        self.server = server
        self.rsaServer = rsaServer
        self.signer = signer
    }

    // MARK: Issuing

    /// Issues a client certificate for the device named `deviceName` (e.g. "SEP001122AABBCC"): a new P-256 key, and
    /// a certificate with subject CN = the device name, clientAuth, signed by this CA. Nothing is written; see
    /// `IssuedCertificate.write(in:baseName:)`. With mutual TLS the listener checks the CN against the name the
    /// device registers with.
    public func issueDeviceCertificate(
        deviceName: String,
        validity: TimeInterval = Validity.device,
        now: Date = Date()
    ) throws -> IssuedCertificate {
        guard DeviceCertificate.isValidDeviceName(deviceName) else {
            throw CertificateAuthorityError.invalidDeviceName(
                "\"\(deviceName)\": a device name is 1 to 15 ASCII letters, digits, '-' or '_'"
            )
        }
        return try self.signer.issue(commonName: deviceName, validity: validity, now: now) { publicKey, authorityKey in
            try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: authorityKey)
            }
        }
    }

    /// Issues a device certificate and writes it into `outputDirectory` as `<deviceName>-cert.pem` and
    /// `<deviceName>-key.pem` (0600): what `strowger cert issue SEP…` does.
    @discardableResult
    public func issueDeviceCertificateFiles(
        deviceName: String,
        outputDirectory: URL,
        validity: TimeInterval = Validity.device,
        now: Date = Date()
    ) throws -> IssuedCertificate.Files {
        try self.issueDeviceCertificate(deviceName: deviceName, validity: validity, now: now)
            .write(in: outputDirectory, baseName: deviceName)
    }

    /// Issues a server certificate for `names` (host names and IP addresses; the loopback names are always added).
    public func issueServerCertificate(
        names: [String],
        validity: TimeInterval = Validity.server,
        now: Date = Date()
    ) throws -> IssuedCertificate {
        try Self.issueServerCertificate(names: names, validity: validity, signer: self.signer, now: now)
    }

    /// Whether this CA signed `certificate` (its issuer is the CA's subject and the signature verifies).
    public func hasIssued(_ certificate: Certificate) -> Bool {
        self.signer.hasIssued(certificate)
    }

    private static func issueServerCertificate(
        names: [String],
        validity: TimeInterval,
        signer: CertificateSigner,
        now: Date
    ) throws -> IssuedCertificate {
        let alternativeNames = try ServerCertificateConfiguration.alternativeNames(for: names)
        let commonName = ServerCertificateConfiguration.commonName(for: alternativeNames)
        return try signer.issue(commonName: commonName, validity: validity, now: now) { publicKey, authorityKey in
            try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: authorityKey)
                SubjectAlternativeNames(alternativeNames)
            }
        }
    }

    // MARK: Loading

    private static func loadOrCreateSigner(
        in directory: URL,
        configuration: Configuration,
        now: Date
    ) throws -> (CertificateSigner, Origin) {
        let keyPath = directory.appendingPathComponent(FileName.authorityKey).path
        let certificatePath = directory.appendingPathComponent(FileName.authorityCertificate).path
        switch (PEMFiles.exists(keyPath), PEMFiles.exists(certificatePath)) {
        case (true, true):
            let certificatePEM = try PEMFiles.read(certificatePath)
            let certificate = try Self.parseCertificate(certificatePEM, path: certificatePath)
            let key = try Self.parsePrivateKey(try PEMFiles.read(keyPath), path: keyPath)
            guard key.publicKey == certificate.publicKey else {
                throw CertificateAuthorityError.keyDoesNotMatchCertificate(
                    "\(keyPath) is not the key of \(certificatePath)"
                )
            }
            let signer = CertificateSigner(
                certificate: certificate,
                certificatePEM: certificatePEM,
                privateKey: key,
                organization: configuration.organization
            )
            return (signer, .loaded)
        case (false, false):
            let signer = try CertificateSigner.makeAuthority(
                commonName: configuration.commonName,
                organization: configuration.organization,
                now: now
            )
            // The key first: a certificate without its key would block every later start.
            try PEMFiles.write(
                try signer.privateKey.serializeAsPEM().pemString + "\n",
                to: keyPath,
                mode: PEMFiles.privateKeyMode
            )
            try PEMFiles.write(signer.certificatePEM, to: certificatePath, mode: PEMFiles.certificateMode)
            return (signer, .created)
        case (true, false):
            throw CertificateAuthorityError.incompleteAuthority(
                "\(keyPath) exists but \(certificatePath) does not; restore it or remove both to create a new CA"
            )
        case (false, true):
            throw CertificateAuthorityError.incompleteAuthority(
                "\(certificatePath) exists but \(keyPath) does not; restore it or remove both to create a new CA"
            )
        }
    }

    private static func loadOrIssueServerCertificate(
        in directory: URL,
        configuration: ServerCertificateConfiguration,
        signer: CertificateSigner,
        now: Date
    ) throws -> ServerCredentials {
        let keyPath = directory.appendingPathComponent(FileName.serverKey).path
        let certificatePath = directory.appendingPathComponent(FileName.serverCertificate).path
        let wanted = try ServerCertificateConfiguration.alternativeNames(for: configuration.names)
        var origin = Origin.created
        if PEMFiles.exists(keyPath) || PEMFiles.exists(certificatePath) {
            switch Self.reusableServerCertificate(
                keyPath: keyPath,
                certificatePath: certificatePath,
                wanted: wanted,
                renewalMargin: configuration.renewalMargin,
                signer: signer,
                now: now
            )
            {
            case .success(let credentials):
                return credentials
            case .failure(let reason):
                origin = .reissued(reason: reason.description)
            }
        }
        let issued = try Self.issueServerCertificate(
            names: configuration.names,
            validity: configuration.validity,
            signer: signer,
            now: now
        )
        try PEMFiles.write(issued.privateKeyPEM, to: keyPath, mode: PEMFiles.privateKeyMode)
        try PEMFiles.write(issued.certificatePEM, to: certificatePath, mode: PEMFiles.certificateMode)
        return ServerCredentials(
            certificate: issued.certificate,
            certificateChainPEM: issued.certificatePEM,
            privateKeyPEM: issued.privateKeyPEM,
            certificatePath: certificatePath,
            privateKeyPath: keyPath,
            trustAnchorPEM: signer.certificatePEM,
            origin: origin
        )
    }

    /// The RSA server certificate: reused unless it is missing, unreadable, not a self-signed RSA 2048 certificate of
    /// its key, within the renewal margin of expiry, or missing a configured name; else issued anew.
    private static func loadOrIssueRSAServerCertificate(
        in directory: URL,
        configuration: ServerCertificateConfiguration,
        organization: String,
        now: Date
    ) throws -> ServerCredentials {
        let keyPath = directory.appendingPathComponent(FileName.rsaServerKey).path
        let certificatePath = directory.appendingPathComponent(FileName.rsaServerCertificate).path
        let wanted = try ServerCertificateConfiguration.alternativeNames(for: configuration.names)
        var origin = Origin.created
        if PEMFiles.exists(keyPath) || PEMFiles.exists(certificatePath) {
            do {
                let certificatePEM = try PEMFiles.read(certificatePath)
                let certificate = try Self.parseCertificate(certificatePEM, path: certificatePath)
                let keyPEM = try PEMFiles.read(keyPath)
                let key = try RSACertificate.parsePrivateKey(keyPEM, path: keyPath)
                let present = Set((try? certificate.extensions.subjectAlternativeNames).map { Array($0) } ?? [])
                let missing = wanted.filter { !present.contains($0) }
                if !RSACertificate.isSelfSignedRSA(certificate, key: key) {
                    origin = .reissued(
                        reason: "the RSA server certificate is not a self-signed RSA 2048 one of its key"
                    )
                } else if certificate.notValidAfter <= now.addingTimeInterval(configuration.renewalMargin) {
                    origin = .reissued(reason: "the RSA server certificate expires on \(certificate.notValidAfter)")
                } else if !missing.isEmpty {
                    origin = .reissued(reason: "the RSA server certificate does not name \(missing)")
                } else {
                    return ServerCredentials(
                        certificate: certificate,
                        certificateChainPEM: certificatePEM,
                        privateKeyPEM: keyPEM,
                        certificatePath: certificatePath,
                        privateKeyPath: keyPath,
                        trustAnchorPEM: certificatePEM,
                        origin: .loaded
                    )
                }
            } catch {
                origin = .reissued(reason: "\(error)")
            }
        }
        let alternativeNames = wanted
        let (certificate, key) = try RSACertificate.makeSelfSigned(
            commonName: ServerCertificateConfiguration.commonName(for: alternativeNames),
            organizationalUnit: "SCCPS",
            organization: organization,
            validity: configuration.validity,
            now: now
        ) { publicKey in
            try Certificate.Extensions {
                // Its own CA, as CUCM's self-signed CallManager certificate is: TLS stacks that check chains (BoringSSL)
                // take it as the trust anchor of itself only if it may sign certificates.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                // keyEncipherment: TLS 1.0 and the RSA key exchange suites 79x0 phones use encrypt the premaster
                // secret to this key.
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: publicKey)
                SubjectAlternativeNames(alternativeNames)
            }
        }
        let certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        let keyPEM = RSACertificate.pem(of: key)
        try PEMFiles.write(keyPEM, to: keyPath, mode: PEMFiles.privateKeyMode)
        try PEMFiles.write(certificatePEM, to: certificatePath, mode: PEMFiles.certificateMode)
        return ServerCredentials(
            certificate: certificate,
            certificateChainPEM: certificatePEM,
            privateKeyPEM: keyPEM,
            certificatePath: certificatePath,
            privateKeyPath: keyPath,
            trustAnchorPEM: certificatePEM,
            origin: origin
        )
    }

    private struct NotReusable: Error, CustomStringConvertible {
        var description: String
    }

    private static func reusableServerCertificate(
        keyPath: String,
        certificatePath: String,
        wanted: [GeneralName],
        renewalMargin: TimeInterval,
        signer: CertificateSigner,
        now: Date
    ) -> Result<ServerCredentials, NotReusable> {
        let certificatePEM: String
        let certificate: Certificate
        let keyPEM: String
        do {
            certificatePEM = try PEMFiles.read(certificatePath)
            certificate = try Self.parseCertificate(certificatePEM, path: certificatePath)
            keyPEM = try PEMFiles.read(keyPath)
            let key = try Self.parsePrivateKey(keyPEM, path: keyPath)
            guard key.publicKey == certificate.publicKey else {
                return .failure(NotReusable(description: "the server key does not match the server certificate"))
            }
        } catch {
            return .failure(NotReusable(description: "\(error)"))
        }
        guard signer.hasIssued(certificate) else {
            return .failure(NotReusable(description: "the server certificate was not issued by this CA"))
        }
        guard certificate.notValidAfter > now.addingTimeInterval(renewalMargin) else {
            return .failure(NotReusable(description: "the server certificate expires on \(certificate.notValidAfter)"))
        }
        let present = Set((try? certificate.extensions.subjectAlternativeNames).map { Array($0) } ?? [])
        let missing = wanted.filter { !present.contains($0) }
        guard missing.isEmpty else {
            return .failure(NotReusable(description: "the server certificate does not name \(missing)"))
        }
        return .success(
            ServerCredentials(
                certificate: certificate,
                certificateChainPEM: certificatePEM,
                privateKeyPEM: keyPEM,
                certificatePath: certificatePath,
                privateKeyPath: keyPath,
                trustAnchorPEM: signer.certificatePEM,
                origin: .loaded
            )
        )
    }

    private static func loadSupplied(
        _ supplied: SuppliedServerCertificate,
        signer: CertificateSigner
    ) throws -> ServerCredentials {
        let chainPEM = try PEMFiles.read(supplied.certificateChainPath)
        let chain: [Certificate]
        do {
            chain = try PEMDocument.parseMultiple(pemString: chainPEM).map { try Certificate(pemDocument: $0) }
        } catch {
            throw CertificateAuthorityError.malformedFile(
                "\(supplied.certificateChainPath) is not a chain of PEM certificates: \(error)"
            )
        }
        guard let leaf = chain.first, let last = chain.last else {
            throw CertificateAuthorityError.malformedFile("\(supplied.certificateChainPath) holds no certificate")
        }
        let keyPEM = try PEMFiles.read(supplied.privateKeyPath)
        let key = try Self.parsePrivateKey(keyPEM, path: supplied.privateKeyPath)
        guard key.publicKey == leaf.publicKey else {
            throw CertificateAuthorityError.keyDoesNotMatchCertificate(
                "\(supplied.privateKeyPath) is not the key of the first certificate in \(supplied.certificateChainPath)"
            )
        }
        let trustAnchorPEM: String
        if let path = supplied.trustAnchorPath {
            trustAnchorPEM = try PEMFiles.read(path)
            _ = try Self.parseCertificate(trustAnchorPEM, path: path)
        } else if signer.hasIssued(last) {
            trustAnchorPEM = signer.certificatePEM
        } else {
            trustAnchorPEM = try last.serializeAsPEM().pemString + "\n"
        }
        return ServerCredentials(
            certificate: leaf,
            certificateChainPEM: chainPEM,
            privateKeyPEM: keyPEM,
            certificatePath: supplied.certificateChainPath,
            privateKeyPath: supplied.privateKeyPath,
            trustAnchorPEM: trustAnchorPEM,
            origin: .supplied
        )
    }

    static func parseCertificate(_ pem: String, path: String) throws -> Certificate {
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw CertificateAuthorityError.malformedFile("\(path) is not a PEM certificate: \(error)")
        }
    }

    static func parsePrivateKey(_ pem: String, path: String) throws -> Certificate.PrivateKey {
        do {
            return try Certificate.PrivateKey(pemEncoded: pem)
        } catch {
            throw CertificateAuthorityError.malformedFile("\(path) is not a PEM private key: \(error)")
        }
    }
}
