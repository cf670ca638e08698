public import NIOCore

/// What a TLS ClientHello offers, as far as choosing a server certificate needs: the versions, cipher suites,
/// signature algorithms and groups (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2 and §4.2).
///
/// The server holds an ECDSA and an RSA certificate; BoringSSL (under NIOSSL) presents one certificate per context
/// and NIOSSL's per-handshake hook sees only the server name, so the choice is made here, from the first record,
/// before the TLS handler is added (``TLSCertificateSelector``).
public struct TLSClientHello: Hashable, Sendable {
    /// ClientHello.legacy_version (0x0301 TLS 1.0 … 0x0303 TLS 1.2; TLS 1.3 clients send 0x0303 too).
    public var legacyVersion: UInt16
    /// The cipher suites, in the client's order.
    public var cipherSuites: [UInt16]
    /// signature_algorithms (extension 13), if sent.
    public var signatureAlgorithms: [UInt16]?
    /// supported_versions (extension 43), if sent: a TLS 1.3 client lists 0x0304.
    public var supportedVersions: [UInt16]?
    /// supported_groups (extension 10), if sent.
    public var supportedGroups: [UInt16]?

    public init(
        legacyVersion: UInt16,
        cipherSuites: [UInt16],
        signatureAlgorithms: [UInt16]? = nil,
        supportedVersions: [UInt16]? = nil,
        supportedGroups: [UInt16]? = nil
    ) {
        self.legacyVersion = legacyVersion
        self.cipherSuites = cipherSuites
        self.signatureAlgorithms = signatureAlgorithms
        self.supportedVersions = supportedVersions
        self.supportedGroups = supportedGroups
    }

    /// The longest TLS record plaintext (RFC 8446 §5.1: 2^14) plus its 5-byte header: the most the selector
    /// buffers before it decides. A ClientHello longer than one record is judged on its first record.
    public static let maximumRecordBytes = 16384 + 5

    /// What the first bytes of a connection say.
    public enum ParseResult: Hashable, Sendable {
        /// Not enough bytes yet for the first record.
        case needMoreData
        /// Not a TLS handshake record holding a ClientHello (or one too damaged to read): let the TLS handler say
        /// so to the client.
        case notClientHello
        case clientHello(TLSClientHello)
    }

    /// Reads the ClientHello in the first record of `buffer` (not consumed). Tolerant of a ClientHello cut off by
    /// the record's end: what was read so far is returned.
    public static func parse(_ buffer: ByteBuffer) -> ParseResult {
        guard buffer.readableBytes >= 5 else { return .needMoreData }
        let start = buffer.readerIndex
        guard let contentType = buffer.getInteger(at: start, as: UInt8.self),
            let recordLength = buffer.getInteger(at: start + 3, as: UInt16.self)
        else { return .needMoreData }
        // 22: handshake.
        guard contentType == 22, recordLength > 0, Int(recordLength) + 5 <= Self.maximumRecordBytes else {
            return .notClientHello
        }
        guard buffer.readableBytes >= Int(recordLength) + 5,
            var record = buffer.getSlice(at: start + 5, length: Int(recordLength))
        else { return .needMoreData }
        // Handshake: type (1: client_hello), 24-bit length, body.
        guard record.readInteger(as: UInt8.self) == 1, let high = record.readInteger(as: UInt8.self),
            let low = record.readInteger(as: UInt16.self)
        else { return .notClientHello }
        let bodyLength = Int(high) << 16 | Int(low)
        var body = record.readSlice(length: min(bodyLength, record.readableBytes)) ?? record
        guard let version = body.readInteger(as: UInt16.self), body.readSlice(length: 32) != nil,
            let sessionIDLength = body.readInteger(as: UInt8.self),
            body.readSlice(length: Int(sessionIDLength)) != nil,
            let suitesLength = body.readInteger(as: UInt16.self), suitesLength % 2 == 0,
            var suites = body.readSlice(length: Int(suitesLength))
        else { return .notClientHello }
        var hello = TLSClientHello(legacyVersion: version, cipherSuites: [])
        while let suite = suites.readInteger(as: UInt16.self) {
            hello.cipherSuites.append(suite)
        }
        guard let compressionLength = body.readInteger(as: UInt8.self),
            body.readSlice(length: Int(compressionLength)) != nil,
            let extensionsLength = body.readInteger(as: UInt16.self)
        else {
            // No extensions (TLS 1.0 clients may send none), or cut off before them.
            return .clientHello(hello)
        }
        var extensions = body.readSlice(length: min(Int(extensionsLength), body.readableBytes)) ?? body
        while let type = extensions.readInteger(as: UInt16.self), let length = extensions.readInteger(as: UInt16.self),
            var data = extensions.readSlice(length: Int(length))
        {
            switch type {
            case 13:
                hello.signatureAlgorithms = Self.readList(&data, lengthBytes: 2)
            case 43:
                hello.supportedVersions = Self.readList(&data, lengthBytes: 1)
            case 10:
                hello.supportedGroups = Self.readList(&data, lengthBytes: 2)
            default:
                continue
            }
        }
        return .clientHello(hello)
    }

    /// A vector of 16-bit values behind a 1- or 2-byte length.
    private static func readList(_ data: inout ByteBuffer, lengthBytes: Int) -> [UInt16] {
        let length: Int?
        if lengthBytes == 1 {
            length = data.readInteger(as: UInt8.self).map(Int.init)
        } else {
            length = data.readInteger(as: UInt16.self).map(Int.init)
        }
        guard let length, var list = data.readSlice(length: min(length, data.readableBytes)) else { return [] }
        var values: [UInt16] = []
        while let value = list.readInteger(as: UInt16.self) {
            values.append(value)
        }
        return values
    }

    /// TLS 1.2 cipher suites authenticated by an ECDSA certificate (RFC 8422, RFC 5289, RFC 7905).
    static let ecdsaCipherSuites: Set<UInt16> = [
        0xC02B, 0xC02C,  // ECDHE-ECDSA-AES128/256-GCM
        0xCCA9,  // ECDHE-ECDSA-CHACHA20-POLY1305
        0xC009, 0xC00A,  // ECDHE-ECDSA-AES128/256-SHA
        0xC023, 0xC024,  // ECDHE-ECDSA-AES128-SHA256 / AES256-SHA384
    ]
    /// ecdsa_secp256r1_sha256 (TLS 1.3) / ECDSA with SHA-256 (TLS 1.2): what a P-256 certificate signs with.
    static let ecdsaP256SHA256: UInt16 = 0x0403
    /// secp256r1, the curve of the ECDSA certificate.
    static let secp256r1: UInt16 = 23

    /// Whether this client can take a P-256 ECDSA certificate: a TLS 1.3 client that accepts ECDSA P-256
    /// signatures, or a TLS 1.2 client that offers an ECDSA cipher suite and, where it says, the signature scheme
    /// and curve. Clients that offer only RSA suites (Cisco 79xx phones, `openssl s_client -cipher AES128-SHA`)
    /// cannot.
    public var acceptsECDSAP256: Bool {
        let signsP256 = self.signatureAlgorithms.map { $0.contains(Self.ecdsaP256SHA256) } ?? true
        let hasP256 = self.supportedGroups.map { $0.contains(Self.secp256r1) } ?? true
        let speaksTLS13 = self.supportedVersions?.contains(0x0304) ?? false
        // TLS 1.3 suites (0x13xx) name no key type; the signature algorithms do.
        let tls13Suites = self.cipherSuites.contains { $0 >> 8 == 0x13 }
        if speaksTLS13 && tls13Suites && signsP256 && self.signatureAlgorithms != nil { return true }
        return signsP256 && hasP256 && self.cipherSuites.contains { Self.ecdsaCipherSuites.contains($0) }
    }
}
