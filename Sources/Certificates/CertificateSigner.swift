import Crypto
import Foundation
import SwiftASN1
import X509

/// The CA's certificate and key, and the signing itself; `CertificateAuthority` wraps it with the server
/// credentials once those are loaded.
struct CertificateSigner: Sendable {
    let certificate: Certificate
    let certificatePEM: String
    let privateKey: Certificate.PrivateKey
    let organization: String

    /// Whether this CA signed `certificate` (its issuer is the CA's subject and the signature verifies).
    func hasIssued(_ certificate: Certificate) -> Bool {
        certificate.issuer == self.certificate.subject
            && self.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// A new P-256 key and a certificate for it, signed by the CA.
    func issue(
        commonName: String,
        validity: TimeInterval,
        now: Date,
        extensions: (Certificate.PublicKey, ArraySlice<UInt8>) throws -> Certificate.Extensions
    ) throws -> IssuedCertificate {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName(self.organization)
            CommonName(commonName)
        }
        // Never outlive the CA: a chain with a leaf past its root's expiry fails validation anyway.
        let notValidAfter = min(now.addingTimeInterval(validity), self.certificate.notValidAfter)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-CertificateAuthority.Validity.backdating),
            notValidAfter: notValidAfter,
            issuer: self.certificate.subject,
            subject: subject,
            signatureAlgorithm: Self.signatureAlgorithm(for: self.privateKey),
            extensions: try extensions(key.publicKey, self.keyIdentifier),
            issuerPrivateKey: self.privateKey
        )
        return try IssuedCertificate(certificate: certificate, privateKey: key)
    }

    /// The CA's subject key identifier, for the authority key identifier of what it signs.
    private var keyIdentifier: ArraySlice<UInt8> {
        let existing = try? self.certificate.extensions.subjectKeyIdentifier
        return existing?.keyIdentifier ?? SubjectKeyIdentifier(hash: self.certificate.publicKey).keyIdentifier
    }

    /// SHA-256 with whatever the CA's key is (the CA may be the user's own, RSA or Ed25519).
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        let supported = key.supportedSignatureAlgorithms
        for preferred in [Certificate.SignatureAlgorithm.ecdsaWithSHA256, .sha256WithRSAEncryption, .ed25519]
        where supported.contains(preferred) {
            return preferred
        }
        return supported.first ?? .ecdsaWithSHA256
    }

    /// A new self-signed P-256 CA.
    static func makeAuthority(commonName: String, organization: String, now: Date) throws -> CertificateSigner {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        let extensions = try Certificate.Extensions {
            // No intermediates: the CA signs end entities only.
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-CertificateAuthority.Validity.backdating),
            notValidAfter: now.addingTimeInterval(CertificateAuthority.Validity.authority),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return CertificateSigner(
            certificate: certificate,
            certificatePEM: try certificate.serializeAsPEM().pemString + "\n",
            privateKey: key,
            organization: organization
        )
    }
}
