/// The state of a call as a phone shows it (CallState.callState; reference §6.1).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyCallState: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Idle (Wireshark only).
    public static let idle = SkinnyCallState(rawValue: 0)
    /// Off hook, collecting digits.
    public static let offHook = SkinnyCallState(rawValue: 1)
    /// On hook: the call plane is cleared.
    public static let onHook = SkinnyCallState(rawValue: 2)
    /// Ringing the far end (ring-back).
    public static let ringOut = SkinnyCallState(rawValue: 3)
    /// Ringing here.
    public static let ringIn = SkinnyCallState(rawValue: 4)
    /// Connected.
    public static let connected = SkinnyCallState(rawValue: 5)
    /// The far end is busy.
    public static let busy = SkinnyCallState(rawValue: 6)
    /// The network is congested (reorder).
    public static let congestion = SkinnyCallState(rawValue: 7)
    /// Held here.
    public static let hold = SkinnyCallState(rawValue: 8)
    /// A second call is waiting.
    public static let callWaiting = SkinnyCallState(rawValue: 9)
    /// Being transferred.
    public static let callTransfer = SkinnyCallState(rawValue: 10)
    /// Parked.
    public static let callPark = SkinnyCallState(rawValue: 11)
    /// Proceeding.
    public static let proceed = SkinnyCallState(rawValue: 12)
    /// In use on another device of a shared line.
    public static let remoteMultiline = SkinnyCallState(rawValue: 13)
    /// The dialled number does not exist.
    public static let invalidNumber = SkinnyCallState(rawValue: 14)
    /// A held call reverting.
    public static let holdRevert = SkinnyCallState(rawValue: 15)
    /// Intercom, one way.
    public static let whisper = SkinnyCallState(rawValue: 16)
    /// Held on another device of a shared line.
    public static let remoteHold = SkinnyCallState(rawValue: 17)
}
