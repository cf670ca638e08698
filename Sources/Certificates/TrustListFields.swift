import Crypto
import SwiftASN1
public import X509
import _CryptoExtras

/// What a Cisco trust list (CTL/ITL) record says about a certificate, taken from the certificate: its names as
/// phones print them, its serial number, its RSA public key and its signature value, and its DER.
public struct TrustListFields: Hashable, Sendable {
    /// "CN=…;OU=…;O=…": the subject's attributes from the most specific (CN) to the least, separated by ';', as
    /// CUCM's `show ctl` prints them.
    public var subjectName: String
    /// The issuer, likewise.
    public var issuerName: String
    /// The serial number, big-endian, without leading zero bytes.
    public var serialNumber: [UInt8]
    /// The DER `RSAPublicKey` (PKCS #1) of an RSA key; the X9.62 point of an EC key.
    public var publicKey: [UInt8]
    /// The certificate's signature value (the BIT STRING's bytes).
    public var signature: [UInt8]
    /// The whole certificate, DER.
    public var certificate: [UInt8]

    public init(_ certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let der = serializer.serializedBytes
        self.certificate = der
        self.subjectName = Self.name(certificate.subject)
        self.issuerName = Self.name(certificate.issuer)
        self.serialNumber = Array(certificate.serialNumber.bytes.drop { $0 == 0 })
        if let rsa = _RSA.Signing.PublicKey(certificate.publicKey) {
            self.publicKey = Array(rsa.pkcs1DERRepresentation)
        } else {
            self.publicKey = Array(certificate.publicKey.subjectPublicKeyInfoBytes)
        }
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
        let root = try DER.parse(der)
        guard case .constructed(let nodes) = root.content else {
            throw CertificateAuthorityError.malformedFile("a certificate that is not a SEQUENCE")
        }
        var last: ASN1Node?
        for node in nodes { last = node }
        guard let last else { throw CertificateAuthorityError.malformedFile("an empty certificate") }
        self.signature = Array(try ASN1BitString(derEncoded: last).bytes)
    }

    /// `CN=…;OU=…;O=…` from a distinguished name (most specific attribute first).
    public static func name(_ name: DistinguishedName) -> String {
        var parts: [String] = []
        for relativeName in name.reversed() {
            for attribute in relativeName {
                let label: String
                switch attribute.type {
                case .RDNAttributeType.commonName: label = "CN"
                case .RDNAttributeType.organizationalUnitName: label = "OU"
                case .RDNAttributeType.organizationName: label = "O"
                case .RDNAttributeType.localityName: label = "L"
                case .RDNAttributeType.stateOrProvinceName: label = "ST"
                case .RDNAttributeType.countryName: label = "C"
                default: continue
                }
                parts.append(label + "=" + (String(attribute.value) ?? "\(attribute.value)"))
            }
        }
        return parts.joined(separator: ";")
    }
}

extension TrustListFields {
    /// The SHA-1 fingerprint of a DER certificate, as `AA:BB:…` (what CUCM's `show ctl` prints for a record).
    public static func sha1Fingerprint(_ der: [UInt8]) -> String {
        Insecure.SHA1.hash(data: der).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }.joined(separator: ":")
    }

    /// Whether `signature` is the RSA PKCS #1 v1.5 signature of `data` under `digest` by the key of the DER
    /// certificate `der`; false when `der` is not an RSA certificate.
    public static func isValidSignature(
        _ signature: [UInt8],
        of data: [UInt8],
        digest: SystemAdministratorToken.Digest,
        byCertificate der: [UInt8]
    ) -> Bool {
        guard let certificate = try? Certificate(derEncoded: der) else { return false }
        return SystemAdministratorToken.isValidSignature(signature, of: data, digest: digest, by: certificate)
    }
}
