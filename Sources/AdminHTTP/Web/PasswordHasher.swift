import Crypto
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import _CryptoExtras

/// Hashes and checks web sign-in passwords with scrypt (swift-crypto's `KDF.Scrypt`, BoringSSL underneath).
///
/// **Parameters.** N = 2^15, r = 8, p = 3, a 16-byte random salt and a 32-byte key: OWASP's Password Storage Cheat
/// Sheet lists this as equal in cost to its first choice (N = 2^17, r = 8, p = 1), and it needs 128 · r · N = 32 MiB
/// per hash instead of 128 MiB (BoringSSL runs the p lanes one after the other), which matters on a server that also
/// carries calls. A sign-in took about half a second on the project's loaded 2-core machine (BENCHMARKS.md); a
/// guesser gets a few tries a second per core, a user signing in hardly notices.
///
/// **Encoding.** `$scrypt$ln=15,r=8,p=3$SALT$KEY`, salt and key in unpadded base64: the parameters travel with the
/// hash, so that raising them later leaves older hashes readable. Stored hashes with parameters outside
/// ``acceptedParameters`` are refused rather than computed (a doctored database must not make the server allocate
/// gigabytes).
///
/// **Load.** Hashing is slow by design, so it never runs on an event loop or a cooperative thread: it runs on a
/// Dispatch queue, at most ``maximumConcurrentHashes`` at once; further sign-ins are refused at once
/// (``PasswordHasherBusy``) rather than queued, so that a flood of guesses cannot take more than that many cores or
/// that much memory.
public struct PasswordHasher: Sendable {
    /// scrypt's cost parameters.
    public struct Parameters: Hashable, Sendable {
        /// log2 of N, the CPU and memory cost.
        public var logN: Int
        /// The block size.
        public var r: Int
        /// The parallelism (run one after the other by BoringSSL: time, not memory).
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// What new hashes use (see the type's documentation).
        public static let current = Parameters(logN: 15, r: 8, p: 3)
    }

    /// Bytes of random salt per hash.
    static let saltLength = 16
    /// Bytes of derived key stored.
    static let keyLength = 32
    /// The longest password accepted (UTF-8 bytes): long passphrases are welcome, megabytes are not.
    public static let maximumPasswordLength = 1024
    /// The shortest password `strowger admin add` accepts (NIST SP 800-63B's minimum for a chosen password).
    public static let minimumPasswordLength = 8
    /// Hashes computed at once; more sign-ins are refused until one finishes.
    public static let maximumConcurrentHashes = 2
    /// The parameters a stored hash may have: ln 10–20, r 1–16, p 1–16, and at most 256 MiB of scrypt memory
    /// (128 · r · N).
    static func accepts(_ parameters: Parameters) -> Bool {
        (10...20).contains(parameters.logN) && (1...16).contains(parameters.r) && (1...16).contains(parameters.p)
            && (1 << parameters.logN) * 128 * parameters.r <= 256 << 20
    }

    private let parameters: Parameters
    private let inFlight = NIOLockedValueBox(0)
    private static let queue = DispatchQueue(label: "strowger.password-hash", qos: .utility, attributes: .concurrent)

    public init(parameters: Parameters = .current) {
        self.parameters = parameters
    }

    /// A new hash of `password` with a fresh salt, in the encoding above.
    public func hash(_ password: String) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let parameters = self.parameters
        let key = try await self.offload { try Self.derive(password, salt: salt, parameters) }
        return Self.encode(parameters, salt: salt, key: key)
    }

    /// Whether `password` is the one `encoded` was made from. A malformed hash or one with parameters outside the
    /// accepted range does not match.
    public func verify(_ password: String, against encoded: String) async throws -> Bool {
        guard let (parameters, salt, key) = Self.decode(encoded) else { return false }
        let derived = try await self.offload { try Self.derive(password, salt: salt, parameters) }
        return Self.constantTimeEqual(derived, key)
    }

    /// Spends as long as checking a password does, for a name that has no account, so that the time taken does not
    /// tell which names exist.
    public func waste(_ password: String) async throws {
        _ = try await self.hash(password)
    }

    private func offload(_ work: @escaping @Sendable () throws -> [UInt8]) async throws -> [UInt8] {
        let admitted = self.inFlight.withLockedValue { count in
            guard count < Self.maximumConcurrentHashes else { return false }
            count += 1
            return true
        }
        guard admitted else { throw PasswordHasherBusy() }
        defer { self.inFlight.withLockedValue { $0 -= 1 } }
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    static func derive(_ password: String, salt: [UInt8], _ parameters: Parameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8.prefix(maximumPasswordLength)),
            salt: salt,
            outputByteCount: keyLength,
            rounds: 1 << parameters.logN,
            blockSize: parameters.r,
            parallelism: parameters.p
        )
        return key.withUnsafeBytes { Array($0) }
    }

    static func encode(_ parameters: Parameters, salt: [UInt8], key: [UInt8]) -> String {
        "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(base64(salt))$\(base64(key))"
    }

    static func decode(_ encoded: String) -> (Parameters, salt: [UInt8], key: [UInt8])? {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for item in parts[2].split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]) else { return nil }
            values[pair[0]] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], values.count == 3 else { return nil }
        let parameters = Parameters(logN: logN, r: r, p: p)
        guard accepts(parameters), let salt = unbase64(parts[3]), let key = unbase64(parts[4]), !salt.isEmpty,
            key.count == keyLength
        else { return nil }
        return (parameters, salt, key)
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func unbase64(_ text: Substring) -> [UInt8]? {
        guard text.count <= 128 else { return nil }
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map { Array($0) }
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}

/// Every password-hash slot is taken: the sign-in is refused (503) rather than queued.
public struct PasswordHasherBusy: Error, CustomStringConvertible {
    public var description: String { "too many sign-ins at once; try again in a moment" }
}
