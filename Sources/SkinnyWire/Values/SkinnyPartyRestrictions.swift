/// Which names and numbers of a call the phone must not show (CallInfo partyPIRestrictionBits; reference §5.2).
///
/// chan-sccp sends `.callingParty.union(.calledParty)` (0xF) when presentation is restricted, else none.
public struct SkinnyPartyRestrictions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Bit 0: the calling party's name.
    public static let callingPartyName = SkinnyPartyRestrictions(rawValue: 1 << 0)
    /// Bit 1: the calling party's number.
    public static let callingPartyNumber = SkinnyPartyRestrictions(rawValue: 1 << 1)
    /// Bit 2: the called party's name.
    public static let calledPartyName = SkinnyPartyRestrictions(rawValue: 1 << 2)
    /// Bit 3: the called party's number.
    public static let calledPartyNumber = SkinnyPartyRestrictions(rawValue: 1 << 3)
    /// Bit 4: the original called party's name.
    public static let originalCalledPartyName = SkinnyPartyRestrictions(rawValue: 1 << 4)
    /// Bit 5: the original called party's number.
    public static let originalCalledPartyNumber = SkinnyPartyRestrictions(rawValue: 1 << 5)
    /// Bit 6: the last redirecting party's name.
    public static let lastRedirectingPartyName = SkinnyPartyRestrictions(rawValue: 1 << 6)
    /// Bit 7: the last redirecting party's number.
    public static let lastRedirectingPartyNumber = SkinnyPartyRestrictions(rawValue: 1 << 7)

    /// The calling party's name and number.
    public static let callingParty: SkinnyPartyRestrictions = [.callingPartyName, .callingPartyNumber]
    /// The called party's name and number.
    public static let calledParty: SkinnyPartyRestrictions = [.calledPartyName, .calledPartyNumber]
}
