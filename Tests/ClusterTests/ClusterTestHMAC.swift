import Crypto

/// The tag the fixtures' secret (32 × 0x5A) puts on `bytes`, computed here independently of the Cluster target.
enum ClusterTestHMAC {
    static func tag(_ bytes: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: Array(repeating: UInt8(0x5A), count: 32))
        return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }
}
