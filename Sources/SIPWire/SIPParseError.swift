/// SIP bytes from a peer that are not a message Strowger accepts, with what it takes to say so.
///
/// Compare errors by ``code`` only. ``detail`` names the offending part (the header and why), short enough for the
/// reason phrase of the 400 it causes. When the message parsed far enough to be answered (a request whose Via,
/// From, To, Call-ID and CSeq were read as text), ``reply`` carries those values so that the transport can answer
/// with ``statusCode`` (RFC 3261 §8.2: 400 Bad Request for a malformed request; §8.2.2.1 505 for an unsupported
/// version) instead of silently dropping it.
public struct SIPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case messageTooLarge
            case incompleteMessage
            case invalidStartLine
            case unsupportedVersion
            case invalidHeaderLine
            case tooManyHeaders
            case invalidHeaderValue
            case missingHeader
            case duplicateHeader
            case invalidContentLength
            case truncatedBody
            case methodMismatch
            case invalidURI
            case invalidSDP
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Longer than the maximum message size (``SIPLimits/defaultMaximumMessageSize`` by default).
        public static let messageTooLarge = Code(.messageTooLarge)
        /// A datagram or stream that ended before the blank line that closes the header section.
        public static let incompleteMessage = Code(.incompleteMessage)
        /// The request or status line does not follow RFC 3261 §7.1/§7.2 (one SP between its three parts, a valid
        /// method token, URI and version, a three-digit status code).
        public static let invalidStartLine = Code(.invalidStartLine)
        /// A SIP version other than 2.0 (answered 505, RFC 3261 §8.2.2.1... and RFC 4475 §3.1.2.16).
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A header line without a token name and a colon.
        public static let invalidHeaderLine = Code(.invalidHeaderLine)
        /// More header fields than ``SIPLimits/maximumHeaderFields``.
        public static let tooManyHeaders = Code(.tooManyHeaders)
        /// A header the stack needs whose value does not parse (a Via without a host, a From with an unterminated
        /// quoted string, a CSeq above 2^31).
        public static let invalidHeaderValue = Code(.invalidHeaderValue)
        /// A mandatory header is absent (RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Via).
        public static let missingHeader = Code(.missingHeader)
        /// A header that may appear once appears more than once (RFC 4475 §3.3.8, §3.3.9).
        public static let duplicateHeader = Code(.duplicateHeader)
        /// Content-Length that is not a decimal number within the message size, or absent on a stream.
        public static let invalidContentLength = Code(.invalidContentLength)
        /// Fewer body bytes than Content-Length says (RFC 4475 §3.1.2.2).
        public static let truncatedBody = Code(.truncatedBody)
        /// The CSeq method differs from the request's method (RFC 4475 §3.1.2.17).
        public static let methodMismatch = Code(.methodMismatch)
        /// A URI that does not follow RFC 3261 §19.1 or RFC 3966.
        public static let invalidURI = Code(.invalidURI)
        /// An SDP body that does not follow RFC 4566.
        public static let invalidSDP = Code(.invalidSDP)

        public var description: String {
            switch self.base {
            case .messageTooLarge: "message too large"
            case .incompleteMessage: "incomplete message"
            case .invalidStartLine: "invalid start line"
            case .unsupportedVersion: "unsupported SIP version"
            case .invalidHeaderLine: "invalid header line"
            case .tooManyHeaders: "too many headers"
            case .invalidHeaderValue: "invalid header value"
            case .missingHeader: "missing header"
            case .duplicateHeader: "duplicate header"
            case .invalidContentLength: "invalid Content-Length"
            case .truncatedBody: "truncated body"
            case .methodMismatch: "CSeq method mismatch"
            case .invalidURI: "invalid URI"
            case .invalidSDP: "invalid SDP"
            }
        }
    }

    public let code: Code
    /// What was wrong, e.g. `Via: no host`. Plain ASCII, at most ``maximumDetailLength`` characters.
    public let detail: String
    /// The headers to echo in an error response, when the message was a request that got that far.
    public internal(set) var reply: SIPReplyContext?

    /// The longest ``detail``: it goes into a reason phrase and a log line.
    public static let maximumDetailLength = 100

    public init(code: Code, detail: String, reply: SIPReplyContext? = nil) {
        self.code = code
        self.detail = Self.sanitize(detail)
        self.reply = reply
    }

    /// The status a request with this error is answered with: 505 for an unsupported version, 513 (Message Too
    /// Large, RFC 3261 §21.5.14) for an oversized one, 400 for everything else.
    public var statusCode: Int {
        switch self.code {
        case .unsupportedVersion: 505
        case .messageTooLarge: 513
        default: 400
        }
    }

    /// The reason phrase of that response: the standard phrase and the detail, e.g. `Bad Request (CSeq: not a
    /// number)`.
    public var reasonPhrase: String {
        "\(SIPStatus.reasonPhrase(for: self.statusCode)) (\(self.detail))"
    }

    public var description: String { "\(self.code): \(self.detail)" }

    public static func == (lhs: SIPParseError, rhs: SIPParseError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// Keeps printable ASCII only, cut to ``maximumDetailLength``: the detail may quote peer bytes and ends up in a
    /// reason phrase (which must not carry CR or LF) and in logs.
    private static func sanitize(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if result.count >= Self.maximumDetailLength { break }
            result.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        return result
    }
}

/// What a server needs from a request it could not accept in order to answer it anyway: RFC 3261 §8.2.6.2 copies
/// Via, From, To, Call-ID and CSeq from the request into the response, and adds a To tag.
public struct SIPReplyContext: Hashable, Sendable {
    /// The request's method (not answered when it is ACK: RFC 3261 §17.2.3 never responds to ACK).
    public var method: SIPMethod
    /// The raw Via values, top first.
    public var vias: [String]
    public var from: String
    public var to: String
    public var callID: String
    public var cseq: String

    public init(method: SIPMethod, vias: [String], from: String, to: String, callID: String, cseq: String) {
        self.method = method
        self.vias = vias
        self.from = from
        self.to = to
        self.callID = callID
        self.cseq = cseq
    }
}
