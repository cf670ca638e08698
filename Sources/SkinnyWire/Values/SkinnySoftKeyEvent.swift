/// A softkey press (SoftKeyEvent.softKeyEvent). The value is whatever the call manager put in SoftKeyTemplateRes; Strowger uses the standard numbering that CUCM 3.1 to 4.1 used for 1 to 18 (reference §6.6).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnySoftKeyEvent: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Redial.
    public static let redial = SkinnySoftKeyEvent(rawValue: 1)
    /// NewCall.
    public static let newCall = SkinnySoftKeyEvent(rawValue: 2)
    /// Hold.
    public static let hold = SkinnySoftKeyEvent(rawValue: 3)
    /// Transfer.
    public static let transfer = SkinnySoftKeyEvent(rawValue: 4)
    /// CFwdAll.
    public static let forwardAll = SkinnySoftKeyEvent(rawValue: 5)
    /// CFwdBusy.
    public static let forwardBusy = SkinnySoftKeyEvent(rawValue: 6)
    /// CFwdNoAnswer.
    public static let forwardNoAnswer = SkinnySoftKeyEvent(rawValue: 7)
    /// BackSpace.
    public static let backSpace = SkinnySoftKeyEvent(rawValue: 8)
    /// EndCall.
    public static let endCall = SkinnySoftKeyEvent(rawValue: 9)
    /// Resume.
    public static let resume = SkinnySoftKeyEvent(rawValue: 10)
    /// Answer.
    public static let answer = SkinnySoftKeyEvent(rawValue: 11)
    /// Info.
    public static let info = SkinnySoftKeyEvent(rawValue: 12)
    /// Confrn.
    public static let conference = SkinnySoftKeyEvent(rawValue: 13)
    /// Park.
    public static let park = SkinnySoftKeyEvent(rawValue: 14)
    /// Join.
    public static let join = SkinnySoftKeyEvent(rawValue: 15)
    /// MeetMe.
    public static let meetMe = SkinnySoftKeyEvent(rawValue: 16)
    /// PickUp.
    public static let pickUp = SkinnySoftKeyEvent(rawValue: 17)
    /// GPickUp.
    public static let groupPickUp = SkinnySoftKeyEvent(rawValue: 18)
    /// DND.
    public static let doNotDisturb = SkinnySoftKeyEvent(rawValue: 63)
    /// DirTrfr: join two calls of the line and drop out (reference §6.6: label 77).
    public static let directTransfer = SkinnySoftKeyEvent(rawValue: 77)
    /// RmLstC: remove the conference party added last (reference §6.6: label 57).
    public static let removeLastParticipant = SkinnySoftKeyEvent(rawValue: 57)
    /// ConfList: show the conference's parties (reference §6.6: label 79).
    public static let conferenceList = SkinnySoftKeyEvent(rawValue: 79)
    /// Dial.
    public static let dial = SkinnySoftKeyEvent(rawValue: 201)
}
