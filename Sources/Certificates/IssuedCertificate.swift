public import Foundation
import SwiftASN1
public import X509

/// A certificate and its new private key, as issued by the CA; nothing is on disk until `write(in:baseName:)`.
public struct IssuedCertificate: Sendable {
    /// The certificate.
    public let certificate: Certificate
    /// Its private key.
    public let privateKey: Certificate.PrivateKey
    /// `certificate` in PEM.
    public let certificatePEM: String
    /// `privateKey` in PEM (PKCS#8).
    public let privateKeyPEM: String

    init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        self.privateKeyPEM = try privateKey.serializeAsPEM().pemString + "\n"
    }

    /// The paths `write(in:baseName:)` wrote.
    public struct Files: Hashable, Sendable {
        /// `<baseName>-cert.pem`, mode 0644.
        public var certificatePath: String
        /// `<baseName>-key.pem`, mode 0600.
        public var privateKeyPath: String
    }

    /// Writes `<baseName>-cert.pem` (0644) and `<baseName>-key.pem` (0600) into `directory`, creating it if needed.
    /// Existing files of those names are replaced.
    @discardableResult
    public func write(in directory: URL, baseName: String) throws -> Files {
        try PEMFiles.createDirectory(directory.path)
        let files = Files(
            certificatePath: directory.appendingPathComponent("\(baseName)-cert.pem").path,
            privateKeyPath: directory.appendingPathComponent("\(baseName)-key.pem").path
        )
        try PEMFiles.write(self.privateKeyPEM, to: files.privateKeyPath, mode: PEMFiles.privateKeyMode)
        try PEMFiles.write(self.certificatePEM, to: files.certificatePath, mode: PEMFiles.certificateMode)
        return files
    }
}
