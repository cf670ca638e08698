/// A SIP request (RFC 3261 §7.1).
public struct SIPRequest: Hashable, Sendable {
    public var method: SIPMethod
    public var uri: SIPURI
    public var headers: SIPHeaders
    /// The body, exactly Content-Length bytes (Content-Length itself is written from it on serialisation).
    public var body: [UInt8]

    public init(method: SIPMethod, uri: SIPURI, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// A SIP response (RFC 3261 §7.2).
public struct SIPResponse: Hashable, Sendable {
    /// 100–699.
    public var statusCode: Int
    public var reasonPhrase: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(statusCode: Int, reasonPhrase: String? = nil, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.statusCode = statusCode
        self.reasonPhrase = reasonPhrase ?? SIPStatus.reasonPhrase(for: statusCode)
        self.headers = headers
        self.body = body
    }

    /// 1xx.
    public var isProvisional: Bool { statusCode < 200 }
    /// 2xx.
    public var isSuccess: Bool { statusCode >= 200 && statusCode < 300 }
}

/// A SIP message: a request or a response.
public enum SIPMessage: Hashable, Sendable {
    case request(SIPRequest)
    case response(SIPResponse)

    public var headers: SIPHeaders {
        switch self {
        case .request(let request): request.headers
        case .response(let response): response.headers
        }
    }

    public var body: [UInt8] {
        switch self {
        case .request(let request): request.body
        case .response(let response): response.body
        }
    }
}

/// The headers every request and response must carry, typed (RFC 3261 §8.1.1): what the transaction and dialog
/// layers work from. Made by ``SIPRequest/essentials()`` and ``SIPResponse/essentials()``.
public struct SIPEssentials: Hashable, Sendable {
    /// The top Via: where responses go, and the branch that names the transaction.
    public let topVia: SIPVia
    /// Every Via, top first (``topVia`` included).
    public let vias: [SIPVia]
    public var from: SIPNameAddress
    public var to: SIPNameAddress
    public var callID: String
    public var cseq: SIPCSeq
    /// nil when absent (allowed for RFC 2543 peers).
    public var maxForwards: Int?
}
