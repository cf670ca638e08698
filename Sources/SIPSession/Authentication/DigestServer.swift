import Crypto
public import SIPWire

/// The server side of Digest (RFC 3261 §22.1 as a UAS): challenges a request and checks the answer, without
/// keeping state per challenge. A nonce is `<issued-at seconds>.<HMAC-SHA-256(secret, issued-at ":" realm)>`, so
/// any nonce this server made can be verified later, and a flood of unanswered challenges costs no memory.
/// Replay within a nonce's lifetime is not prevented (that needs per-nonce nonce-count state); the lifetime is
/// short for that reason.
public struct DigestServer: Sendable {
    /// What a request's credentials turned out to be.
    public enum Verdict: Hashable, Sendable {
        /// Right username and password for an unexpired nonce of ours.
        case valid(username: String)
        /// The right password, but the nonce expired: challenge again with `stale=TRUE`.
        case stale
        /// No credentials for this realm, a nonce not ours, or a wrong password.
        case invalid
    }

    public let realm: String
    /// How long a nonce is accepted: 5 minutes.
    public let nonceLifetime: Duration
    private let key: SymmetricKey

    /// - Parameter secret: the HMAC key; random per server start by default (nonces do not survive a restart).
    public init(realm: String, nonceLifetime: Duration = .seconds(300), secret: [UInt8]? = nil) {
        self.realm = realm
        self.nonceLifetime = nonceLifetime
        self.key = secret.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256)
    }

    /// A challenge for a 401 (or, `proxy`, a 407): SHA-256 first, MD5 second (RFC 8760 §2.4: in order of
    /// preference), both with `qop=auth`.
    public func challenges(now: SIPInstant, stale: Bool = false, proxy: Bool = false) -> [DigestChallenge] {
        let nonce = makeNonce(issuedAt: now)
        return [DigestAlgorithm.sha256, .md5].map {
            DigestChallenge(
                realm: realm,
                nonce: nonce,
                algorithm: $0,
                qopOptions: ["auth"],
                stale: stale,
                isProxy: proxy
            )
        }
    }

    /// Checks the `Authorization` (or `Proxy-Authorization`) values of `request` against `password(username)`.
    public func verify(
        _ request: SIPRequest,
        now: SIPInstant,
        proxy: Bool = false,
        password: (String) -> String?
    ) -> Verdict {
        let name: SIPHeaderName = proxy ? .proxyAuthorization : .authorization
        var verdict = Verdict.invalid
        for value in request.headers.lines(name) {
            guard let params = DigestParameters.parse(value), params["realm"] == realm,
                let username = params["username"], let nonce = params["nonce"], let uri = params["uri"],
                let response = params["response"], let algorithm = DigestAlgorithm(token: params["algorithm"]),
                let secret = password(username)
            else { continue }
            let qop = params["qop"]
            guard qop == nil || qop == "auth" else { continue }
            let expected = DigestClient.response(
                algorithm: algorithm,
                username: username,
                realm: realm,
                password: secret,
                method: request.method.rawValue,
                uri: uri,
                nonce: nonce,
                qop: qop,
                nonceCount: params["nc"] ?? "",
                cnonce: params["cnonce"] ?? ""
            )
            guard Self.constantTimeEquals(expected, response.lowercased()) else { continue }
            switch checkNonce(nonce, now: now) {
            case .fresh: return .valid(username: username)
            case .expired: verdict = .stale
            case .forged: continue
            }
        }
        return verdict
    }

    private enum NonceState { case fresh, expired, forged }

    private func makeNonce(issuedAt now: SIPInstant) -> String {
        let issued = String(now.nanoseconds / 1_000_000_000)
        return "\(issued).\(mac(issued))"
    }

    private func checkNonce(_ nonce: String, now: SIPInstant) -> NonceState {
        let parts = nonce.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let issued = Int64(parts[0]),
            Self.constantTimeEquals(mac(String(parts[0])), String(parts[1]))
        else { return .forged }
        let age = now.nanoseconds / 1_000_000_000 - issued
        return age >= 0 && age <= nonceLifetime.components.seconds ? .fresh : .expired
    }

    private func mac(_ issued: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("\(issued):\(realm)".utf8), using: key)
        return code.prefix(16).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
