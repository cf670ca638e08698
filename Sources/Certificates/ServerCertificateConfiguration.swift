public import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The SCCPS server certificate: which names it carries, how long it lasts, or the user's own files instead.
public struct ServerCertificateConfiguration: Sendable {
    /// The names always in a generated certificate, so that local tools and tests can verify it.
    public static let loopbackNames = ["localhost", "127.0.0.1", "::1"]

    /// The host names and IP addresses phones and tools reach the server by (the `processNodeName` in the
    /// phones' cnf.xml). `loopbackNames` are added; wildcard addresses (0.0.0.0, ::) are skipped.
    public var names: [String]
    /// How long a generated certificate is valid.
    public var validity: TimeInterval
    /// A generated certificate closer than this to its expiry is issued anew on start.
    public var renewalMargin: TimeInterval
    /// The user's own certificate and key; when set, nothing is generated for the server.
    public var supplied: SuppliedServerCertificate?
    /// Whether a self-signed RSA 2048 certificate is made (or kept) besides the ECDSA one, for clients that speak
    /// RSA only (Cisco 79xx phones). Ignored when `supplied` is set.
    public var makesRSACertificate: Bool

    public init(
        names: [String] = [],
        validity: TimeInterval = CertificateAuthority.Validity.server,
        renewalMargin: TimeInterval = 30 * 86400,
        supplied: SuppliedServerCertificate? = nil,
        makesRSACertificate: Bool = true
    ) {
        self.names = names
        self.validity = validity
        self.renewalMargin = renewalMargin
        self.supplied = supplied
        self.makesRSACertificate = makesRSACertificate
    }

    /// The subject alternative names for `names` and the loopback names, without duplicates: IP addresses as
    /// iPAddress, anything else as a lower-case dNSName.
    static func alternativeNames(for names: [String]) throws -> [GeneralName] {
        var result: [GeneralName] = []
        for name in Self.loopbackNames + names {
            let trimmed = name.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            if trimmed == "0.0.0.0" || trimmed == "::" || trimmed.isEmpty { continue }
            let general: GeneralName
            if let address = Self.addressBytes(trimmed) {
                general = .ipAddress(ASN1OctetString(contentBytes: ArraySlice(address)))
            } else if Self.isValidHostName(trimmed) {
                general = .dnsName(trimmed.lowercased())
            } else {
                throw CertificateAuthorityError.invalidName("\"\(name)\" is neither a host name nor an IP address")
            }
            if !result.contains(general) { result.append(general) }
        }
        return result
    }

    /// A server certificate's subject common name: its first host name other than `localhost`, else "Strowger
    /// SCCPS".
    static func commonName(for alternativeNames: [GeneralName]) -> String {
        alternativeNames.lazy.compactMap { name -> String? in
            if case .dnsName(let dnsName) = name, dnsName != "localhost" { return dnsName }
            return nil
        }.first ?? "Strowger SCCPS"
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text form; nil if `text` is not one.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// RFC 1123 host names: labels of letters, digits and hyphens, at most 253 characters.
    static func isValidHostName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                        true
                    default:
                        false
                    }
                }
        }
    }
}

/// A server certificate the user brings (from their own CA or a public one), as PEM files.
public struct SuppliedServerCertificate: Sendable {
    /// The server certificate, followed by any intermediates, in PEM.
    public var certificateChainPath: String
    /// The server's private key in PEM (PKCS#8, SEC1 or PKCS#1).
    public var privateKeyPath: String
    /// The CA certificate phones should trust for this server, served as `strowger-ca.pem`; nil serves the
    /// Strowger CA when it issued the certificate, else the last certificate of the chain.
    public var trustAnchorPath: String?

    public init(certificateChainPath: String, privateKeyPath: String, trustAnchorPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustAnchorPath = trustAnchorPath
    }
}
