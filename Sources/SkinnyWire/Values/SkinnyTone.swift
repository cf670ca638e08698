/// A tone a phone plays (StartTone.tone, StopTone.tone; reference §6.2).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyTone: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Silence.
    public static let silence = SkinnyTone(rawValue: 0x00)
    /// Inside dial tone.
    public static let insideDialTone = SkinnyTone(rawValue: 0x21)
    /// Outside dial tone.
    public static let outsideDialTone = SkinnyTone(rawValue: 0x22)
    /// Busy tone.
    public static let lineBusy = SkinnyTone(rawValue: 0x23)
    /// Ring-back.
    public static let alerting = SkinnyTone(rawValue: 0x24)
    /// Reorder (fast busy).
    public static let reorder = SkinnyTone(rawValue: 0x25)
    /// Stutter dial tone (message waiting).
    public static let stutterDialTone = SkinnyTone(rawValue: 0x2A)
    /// No such number.
    public static let noSuchNumber = SkinnyTone(rawValue: 0x2B)
    /// Call-waiting beep.
    public static let callWaiting = SkinnyTone(rawValue: 0x2D)
    /// Confirmation.
    public static let confirmation = SkinnyTone(rawValue: 0x2E)
    /// Zip.
    public static let zip = SkinnyTone(rawValue: 0x32)
    /// Hold tone.
    public static let hold = SkinnyTone(rawValue: 0x35)
    /// No tone.
    public static let noTone = SkinnyTone(rawValue: 0x7F)

    /// The DTMF tone of a keypad key (`0`–`9`, `*`, `#`, `A`–`D`): 1–9 for the digits 1–9, 0x0A for 0, 0x0E `*`,
    /// 0x0F `#`, 0x10–0x13 A–D (reference §6.2). Nil for anything else.
    public static func dtmf(_ key: Character) -> SkinnyTone? {
        switch key {
        case "1"..."9": key.wholeNumberValue.map { SkinnyTone(rawValue: UInt32($0)) }
        case "0": SkinnyTone(rawValue: 0x0A)
        case "*": SkinnyTone(rawValue: 0x0E)
        case "#": SkinnyTone(rawValue: 0x0F)
        case "A", "a": SkinnyTone(rawValue: 0x10)
        case "B", "b": SkinnyTone(rawValue: 0x11)
        case "C", "c": SkinnyTone(rawValue: 0x12)
        case "D", "d": SkinnyTone(rawValue: 0x13)
        default: nil
        }
    }
}
