import Crypto
public import SIPWire

/// A username and password for a trunk's registrar or proxy. The password stays in memory: computing a digest
/// response needs it (or a realm-bound hash, and the realm is known only when the challenge comes).
public struct DigestCredentials: Hashable, Sendable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Never prints the password.
    public var description: String { "\(username):••••" }
}

/// Answers Digest challenges (RFC 3261 §22, RFC 7616 as RFC 8760 applies it to SIP: MD5 and SHA-256, `qop=auth`,
/// nonce count and client nonce).
public enum DigestClient {
    /// Which challenge to answer: the first one (the server's preference, RFC 8760 §2.4) whose algorithm is
    /// implemented, preferring one that offers `qop=auth` or none (`auth-int` alone is not implemented).
    public static func choose(_ challenges: [DigestChallenge]) -> DigestChallenge? {
        challenges.first { $0.qopOptions.isEmpty || $0.qopOptions.contains("auth") }
    }

    /// The `Authorization` (or `Proxy-Authorization` for a 407) header value answering `challenge` for a request
    /// with `method` and Request-URI `uri`.
    ///
    /// - Parameters:
    ///   - nonceCount: how many requests this side has answered with this nonce, this one included (1 the first
    ///     time); sent as 8 hex digits.
    ///   - cnonce: a fresh client nonce (``SIPIdentifierGenerator/cnonce()``).
    public static func authorization(
        for challenge: DigestChallenge,
        credentials: DigestCredentials,
        method: SIPMethod,
        uri: String,
        nonceCount: UInt32 = 1,
        cnonce: String
    ) -> String {
        let useQop = challenge.qopOptions.contains("auth")
        let nc = String(nonceCount, radix: 16)
        let ncText = String(repeating: "0", count: max(0, 8 - nc.count)) + nc
        let response = Self.response(
            algorithm: challenge.algorithm,
            username: credentials.username,
            realm: challenge.realm,
            password: credentials.password,
            method: method.rawValue,
            uri: uri,
            nonce: challenge.nonce,
            qop: useQop ? "auth" : nil,
            nonceCount: ncText,
            cnonce: cnonce
        )
        var parts = [
            "username=\(credentials.username.sipQuotedValue)",
            "realm=\(challenge.realm.sipQuotedValue)",
            "nonce=\(challenge.nonce.sipQuotedValue)",
            "uri=\(uri.sipQuotedValue)",
            "response=\(response.sipQuotedValue)",
            "algorithm=\(challenge.algorithm.rawValue)",
        ]
        if useQop || challenge.algorithm.isSession { parts.append("cnonce=\(cnonce.sipQuotedValue)") }
        if let opaque = challenge.opaque { parts.append("opaque=\(opaque.sipQuotedValue)") }
        if useQop {
            parts.append("qop=auth")
            parts.append("nc=\(ncText)")
        }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// The `response` value (RFC 7616 §3.4.1):
    /// `KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))` with qop, `KD(H(A1), nonce ":" H(A2))` without;
    /// `A1 = user:realm:password` (for `-sess`, `H(user:realm:password):nonce:cnonce`), `A2 = method:uri`.
    public static func response(
        algorithm: DigestAlgorithm,
        username: String,
        realm: String,
        password: String,
        method: String,
        uri: String,
        nonce: String,
        qop: String?,
        nonceCount: String,
        cnonce: String
    ) -> String {
        var ha1 = hash(algorithm, "\(username):\(realm):\(password)")
        if algorithm.isSession { ha1 = hash(algorithm, "\(ha1):\(nonce):\(cnonce)") }
        let ha2 = hash(algorithm, "\(method):\(uri)")
        if let qop {
            return hash(algorithm, "\(ha1):\(nonce):\(nonceCount):\(cnonce):\(qop):\(ha2)")
        }
        return hash(algorithm, "\(ha1):\(nonce):\(ha2)")
    }

    /// Lower-case hex of MD5 or SHA-256 over the UTF-8 of `text`.
    static func hash(_ algorithm: DigestAlgorithm, _ text: String) -> String {
        let data = Array(text.utf8)
        if algorithm.isSHA256 {
            return SHA256.hash(data: data).map(hexByte).joined()
        }
        return Insecure.MD5.hash(data: data).map(hexByte).joined()
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }
}
