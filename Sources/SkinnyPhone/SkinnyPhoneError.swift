public import SkinnyWire

/// An error from a simulated phone. Compare errors by `code`; `description` says what happened in words.
public struct SkinnyPhoneError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case registerRejected
            case timedOut
            case connectionClosed
            case noSuchCall
            case malformedMessage
            case invalidArgument
            case unregisterRefused
            case provisioningFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The call manager answered Register with RegisterReject; `text` holds its text.
        public static let registerRejected = Code(.registerRejected)
        /// A wait ran past its deadline.
        public static let timedOut = Code(.timedOut)
        /// The connection is closed, or closed while the phone was waiting.
        public static let connectionClosed = Code(.connectionClosed)
        /// An action needs a call (ringing, active, held) that the phone does not have.
        public static let noSuchCall = Code(.noSuchCall)
        /// The call manager sent bytes that do not decode; the phone closed the connection.
        public static let malformedMessage = Code(.malformedMessage)
        /// An argument cannot be sent, e.g. a digit that is not on a keypad.
        public static let invalidArgument = Code(.invalidArgument)
        /// UnregisterAck said no (status 2 when calls are up).
        public static let unregisterRefused = Code(.unregisterRefused)
        /// The phone's configuration could not be fetched over TFTP or holds no usable CallManager list.
        public static let provisioningFailed = Code(.provisioningFailed)

        public var description: String {
            switch self.base {
            case .registerRejected: "register rejected"
            case .timedOut: "timed out"
            case .connectionClosed: "connection closed"
            case .noSuchCall: "no such call"
            case .malformedMessage: "malformed message"
            case .invalidArgument: "invalid argument"
            case .unregisterRefused: "unregister refused"
            case .provisioningFailed: "provisioning failed"
            }
        }
    }

    public let code: Code
    /// The device name of the phone.
    public let deviceName: String
    /// The RegisterReject text for `.registerRejected`; otherwise a detail in words.
    public let text: String
    /// The SCCP error for `.malformedMessage`.
    public let wireError: SkinnyError?

    private init(code: Code, deviceName: String, text: String, wireError: SkinnyError? = nil) {
        self.code = code
        self.deviceName = deviceName
        self.text = text
        self.wireError = wireError
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        if let wireError = self.wireError {
            return "\(self.deviceName): \(self.code): \(wireError)"
        }
        return "\(self.deviceName): \(self.code): \(self.text)"
    }

    @inline(never)
    static func registerRejected(_ deviceName: String, text: String) -> Self {
        Self(code: .registerRejected, deviceName: deviceName, text: text)
    }

    @inline(never)
    static func timedOut(_ deviceName: String, waitingFor what: String, after timeout: Duration, recent: String) -> Self
    {
        Self(
            code: .timedOut,
            deviceName: deviceName,
            text: "no \(what) within \(timeout); last received: \(recent.isEmpty ? "nothing" : recent)"
        )
    }

    @inline(never)
    static func connectionClosed(_ deviceName: String, waitingFor what: String? = nil, cause: String? = nil) -> Self {
        var text = "the connection is closed"
        if let what { text += " while waiting for \(what)" }
        if let cause { text += " (\(cause))" }
        return Self(code: .connectionClosed, deviceName: deviceName, text: text)
    }

    @inline(never)
    static func noSuchCall(_ deviceName: String, _ what: String) -> Self {
        Self(code: .noSuchCall, deviceName: deviceName, text: "the phone has no \(what) call")
    }

    @inline(never)
    static func malformedMessage(_ deviceName: String, _ error: SkinnyError) -> Self {
        Self(code: .malformedMessage, deviceName: deviceName, text: "\(error)", wireError: error)
    }

    @inline(never)
    static func invalidArgument(_ deviceName: String, _ detail: String) -> Self {
        Self(code: .invalidArgument, deviceName: deviceName, text: detail)
    }

    @inline(never)
    static func unregisterRefused(_ deviceName: String, status: SkinnyUnregisterStatus) -> Self {
        Self(code: .unregisterRefused, deviceName: deviceName, text: "UnregisterAck status \(status.rawValue)")
    }

    @inline(never)
    static func provisioningFailed(_ deviceName: String, _ detail: String) -> Self {
        Self(code: .provisioningFailed, deviceName: deviceName, text: detail)
    }
}
