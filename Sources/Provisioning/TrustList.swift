/// The trust lists Cisco phones fetch before their configuration: the Certificate Trust List (`CTLFile.tlv`,
/// `CTLSEP<MAC>.tlv`) and the Identity Trust List (`ITLFile.tlv`, `ITLSEP<MAC>.tlv`). Both have the same signed
/// tag-length-value layout; this type holds what goes into one and writes and reads its bytes.
///
/// Layout (every length and number big-endian; strings end in a NUL that the length counts):
///
/// ```
/// header:  VERSION(1) 2: 1.2 · HEADER_LENGTH(2) 2: bytes up to the first record
///          SIGNER_ID(3) n: SIGNER_NAME(4) "CN=…;OU=…;O=…" · SERIAL_NUMBER(5) bytes · CA_NAME(6) issuer
///          SIGNATURE_INFO(7) 15: DIGEST_ALGORITHM(8) 1: 1 SHA-1, 3 SHA-512
///                                SIGNATURE_ALGO_INFO(9) 8: SIGNATURE_ALGORITHM(10) 1: 0 RSA
///                                                          SIGNATURE_MODULUS(11) 1: 0 512, 1 1024, 2 2048, 3 4096 bits
///          SIGNATURE(12) n: RSA PKCS #1 v1.5 · FILENAME(14) "CTLFile.tlv" · TIMESTAMP(15) 4: Unix seconds
///          PADDING(13): single bytes (no length) until the header is a multiple of 4 bytes
/// records: RECORD_LENGTH(1) 2: the record's bytes · DNS_NAME(2) · SUBJECT_NAME(3) · FUNCTION(4) 2 · ISSUER_NAME(5)
///          · SERIAL_NUMBER(6) · PUBLIC_KEY(7) · SIGNATURE(8) of the certificate · CERTIFICATE(9) DER · IP_ADDRESS(10) 4
/// ```
///
/// The signature covers the whole file except the SIGNATURE element itself (its tag, length and value), and is
/// checked with the key of the header's signer, which the phone looks up among the SAST records of the list it
/// already trusts (or, the first time, of the list itself). The facts come from the published descriptions of the
/// format (usecallmanager.nz's `tlvfile`, and the `show ctl` output in Cisco's CTL documents), whose element order
/// this writer follows.
public struct TrustList: Hashable, Sendable {
    /// Which list: they differ in name and in what phones do with them, not in layout.
    public enum Kind: Hashable, Sendable, CaseIterable {
        /// The Certificate Trust List: the call managers a phone may register with over TLS. 79x0 phones know
        /// only this one.
        case certificateTrustList
        /// The Identity Trust List (CUCM 8's Security By Default): read by every phone from the 79x1 on.
        case identityTrustList

        /// The name in the header, `CTLFile.tlv` or `ITLFile.tlv`. Also written into the per-phone files
        /// (`CTLSEP<MAC>.tlv`): usecallmanager.nz's instructions put the generic name there too.
        public var fileName: String {
            switch self {
            case .certificateTrustList: "CTLFile.tlv"
            case .identityTrustList: "ITLFile.tlv"
            }
        }

        /// "CTL" or "ITL": the prefix of the per-phone file names.
        public var prefix: String {
            switch self {
            case .certificateTrustList: "CTL"
            case .identityTrustList: "ITL"
            }
        }
    }

    /// What a record's certificate is trusted for (FUNCTION).
    public struct Function: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt16

        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        /// System Administrator Security Token: signs trust lists.
        public static let sast = Function(rawValue: 0)
        /// A call manager: the phone accepts this certificate from the server it registers with over TLS.
        public static let ccm = Function(rawValue: 1)
        /// A call manager that also signs configuration files (the phone then asks for signed `.sgn` files).
        public static let ccmAndTFTP = Function(rawValue: 2)
        /// A TFTP server that signs configuration files.
        public static let tftp = Function(rawValue: 3)
        /// The Certificate Authority Proxy Function (CAPF).
        public static let capf = Function(rawValue: 4)
        /// An HTTPS application server (phone services over TLS).
        public static let applicationServer = Function(rawValue: 7)
        /// The Trust Verification Service.
        public static let tvs = Function(rawValue: 21)

        public var description: String {
            switch self {
            case .sast: "SAST"
            case .ccm: "CCM"
            case .ccmAndTFTP: "CCM+TFTP"
            case .tftp: "TFTP"
            case .capf: "CAPF"
            case .applicationServer: "APP-SERVER"
            case .tvs: "TVS"
            default: "function \(self.rawValue)"
            }
        }
    }

    /// DIGEST_ALGORITHM: the hash under the header's signature.
    public enum DigestAlgorithm: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// SHA-1: what every phone that reads trust lists verifies.
        case sha1 = 1
        /// SHA-512: newer firmware (the value 2, SHA-256, is defined but not used by phones).
        case sha512 = 3

        public var description: String {
            switch self {
            case .sha1: "SHA-1"
            case .sha512: "SHA-512"
            }
        }
    }

    /// One trusted certificate and what it is trusted for.
    public struct Record: Hashable, Sendable {
        public var function: Function
        /// The certificate, DER.
        public var certificate: [UInt8]
        /// The subject as phones print it: "CN=…;OU=…;O=…".
        public var subjectName: String
        /// The issuer, likewise.
        public var issuerName: String
        /// The certificate's serial number, big-endian, without leading zero bytes.
        public var serialNumber: [UInt8]
        /// RSA: the DER `RSAPublicKey` (modulus and exponent).
        public var publicKey: [UInt8]
        /// The certificate's own signature value.
        public var signature: [UInt8]
        /// The server's host name; empty for none (a token).
        public var dnsName: String
        /// The server's IPv4 address; 0.0.0.0 for none (a token, or a server known by name or IPv6 only).
        public var ipv4Address: [UInt8]

        public init(
            function: Function,
            certificate: [UInt8],
            subjectName: String,
            issuerName: String,
            serialNumber: [UInt8],
            publicKey: [UInt8],
            signature: [UInt8],
            dnsName: String = "",
            ipv4Address: [UInt8] = [0, 0, 0, 0]
        ) {
            self.function = function
            self.certificate = certificate
            self.subjectName = subjectName
            self.issuerName = issuerName
            self.serialNumber = serialNumber
            self.publicKey = publicKey
            self.signature = signature
            self.dnsName = dnsName
            self.ipv4Address = ipv4Address
        }
    }

    /// Who signs the list: the SAST's names and serial number (the phone finds the key by them), its key size, and
    /// the signing itself.
    public struct Signer: Sendable {
        /// The SAST certificate's subject, "CN=…;OU=…;O=…".
        public var name: String
        /// Its serial number, as in its record.
        public var serialNumber: [UInt8]
        /// Its issuer (itself, for a self-signed token).
        public var issuerName: String
        /// The RSA key's size in bits: 512, 1024, 2048 or 4096.
        public var keySizeInBits: Int
        /// Signs the bytes with RSA PKCS #1 v1.5 under the digest; the result is `keySizeInBits / 8` bytes.
        public var sign: @Sendable ([UInt8], DigestAlgorithm) throws -> [UInt8]

        public init(
            name: String,
            serialNumber: [UInt8],
            issuerName: String,
            keySizeInBits: Int,
            sign: @escaping @Sendable ([UInt8], DigestAlgorithm) throws -> [UInt8]
        ) {
            self.name = name
            self.serialNumber = serialNumber
            self.issuerName = issuerName
            self.keySizeInBits = keySizeInBits
            self.sign = sign
        }
    }

    public var kind: Kind
    public var digest: DigestAlgorithm
    /// When the list was made, in Unix seconds.
    public var timestamp: UInt32
    /// The signer's subject, serial number and issuer, as the header names them.
    public var signerName: String
    public var signerSerialNumber: [UInt8]
    public var signerIssuerName: String
    /// The name in the header; `kind.fileName` for lists this server makes.
    public var fileName: String
    public var records: [Record]

    public init(
        kind: Kind,
        digest: DigestAlgorithm,
        timestamp: UInt32,
        signerName: String,
        signerSerialNumber: [UInt8],
        signerIssuerName: String,
        fileName: String? = nil,
        records: [Record]
    ) {
        self.kind = kind
        self.digest = digest
        self.timestamp = timestamp
        self.signerName = signerName
        self.signerSerialNumber = signerSerialNumber
        self.signerIssuerName = signerIssuerName
        self.fileName = fileName ?? kind.fileName
        self.records = records
    }
}

/// Why a trust list could not be written or read.
public struct TrustListError: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "trust list: \(self.reason)" }
}
