/// Why certificates could not be created, loaded or issued.
///
/// Compare errors by `code`; the description carries the details (paths, names) for logs and the CLI.
public struct CertificateAuthorityError: Error, Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    /// What kind of failure this is. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case fileSystem
            case malformedFile
            case keyDoesNotMatchCertificate
            case incompleteAuthority
            case invalidDeviceName
            case invalidName
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A file or directory could not be read, written or created.
        public static let fileSystem = Code(.fileSystem)
        /// A file is not the PEM certificate or private key it should be.
        public static let malformedFile = Code(.malformedFile)
        /// A private key is not the one whose public key the certificate names.
        public static let keyDoesNotMatchCertificate = Code(.keyDoesNotMatchCertificate)
        /// Only one of the CA's certificate and key exists: Strowger will not overwrite the other half of someone's CA.
        public static let incompleteAuthority = Code(.incompleteAuthority)
        /// A device name that cannot be a certificate subject (empty, too long, or not letters and digits).
        public static let invalidDeviceName = Code(.invalidDeviceName)
        /// A server host name or address that cannot go into a certificate.
        public static let invalidName = Code(.invalidName)

        public var description: String {
            switch self.backing {
            case .fileSystem: "file system"
            case .malformedFile: "malformed file"
            case .keyDoesNotMatchCertificate: "key does not match certificate"
            case .incompleteAuthority: "incomplete CA"
            case .invalidDeviceName: "invalid device name"
            case .invalidName: "invalid name"
            }
        }
    }

    /// What kind of failure this is.
    public let code: Code
    private let reason: String
    private let file: String
    private let line: Int

    private init(_ code: Code, _ reason: String, file: String, line: Int) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String {
        "\(self.code): \(self.reason)"
    }

    public var debugDescription: String {
        "CertificateAuthorityError(\(self.code): \(self.reason), at \(self.file):\(self.line))"
    }

    public static func == (lhs: CertificateAuthorityError, rhs: CertificateAuthorityError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }

    @inline(never)
    static func fileSystem(_ reason: String, file: String = #fileID, line: Int = #line) -> CertificateAuthorityError {
        CertificateAuthorityError(.fileSystem, reason, file: file, line: line)
    }

    @inline(never)
    static func malformedFile(
        _ reason: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CertificateAuthorityError {
        CertificateAuthorityError(.malformedFile, reason, file: file, line: line)
    }

    @inline(never)
    static func keyDoesNotMatchCertificate(
        _ reason: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CertificateAuthorityError {
        CertificateAuthorityError(.keyDoesNotMatchCertificate, reason, file: file, line: line)
    }

    @inline(never)
    static func incompleteAuthority(
        _ reason: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CertificateAuthorityError {
        CertificateAuthorityError(.incompleteAuthority, reason, file: file, line: line)
    }

    @inline(never)
    static func invalidDeviceName(
        _ reason: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CertificateAuthorityError {
        CertificateAuthorityError(.invalidDeviceName, reason, file: file, line: line)
    }

    @inline(never)
    static func invalidName(_ reason: String, file: String = #fileID, line: Int = #line) -> CertificateAuthorityError {
        CertificateAuthorityError(.invalidName, reason, file: file, line: line)
    }
}
