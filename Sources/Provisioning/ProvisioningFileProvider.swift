public import NIOCore

/// What provisioning needs to know, answered fresh on every request; the Store implements it.
public protocol ProvisioningSource: Sendable {
    /// The configuration of the device named `name` ("SEP" and 12 upper-case hex digits), or nil if the device is
    /// not configured.
    func device(named name: String) async throws -> CnfXML.Device?
    /// What phones without a file of their own get; nil when auto-registration is off (no XMLDefault.cnf.xml).
    func defaults() async throws -> CnfXML.Defaults?
    /// The CA certificate that signs the SCCPS server certificate (PEM or DER, served as is); nil if none.
    func caCertificate() async throws -> [UInt8]?
    /// The signed trust list of `kind` for the device named `device` (`CTLSEP<MAC>.tlv`), or the generic one when
    /// `device` is nil (`CTLFile.tlv`); nil when there is none to serve (the phone then keeps what it has).
    func trustList(_ kind: TrustList.Kind, forDevice device: String?) async throws -> [UInt8]?
}

extension ProvisioningSource {
    /// No trust lists: the phone gets *file not found*.
    public func trustList(_ kind: TrustList.Kind, forDevice device: String?) async throws -> [UInt8]? { nil }
}

/// Serves the provisioning files over TFTP (and later HTTP), generated from a `ProvisioningSource` on each
/// request, so a phone always gets the current configuration and no file is ever stale on disk.
///
/// Files:
/// - `SEP<MAC>.cnf.xml` for every configured device (the "SEP" and hex digits in any case);
/// - `XMLDefault.cnf.xml` when auto-registration is on (matched case-insensitively; Cisco documents it both as
///   "XMLDefault" and "XmlDefault");
/// - the CA certificate under `caCertificateFileName`, when the source has one;
/// - the trust lists `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`, `CTLFile.tlv` and `ITLFile.tlv` when the source has them
///   (names matched in any case);
/// - anything else from `files` (the firmware folder), when given.
///
/// Anything else is not found. Generated names come first, so no file on disk can stand in for them.
public struct ProvisioningFileProvider: TFTPFileProvider {
    /// The default name of the CA certificate file.
    public static let defaultCACertificateFileName = "strowger-ca.pem"

    private let source: any ProvisioningSource
    private let caCertificateFileName: String
    private let files: (any TFTPFileProvider)?

    /// - Parameter files: where names that are not generated are looked up (the firmware folder); nil: nowhere.
    public init(
        source: any ProvisioningSource,
        caCertificateFileName: String = Self.defaultCACertificateFileName,
        files: (any TFTPFileProvider)? = nil
    ) {
        self.source = source
        self.caCertificateFileName = caCertificateFileName
        self.files = files
    }

    public func contents(ofFile filename: String) async throws -> ByteBuffer? {
        if let (kind, device) = Self.trustListName(filename) {
            guard let bytes = try await self.source.trustList(kind, forDevice: device) else { return nil }
            return ByteBuffer(bytes: bytes)
        }
        if let deviceName = Self.deviceName(inFileName: filename) {
            guard let device = try await self.source.device(named: deviceName) else { return nil }
            return ByteBuffer(string: try CnfXMLGenerator.deviceConfiguration(device))
        }
        if filename.lowercased() == CnfXMLGenerator.defaultFileName.lowercased() {
            guard let defaults = try await self.source.defaults() else { return nil }
            return ByteBuffer(string: try CnfXMLGenerator.defaultConfiguration(defaults))
        }
        if filename == self.caCertificateFileName {
            guard let certificate = try await self.source.caCertificate() else { return nil }
            return ByteBuffer(bytes: certificate)
        }
        return try await self.files?.contents(ofFile: filename)
    }

    /// "CTLSEP001122aabbcc.tlv" → (.certificateTrustList, "SEP001122AABBCC"), "ITLFile.tlv" →
    /// (.identityTrustList, nil); nil for any other name. Case is ignored, as phones and people differ in it.
    public static func trustListName(_ filename: String) -> (TrustList.Kind, String?)? {
        let upper = filename.uppercased()
        for kind in TrustList.Kind.allCases {
            if upper == kind.fileName.uppercased() { return (kind, nil) }
            let prefix = kind.prefix
            guard upper.hasPrefix(prefix + "SEP"), upper.hasSuffix(".TLV") else { continue }
            let name = upper.dropFirst(prefix.count).dropLast(4)
            guard name.utf8.count == 15,
                name.utf8.dropFirst(3).allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) })
            else { return nil }
            return (kind, String(name))
        }
        return nil
    }

    /// "SEP001122aabbcc.cnf.xml" → "SEP001122AABBCC"; nil if the name is not a device file's.
    public static func deviceName(inFileName filename: String) -> String? {
        let suffix = ".cnf.xml"
        let utf8 = Array(filename.utf8)
        guard utf8.count == 3 + 12 + suffix.utf8.count,
            filename.lowercased().hasPrefix("sep"), filename.lowercased().hasSuffix(suffix)
        else { return nil }
        let hex = utf8[3..<15]
        let isHex = hex.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
        guard isHex else { return nil }
        return "SEP" + String(decoding: hex, as: UTF8.self).uppercased()
    }
}

/// A fixed `ProvisioningSource`, until the Store provides one, and for tests.
public struct StaticProvisioningSource: ProvisioningSource {
    public var devices: [String: CnfXML.Device]
    public var defaultConfiguration: CnfXML.Defaults?
    public var certificate: [UInt8]?

    public init(devices: [CnfXML.Device], defaults: CnfXML.Defaults?, caCertificate: [UInt8]? = nil) {
        self.devices = Dictionary(devices.map { ($0.name.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultConfiguration = defaults
        self.certificate = caCertificate
    }

    public func device(named name: String) -> CnfXML.Device? { self.devices[name.uppercased()] }
    public func defaults() -> CnfXML.Defaults? { self.defaultConfiguration }
    public func caCertificate() -> [UInt8]? { self.certificate }
}
