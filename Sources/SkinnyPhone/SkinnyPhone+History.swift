public import SkinnyWire

extension SkinnyPhone {
    /// A message received from the call manager, with its place in the sequence of everything received.
    public struct Received: Hashable, Sendable {
        /// 1 for the first message of the connection, then 2, 3, …
        public var sequence: Int
        /// The header-version field of the frame.
        public var headerVersion: UInt32
        public var message: CallManagerMessage

        public init(sequence: Int, headerVersion: UInt32, message: CallManagerMessage) {
            self.sequence = sequence
            self.headerVersion = headerVersion
            self.message = message
        }
    }

    /// A point in the message history (see `mark()`).
    public struct Mark: Hashable, Comparable, Sendable {
        /// The sequence number of the last message received before the mark.
        public var sequence: Int

        public init(sequence: Int) {
            self.sequence = sequence
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.sequence < rhs.sequence }
    }

    /// Where a wait for a message starts looking.
    public enum Since: Hashable, Sendable {
        /// Only messages that arrive after the wait begins.
        case now
        /// Messages after the last action the phone sent (`offHook()`, `dial(_:)`, `send(_:)`, `register()`, …).
        case lastAction
        /// Messages after a mark.
        case mark(Mark)
        /// Every message the history still holds.
        case start
    }

    /// A short description of a message for error texts, e.g. "CallState(Connected l1 c16777242)".
    public static func describe(_ message: CallManagerMessage) -> String {
        switch message {
        case .callState(let message):
            "CallState(\(describe(message.callState)) l\(message.lineInstance) c\(message.callReference))"
        case .registerReject(let message):
            "RegisterReject(\"\(message.text)\")"
        case .startTone(let message):
            "StartTone(0x\(String(message.tone.rawValue, radix: 16)) c\(message.callReference))"
        case .setRinger(let message):
            "SetRinger(\(message.ringMode.rawValue) c\(message.callReference))"
        default:
            "\(message.id)"
        }
    }

    /// The name of a call state, e.g. "Connected".
    public static func describe(_ callState: SkinnyCallState) -> String {
        let names = [
            "Idle", "OffHook", "OnHook", "RingOut", "RingIn", "Connected", "Busy", "Congestion", "Hold",
            "CallWaiting", "CallTransfer", "CallPark", "Proceed", "CallRemoteMultiline", "InvalidNumber",
            "HoldRevert", "Whisper", "RemoteHold",
        ]
        let raw = Int(callState.rawValue)
        return raw < names.count ? names[raw] : "\(callState.rawValue)"
    }
}
