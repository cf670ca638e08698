public import Foundation
import SwiftASN1
public import X509

/// The rules for device certificates, shared by the issuing side (`strowger cert issue`) and the TLS listener
/// (which compares a client certificate's subject with the name the device registers with).
public enum DeviceCertificate {
    /// The longest device name: SCCP's Register carries it in 16 bytes with a terminating NUL (reference §6.10).
    public static let maximumDeviceNameLength = 15

    /// Whether `name` can be a device certificate's subject: 1 to 15 ASCII letters, digits, '-' or '_'
    /// ("SEP001122AABBCC", "ATA0011223344556").
    public static func isValidDeviceName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (1...Self.maximumDeviceNameLength).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }

    /// The subject common name of `certificate` (the last CN if there are several, as TLS libraries take it).
    public static func commonName(of certificate: Certificate) -> String? {
        var result: String?
        for relativeName in certificate.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                if let value = String(attribute.value) { result = value }
            }
        }
        return result
    }

    /// The subject common name of a DER-encoded certificate (as NIOSSL hands out the peer's); nil if it does not
    /// parse or has no CN.
    public static func commonName(derEncoded bytes: [UInt8]) -> String? {
        guard let certificate = try? Certificate(derEncoded: bytes) else { return nil }
        return Self.commonName(of: certificate)
    }

    /// Whether a certificate whose subject CN is `commonName` may register as `deviceName`. Device names are
    /// compared without regard to ASCII case: phones send "SEP" and upper-case hex, people type either.
    public static func commonName(_ commonName: String, matchesDeviceName deviceName: String) -> Bool {
        commonName.utf8.count == deviceName.utf8.count && commonName.uppercased() == deviceName.uppercased()
    }
}

/// Checks a client certificate against the CA certificates a TLS listener trusts for device identity: the leaf
/// must be signed by one of them and valid now. For listeners that accept certificates from elsewhere (a Cisco
/// phone's manufacturer certificate) without taking them as proof of a name.
public struct ClientCertificateVerifier: Sendable {
    private let authorities: [Certificate]

    /// The CA certificates in `authorityPEM` (one or more PEM certificates).
    public init(authorityPEM: String) throws {
        do {
            self.authorities = try PEMDocument.parseMultiple(pemString: authorityPEM).map {
                try Certificate(pemDocument: $0)
            }
        } catch {
            throw CertificateAuthorityError.malformedFile("the client certificate CA is not PEM certificates: \(error)")
        }
    }

    /// Whether the DER certificate `der` was issued by one of the CAs and is valid at `now`.
    public func verifies(derEncoded der: [UInt8], now: Date = Date()) -> Bool {
        guard let leaf = try? Certificate(derEncoded: der), leaf.notValidBefore <= now, now <= leaf.notValidAfter
        else { return false }
        return self.authorities.contains { authority in
            leaf.issuer == authority.subject && authority.publicKey.isValidSignature(leaf.signature, for: leaf)
        }
    }
}
