import Crypto

/// The key every node of a cluster shares: each datagram carries an HMAC-SHA256 tag under it.
public struct ClusterSecret: Sendable {
    let key: SymmetricKey

    /// Why a secret was refused.
    public enum Error: Swift.Error, Hashable, Sendable, CustomStringConvertible {
        /// Fewer bytes than ``ClusterLimits/minimumSecretLength``.
        case tooShort(length: Int)

        public var description: String {
            switch self {
            case .tooShort(let length):
                "the cluster secret has \(length) bytes; it needs at least \(ClusterLimits.minimumSecretLength)"
            }
        }
    }

    /// The secret made of `bytes` (all of them, as read from the secret file: a trailing newline is part of it,
    /// so every node must read the same file content).
    public init(bytes: [UInt8]) throws(Error) {
        guard bytes.count >= ClusterLimits.minimumSecretLength else { throw .tooShort(length: bytes.count) }
        self.key = SymmetricKey(data: bytes)
    }

    /// The tag over `bytes`.
    func tag(for bytes: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: bytes, using: self.key))
    }

    /// Whether `tag` is the tag over `bytes`, compared in constant time.
    func isValid(tag: [UInt8], for bytes: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: bytes, using: self.key)
    }
}
