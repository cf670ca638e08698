/// A SIP request method (RFC 3261 §7.1: a case-sensitive token). Extension methods are kept as they came.
public struct SIPMethod: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    /// A method from a token; nil if `rawValue` is not a token.
    public init?(token rawValue: String) {
        guard SIPGrammar.isToken(rawValue.utf8) else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    public static let invite: SIPMethod = "INVITE"
    public static let ack: SIPMethod = "ACK"
    public static let bye: SIPMethod = "BYE"
    public static let cancel: SIPMethod = "CANCEL"
    public static let options: SIPMethod = "OPTIONS"
    public static let register: SIPMethod = "REGISTER"
    public static let info: SIPMethod = "INFO"
    public static let update: SIPMethod = "UPDATE"
    public static let prack: SIPMethod = "PRACK"
    public static let refer: SIPMethod = "REFER"
    public static let notify: SIPMethod = "NOTIFY"
    public static let subscribe: SIPMethod = "SUBSCRIBE"
    public static let message: SIPMethod = "MESSAGE"
}

/// Standard reason phrases (RFC 3261 §21 and the codes trunks meet).
public enum SIPStatus {
    public static func reasonPhrase(for code: Int) -> String {
        switch code {
        case 100: "Trying"
        case 180: "Ringing"
        case 181: "Call Is Being Forwarded"
        case 182: "Queued"
        case 183: "Session Progress"
        case 200: "OK"
        case 202: "Accepted"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Moved Temporarily"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 416: "Unsupported URI Scheme"
        case 420: "Bad Extension"
        case 423: "Interval Too Brief"
        case 480: "Temporarily Unavailable"
        case 481: "Call/Transaction Does Not Exist"
        case 482: "Loop Detected"
        case 483: "Too Many Hops"
        case 484: "Address Incomplete"
        case 486: "Busy Here"
        case 487: "Request Terminated"
        case 488: "Not Acceptable Here"
        case 491: "Request Pending"
        case 500: "Server Internal Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Server Time-out"
        case 505: "Version Not Supported"
        case 513: "Message Too Large"
        case 600: "Busy Everywhere"
        case 603: "Decline"
        case 604: "Does Not Exist Anywhere"
        case 606: "Not Acceptable"
        default:
            switch code / 100 {
            case 1: "Provisional"
            case 2: "Success"
            case 3: "Redirection"
            case 4: "Client Error"
            case 5: "Server Error"
            default: "Global Failure"
            }
        }
    }
}
