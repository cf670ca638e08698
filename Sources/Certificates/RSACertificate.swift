import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Self-signed RSA certificates: the SCCPS server's second certificate (for phones that speak RSA only) and the
/// System Administrator Security Token that signs the trust lists.
///
/// Cisco phones of the 79xx generation know RSA and nothing else, and take at most 2048-bit keys (the CTL's
/// signature modulus field stops at 4096 bits, but phone firmware is documented to take 2048 at most). They trust
/// a call manager by finding its certificate in the signed trust list (CTL/ITL), not by walking a chain to a CA:
/// CUCM's own `CallManager.pem` is self-signed. These certificates are made the same way: RSA 2048, self-signed,
/// signed with SHA-256, with a subject of CN, OU and O (the fields the trust lists name).
enum RSACertificate {
    /// The key size phones take.
    static let keySize = _RSA.Signing.KeySize.bits2048

    /// A new key and a self-signed certificate for it.
    static func makeSelfSigned(
        commonName: String,
        organizationalUnit: String,
        organization: String,
        validity: TimeInterval,
        now: Date,
        extensions: (Certificate.PublicKey) throws -> Certificate.Extensions
    ) throws -> (certificate: Certificate, key: _RSA.Signing.PrivateKey) {
        let key = try _RSA.Signing.PrivateKey(keySize: Self.keySize)
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            OrganizationName(organization)
            OrganizationalUnitName(organizationalUnit)
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-CertificateAuthority.Validity.backdating),
            notValidAfter: now.addingTimeInterval(validity),
            issuer: name,
            subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try extensions(certificateKey.publicKey),
            issuerPrivateKey: certificateKey
        )
        return (certificate, key)
    }

    /// Whether `certificate` signed itself with `key`'s public half and is an RSA certificate of the size phones
    /// take.
    static func isSelfSignedRSA(_ certificate: Certificate, key: _RSA.Signing.PrivateKey) -> Bool {
        guard let publicKey = _RSA.Signing.PublicKey(certificate.publicKey),
            publicKey.derRepresentation == key.publicKey.derRepresentation,
            publicKey.keySizeInBits == Self.keySize.bitCount
        else { return false }
        return certificate.issuer == certificate.subject
            && certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// Reads an RSA private key in PEM (PKCS#8 or PKCS#1).
    static func parsePrivateKey(_ pem: String, path: String) throws -> _RSA.Signing.PrivateKey {
        do {
            // 2048 bits is below the "safe" size swift-crypto's default initializer insists on for new keys, not
            // for reading; the unsafe initializer only lifts the size floor.
            return try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem)
        } catch {
            throw CertificateAuthorityError.malformedFile("\(path) is not a PEM RSA private key: \(error)")
        }
    }

    /// The PKCS#8 PEM of `key`, with a final newline.
    static func pem(of key: _RSA.Signing.PrivateKey) -> String {
        key.pkcs8PEMRepresentation + "\n"
    }
}
