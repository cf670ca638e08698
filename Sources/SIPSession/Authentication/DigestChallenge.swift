public import SIPWire

/// The digest algorithms a SIP client must know (RFC 8760 §2: SHA-256 and, for interoperability, MD5; each
/// with its `-sess` variant).
public enum DigestAlgorithm: String, Hashable, Sendable, CaseIterable {
    case md5 = "MD5"
    case md5Session = "MD5-sess"
    case sha256 = "SHA-256"
    case sha256Session = "SHA-256-sess"

    /// The algorithm a token names (case-insensitive); an absent token means MD5 (RFC 2617 §3.2.1).
    public init?(token: String?) {
        guard let token else {
            self = .md5
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == token.lowercased() }) else {
            return nil
        }
        self = match
    }

    public var isSession: Bool { self == .md5Session || self == .sha256Session }
    public var isSHA256: Bool { self == .sha256 || self == .sha256Session }
}

/// A `WWW-Authenticate` or `Proxy-Authenticate` Digest challenge (RFC 3261 §22.4, RFC 7616 §3.3, RFC 8760).
public struct DigestChallenge: Hashable, Sendable {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: DigestAlgorithm
    /// The qop values offered (`auth`, `auth-int`); empty for an RFC 2069-style challenge.
    public var qopOptions: [String]
    /// The nonce expired but the credentials were right: retry with the new nonce without asking the user.
    public var stale: Bool
    /// Whether it came in Proxy-Authenticate (407): the answer goes in Proxy-Authorization.
    public var isProxy: Bool

    public init(
        realm: String,
        nonce: String,
        opaque: String? = nil,
        algorithm: DigestAlgorithm = .md5,
        qopOptions: [String] = ["auth"],
        stale: Bool = false,
        isProxy: Bool = false
    ) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.stale = stale
        self.isProxy = isProxy
    }

    /// The challenge header's value.
    public var headerValue: String {
        var parts = ["realm=\(realm.sipQuotedValue)", "nonce=\(nonce.sipQuotedValue)"]
        if let opaque { parts.append("opaque=\(opaque.sipQuotedValue)") }
        parts.append("algorithm=\(algorithm.rawValue)")
        if !qopOptions.isEmpty { parts.append("qop=\(qopOptions.joined(separator: ",").sipQuotedValue)") }
        if stale { parts.append("stale=TRUE") }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// Parses one challenge value; nil if it is not a Digest challenge with a realm and a nonce, or names an
    /// algorithm this side does not implement.
    public init?(parsing value: String, isProxy: Bool) {
        guard let params = DigestParameters.parse(value) else { return nil }
        guard let realm = params["realm"], let nonce = params["nonce"],
            let algorithm = DigestAlgorithm(token: params["algorithm"])
        else { return nil }
        self.realm = realm
        self.nonce = nonce
        self.opaque = params["opaque"]
        self.algorithm = algorithm
        self.qopOptions =
            params["qop"]?.split(separator: ",").map { String($0).trimmingCharacters(in: " \t").lowercased() } ?? []
        self.stale = params["stale"]?.lowercased() == "true"
        self.isProxy = isProxy
    }

    /// The challenges of a 401 or 407, in the order the server listed them (RFC 8760 §2.4: its preference);
    /// those this side cannot answer are skipped.
    public static func challenges(in response: SIPResponse) -> [DigestChallenge] {
        let proxy = response.statusCode == 407
        let name: SIPHeaderName = proxy ? .proxyAuthenticate : .wwwAuthenticate
        return response.headers.lines(name).compactMap { DigestChallenge(parsing: $0, isProxy: proxy) }
    }
}

/// The `auth-param` list after `Digest` in a challenge or credentials header: `name=token` or
/// `name="quoted string"`, comma separated.
enum DigestParameters {
    /// Lower-cased names to values; nil when the scheme is not Digest or the list does not parse.
    static func parse(_ value: String) -> [String: String]? {
        var bytes = Substring(value).drop { $0 == " " || $0 == "\t" }
        guard bytes.prefix(6).lowercased() == "digest",
            bytes.count > 6
        else { return nil }
        bytes = bytes.dropFirst(6)
        guard let first = bytes.first, first == " " || first == "\t" else { return nil }
        var result: [String: String] = [:]
        var scanner = SIPScannerShim(String(bytes))
        while true {
            scanner.skip(while: { $0 == " " || $0 == "\t" || $0 == "," })
            if scanner.isAtEnd { break }
            guard let name = scanner.token() else { return nil }
            scanner.skip(while: { $0 == " " || $0 == "\t" })
            guard scanner.consume("=") else { return nil }
            scanner.skip(while: { $0 == " " || $0 == "\t" })
            if scanner.peek == "\"" {
                guard let quoted = scanner.quoted() else { return nil }
                result[name.lowercased()] = quoted
            } else {
                guard let token = scanner.token() else { return nil }
                result[name.lowercased()] = token
            }
            guard result.count <= 32 else { return nil }
        }
        return result
    }
}

/// A small cursor for auth-params (their grammar is HTTP's, a little wider than SIP's token).
struct SIPScannerShim {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        self.characters = Array(text)
    }

    var isAtEnd: Bool { index >= characters.count }
    var peek: Character? { index < characters.count ? characters[index] : nil }

    mutating func skip(while predicate: (Character) -> Bool) {
        while let character = peek, predicate(character) { index += 1 }
    }

    mutating func consume(_ character: Character) -> Bool {
        guard peek == character else { return false }
        index += 1
        return true
    }

    mutating func token() -> String? {
        let start = index
        while let character = peek, character != "=", character != ",", character != " ", character != "\t",
            character != "\""
        {
            index += 1
        }
        return index > start ? String(characters[start..<index]) : nil
    }

    mutating func quoted() -> String? {
        guard consume("\"") else { return nil }
        var result = ""
        while let character = peek {
            index += 1
            if character == "\"" { return result }
            if character == "\\" {
                guard let next = peek else { return nil }
                index += 1
                result.append(next)
            } else {
                result.append(character)
            }
        }
        return nil
    }
}

extension String {
    /// A quoted-string for an auth-param value.
    var sipQuotedValue: String {
        var result = "\""
        for character in self {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
