public import X509
import _CryptoExtras

/// What the SCCPS listener presents: the certificate chain and key, as PEM text and as the paths they came from.
public struct ServerCredentials: Sendable {
    /// The server (leaf) certificate.
    public let certificate: Certificate
    /// The leaf certificate and any intermediates, in PEM.
    public let certificateChainPEM: String
    /// The server's private key, in PEM.
    public let privateKeyPEM: String
    /// Where `certificateChainPEM` was read from or written to.
    public let certificatePath: String
    /// Where `privateKeyPEM` was read from or written to.
    public let privateKeyPath: String
    /// The CA certificate that clients should trust for this server, in PEM: what provisioning serves as
    /// `strowger-ca.pem` and what `openssl s_client -CAfile` takes.
    public let trustAnchorPEM: String
    /// Whether the certificate was created, reused, reissued or supplied on this load.
    public let origin: CertificateAuthority.Origin

    /// The kind of key a certificate carries, which decides the TLS cipher suites it can serve.
    public enum KeyType: Hashable, Sendable {
        /// RSA: every TLS version and the RSA cipher suites (key exchange or signatures).
        case rsa
        /// ECDSA (or another non-RSA key): the ECDSA suites of TLS 1.2 and TLS 1.3.
        case ecdsa
    }

    /// The leaf certificate's key type.
    public var keyType: KeyType {
        _RSA.Signing.PublicKey(self.certificate.publicKey) != nil ? .rsa : .ecdsa
    }

    init(
        certificate: Certificate,
        certificateChainPEM: String,
        privateKeyPEM: String,
        certificatePath: String,
        privateKeyPath: String,
        trustAnchorPEM: String,
        origin: CertificateAuthority.Origin
    ) {
        self.certificate = certificate
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.trustAnchorPEM = trustAnchorPEM
        self.origin = origin
    }
}
