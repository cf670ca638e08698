/// Where a chunk of user-to-device data sits in a longer document (UserToDeviceDataVersion1.sequenceFlag;
/// reference §5.2).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnySequenceFlag: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// The first chunk (also a document that fits in one message).
    public static let first = SkinnySequenceFlag(rawValue: 0)
    /// A middle chunk.
    public static let more = SkinnySequenceFlag(rawValue: 1)
    /// The last chunk.
    public static let last = SkinnySequenceFlag(rawValue: 2)
}
