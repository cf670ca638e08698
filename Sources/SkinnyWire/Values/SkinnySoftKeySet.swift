/// Which softkey set a phone shows (SelectSoftKeys.softKeySetIndex): an index into the sets of SoftKeySetRes
/// (reference §6.7).
///
/// The meanings below are the standard order that CUCM and chan-sccp use; the call manager defines the sets'
/// contents in SoftKeySetRes, so a server that sends its own sets can number them as it likes.
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnySoftKeySet: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// On hook: the idle screen (CUCM 4.1: Redial, NewCall, CFwdAll).
    public static let onHook = SkinnySoftKeySet(rawValue: 0)
    /// Connected.
    public static let connected = SkinnySoftKeySet(rawValue: 1)
    /// On hold.
    public static let onHold = SkinnySoftKeySet(rawValue: 2)
    /// Ringing here (CUCM 4.1: Answer).
    public static let ringIn = SkinnySoftKeySet(rawValue: 3)
    /// Off hook, before digits.
    public static let offHook = SkinnySoftKeySet(rawValue: 4)
    /// Connected, transfer possible.
    public static let connectedTransferable = SkinnySoftKeySet(rawValue: 5)
    /// Digits are being dialled.
    public static let digitsFollowing = SkinnySoftKeySet(rawValue: 6)
    /// Connected in a conference.
    public static let connectedConference = SkinnySoftKeySet(rawValue: 7)
    /// Ringing the far end.
    public static let ringOut = SkinnySoftKeySet(rawValue: 8)
    /// Off hook with features.
    public static let offHookWithFeatures = SkinnySoftKeySet(rawValue: 9)
    /// A shared line in use elsewhere.
    public static let inUseHint = SkinnySoftKeySet(rawValue: 10)
    /// On hook with a call that can be taken over.
    public static let onHookWithStealableCall = SkinnySoftKeySet(rawValue: 11)
}
