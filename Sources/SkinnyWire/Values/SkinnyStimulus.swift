/// A button type or stimulus (ButtonTemplate.buttonType, Stimulus.stimulus, SetLamp.stimulus, FeatureStat.featureId; reference §6.4).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyStimulus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Last-number redial.
    public static let lastNumberRedial = SkinnyStimulus(rawValue: 0x01)
    /// Speed dial.
    public static let speedDial = SkinnyStimulus(rawValue: 0x02)
    /// Hold.
    public static let hold = SkinnyStimulus(rawValue: 0x03)
    /// Transfer.
    public static let transfer = SkinnyStimulus(rawValue: 0x04)
    /// Forward all.
    public static let forwardAll = SkinnyStimulus(rawValue: 0x05)
    /// Forward busy.
    public static let forwardBusy = SkinnyStimulus(rawValue: 0x06)
    /// Forward no answer.
    public static let forwardNoAnswer = SkinnyStimulus(rawValue: 0x07)
    /// Display.
    public static let display = SkinnyStimulus(rawValue: 0x08)
    /// Line.
    public static let line = SkinnyStimulus(rawValue: 0x09)
    /// Voicemail; also the message-waiting lamp.
    public static let voiceMail = SkinnyStimulus(rawValue: 0x0F)
    /// Answer-release.
    public static let answerRelease = SkinnyStimulus(rawValue: 0x10)
    /// Auto-answer.
    public static let autoAnswer = SkinnyStimulus(rawValue: 0x11)
    /// Service URL.
    public static let serviceURL = SkinnyStimulus(rawValue: 0x14)
    /// BLF speed dial.
    public static let blfSpeedDial = SkinnyStimulus(rawValue: 0x15)
    /// Conference.
    public static let conference = SkinnyStimulus(rawValue: 0x7D)
    /// Call park.
    public static let callPark = SkinnyStimulus(rawValue: 0x7E)
    /// Call pickup.
    public static let callPickup = SkinnyStimulus(rawValue: 0x7F)
    /// Group call pickup.
    public static let groupCallPickup = SkinnyStimulus(rawValue: 0x80)
    /// Do not disturb.
    public static let doNotDisturb = SkinnyStimulus(rawValue: 0x82)
    /// New call.
    public static let newCall = SkinnyStimulus(rawValue: 0x89)
    /// End call.
    public static let endCall = SkinnyStimulus(rawValue: 0x8A)
    /// An unused template slot (CUCM fills empty slots with it).
    public static let undefined = SkinnyStimulus(rawValue: 0xFF)
}
