public import Certificates
public import Foundation
public import Logging
import NIOConcurrencyHelpers
public import Provisioning

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
// `stat` and its fields come through CoreFoundation on Linux; MemberImportVisibility wants it named.
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// Makes the trust lists (CTL, ITL) from the SAST in the data directory and the RSA server certificate, signs them,
/// and keeps the result until what went into it changes (docs/tls.md, "Trust lists").
///
/// A list holds the SAST's own record (so that a phone that installs it knows who may sign the next one) and one
/// CCM record per node of the device's CallManager group, each with the RSA server certificate and the node's host
/// name or IPv4 address. The CCM function (not CCM+TFTP) is deliberate: a TFTP record makes phones ask for signed
/// configuration files (`.sgn`), which Strowger does not write.
///
/// The lists follow the state of the data directory on every request: the SAST is read again when `sast-cert.pem`
/// changes (`strowger ctl reset --finish --new-sast`), and while the file `trust-list-rollback` exists
/// (`strowger ctl reset`) every list is served empty: signed by the SAST the phones know, trusting nothing, so that
/// a phone that installs it accepts whatever list it is given next.
public final class TrustListFiles: Sendable {
    /// The marker file of a rollback (`strowger ctl reset`), in the data directory.
    public static let rollbackMarker = "trust-list-rollback"
    /// Lists kept at once; a flood of distinct (digest, group) combinations cannot grow the cache past it.
    static let maximumCachedLists = 1024

    private struct Key: Hashable {
        var kind: TrustList.Kind
        var digest: TrustList.DigestAlgorithm
        var rollback: Bool
        var signer: [UInt8]
        var nodes: [String]
    }

    private struct State {
        var sast: SystemAdministratorToken
        var sastStamp: FileStamp?
        var cache: [Key: [UInt8]] = [:]
    }

    /// The certificate the CCM records carry: the one a phone is shown when it registers over TLS.
    public let callManagerCertificate: ServerCredentials?
    private let dataDirectory: URL
    private let logger: Logger
    private let state: NIOLockedValueBox<State>

    /// - Parameters:
    ///   - sast: the token loaded (or created) at start.
    ///   - callManagerCertificate: the RSA server certificate (phones that read trust lists speak RSA only); nil
    ///     makes lists without CCM records.
    public init(
        dataDirectory: URL,
        sast: SystemAdministratorToken,
        callManagerCertificate: ServerCredentials?,
        logger: Logger
    ) {
        self.dataDirectory = dataDirectory
        self.callManagerCertificate = callManagerCertificate
        self.logger = logger
        let stamp = FileStamp(
            path: dataDirectory.appendingPathComponent(SystemAdministratorToken.FileName.certificate).path
        )
        self.state = NIOLockedValueBox(State(sast: sast, sastStamp: stamp))
    }

    /// Whether a rollback is in force (the marker file exists).
    public var isRollingBack: Bool {
        FileManager.default.fileExists(atPath: self.dataDirectory.appendingPathComponent(Self.rollbackMarker).path)
    }

    /// The signed list of `kind` naming `nodes`, signed under `digest`; empty while a rollback is in force.
    public func list(
        _ kind: TrustList.Kind,
        nodes: [CnfXML.Node],
        digest: TrustList.DigestAlgorithm,
        now: Date = Date()
    ) throws -> [UInt8] {
        let sast = try self.currentToken()
        let rollback = self.isRollingBack
        let signer = try TrustListFields(sast.certificate)
        let key = Key(
            kind: kind,
            digest: digest,
            rollback: rollback,
            signer: signer.serialNumber,
            nodes: rollback ? [] : nodes.map { $0.name + "\u{0}" + $0.address }
        )
        if let cached = self.state.withLockedValue({ $0.cache[key] }) { return cached }
        var records: [TrustList.Record] = []
        if !rollback {
            records.append(Self.record(.sast, signer, dnsName: "", address: nil))
            if let certificate = self.callManagerCertificate {
                let fields = try TrustListFields(certificate.certificate)
                var seen = Set<String>()
                for node in nodes where seen.insert(node.address.lowercased()).inserted {
                    let isAddress = Self.ipv4Bytes(node.address) != nil || node.address.contains(":")
                    records.append(
                        Self.record(
                            .ccm,
                            fields,
                            dnsName: isAddress ? "" : node.address,
                            address: Self.ipv4Bytes(node.address)
                        )
                    )
                }
            }
        }
        let list = TrustList(
            kind: kind,
            digest: digest,
            timestamp: UInt32(clamping: Int(now.timeIntervalSince1970)),
            signerName: signer.subjectName,
            signerSerialNumber: signer.serialNumber,
            signerIssuerName: signer.issuerName,
            records: records
        )
        let bytes = try list.encoded(
            signedBy: TrustList.Signer(
                name: signer.subjectName,
                serialNumber: signer.serialNumber,
                issuerName: signer.issuerName,
                keySizeInBits: sast.keySizeInBits
            ) { data, digest in
                try sast.signature(for: data, digest: digest == .sha512 ? .sha512 : .sha1)
            }
        )
        self.state.withLockedValue { state in
            if state.cache.count >= Self.maximumCachedLists { state.cache.removeAll() }
            state.cache[key] = bytes
        }
        return bytes
    }

    /// The SAST, read again if its certificate file changed since it was last read.
    private func currentToken() throws -> SystemAdministratorToken {
        let path = self.dataDirectory.appendingPathComponent(SystemAdministratorToken.FileName.certificate).path
        let stamp = FileStamp(path: path)
        let (token, changed) = self.state.withLockedValue { ($0.sast, $0.sastStamp != stamp) }
        guard changed else { return token }
        guard let reloaded = try SystemAdministratorToken.load(in: self.dataDirectory) else {
            // The files were moved away and not yet replaced: keep signing with what phones know.
            return token
        }
        self.logger.notice(
            "The SAST changed on disk; trust lists are signed with the new one",
            metadata: ["tls.sast": "\(DeviceCertificate.commonName(of: reloaded.certificate) ?? "?")"]
        )
        self.state.withLockedValue { state in
            state.sast = reloaded
            state.sastStamp = stamp
            state.cache.removeAll()
        }
        return reloaded
    }

    private static func record(
        _ function: TrustList.Function,
        _ fields: TrustListFields,
        dnsName: String,
        address: [UInt8]?
    ) -> TrustList.Record {
        TrustList.Record(
            function: function,
            certificate: fields.certificate,
            subjectName: fields.subjectName,
            issuerName: fields.issuerName,
            serialNumber: fields.serialNumber,
            publicKey: fields.publicKey,
            signature: fields.signature,
            dnsName: dnsName,
            ipv4Address: address ?? [0, 0, 0, 0]
        )
    }

    /// The 4 bytes of a dotted IPv4 address; nil for anything else.
    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

/// What tells one version of a file from another without reading it: inode, size and modification time.
struct FileStamp: Hashable, Sendable {
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int64

    /// nil when there is no such file.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.inode = UInt64(info.st_ino)
        self.size = Int64(info.st_size)
        #if canImport(Darwin)
        self.modified = Int64(info.st_mtimespec.tv_sec)
        self.modifiedNanoseconds = Int64(info.st_mtimespec.tv_nsec)
        #else
        self.modified = Int64(info.st_mtim.tv_sec)
        self.modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        #endif
    }
}
