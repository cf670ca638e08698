/// What a phone does with its RTP port when a stream stops (CloseReceiveChannel, StopMediaTransmission
/// portHandlingFlag; reference §6.13).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyPortHandling: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Close the port.
    public static let closePort = SkinnyPortHandling(rawValue: 0)
    /// Keep the port open, e.g. while a call is moved between streams.
    public static let keepPortOpen = SkinnyPortHandling(rawValue: 1)
}
