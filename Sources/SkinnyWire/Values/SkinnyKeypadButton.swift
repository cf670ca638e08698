/// A key on the keypad (KeypadButton.button; reference §6.11).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyKeypadButton: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// 0.
    public static let zero = SkinnyKeypadButton(rawValue: 0)
    /// 1.
    public static let one = SkinnyKeypadButton(rawValue: 1)
    /// 2.
    public static let two = SkinnyKeypadButton(rawValue: 2)
    /// 3.
    public static let three = SkinnyKeypadButton(rawValue: 3)
    /// 4.
    public static let four = SkinnyKeypadButton(rawValue: 4)
    /// 5.
    public static let five = SkinnyKeypadButton(rawValue: 5)
    /// 6.
    public static let six = SkinnyKeypadButton(rawValue: 6)
    /// 7.
    public static let seven = SkinnyKeypadButton(rawValue: 7)
    /// 8.
    public static let eight = SkinnyKeypadButton(rawValue: 8)
    /// 9.
    public static let nine = SkinnyKeypadButton(rawValue: 9)
    /// A.
    public static let a = SkinnyKeypadButton(rawValue: 10)
    /// B.
    public static let b = SkinnyKeypadButton(rawValue: 11)
    /// C.
    public static let c = SkinnyKeypadButton(rawValue: 12)
    /// D.
    public static let d = SkinnyKeypadButton(rawValue: 13)
    /// *.
    public static let star = SkinnyKeypadButton(rawValue: 14)
    /// #.
    public static let pound = SkinnyKeypadButton(rawValue: 15)
    /// +.
    public static let plus = SkinnyKeypadButton(rawValue: 16)
}

extension SkinnyKeypadButton {
    /// The dial-string character for this key: "0"–"9", "A"–"D", "*", "#", "+"; nil for a value with no key.
    public var character: Character? {
        switch self.rawValue {
        case 0...9: Character(Unicode.Scalar(UInt8(48 + self.rawValue)))
        case 10...13: Character(Unicode.Scalar(UInt8(55 + self.rawValue)))
        case 14: "*"
        case 15: "#"
        case 16: "+"
        default: nil
        }
    }

    /// The key for a dial-string character, or nil.
    public init?(character: Character) {
        switch character {
        case "0"..."9": self.init(rawValue: UInt32(character.asciiValue.map { $0 - 48 } ?? 0))
        case "A"..."D": self.init(rawValue: UInt32(character.asciiValue.map { $0 - 55 } ?? 0))
        case "*": self = .star
        case "#": self = .pound
        case "+": self = .plus
        default: return nil
        }
    }
}
