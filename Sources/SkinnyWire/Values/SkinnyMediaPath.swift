/// An audio path of a phone: headset, handset or speaker (MediaPathEvent and MediaPathCapability `mediaPathID`;
/// reference §5.1, §6.14).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyMediaPath: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// The headset.
    public static let headset = SkinnyMediaPath(rawValue: 1)
    /// The handset.
    public static let handset = SkinnyMediaPath(rawValue: 2)
    /// The speaker.
    public static let speaker = SkinnyMediaPath(rawValue: 3)
}
