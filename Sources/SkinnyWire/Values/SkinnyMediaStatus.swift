/// How a media request ended, as the phone reports it in OpenReceiveChannelAck, StartMediaTransmissionAck and
/// their multimedia and multicast variants (reference §6.13).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyMediaStatus: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// The channel is open or the transmission started.
    public static let ok = SkinnyMediaStatus(rawValue: 0)
    /// An unspecified failure (also "error" in the multicast and multimedia acks).
    public static let unknown = SkinnyMediaStatus(rawValue: 1)
    /// The phone has no free media channel.
    public static let outOfChannels = SkinnyMediaStatus(rawValue: 2)
    /// The codec needs more DSP than the phone has left.
    public static let codecTooComplex = SkinnyMediaStatus(rawValue: 3)
    /// The passThroughPartyId is not one the phone knows.
    public static let invalidPartyID = SkinnyMediaStatus(rawValue: 4)
    /// The callReference is not one the phone knows.
    public static let invalidCallReference = SkinnyMediaStatus(rawValue: 5)
    /// The phone does not support the codec.
    public static let invalidCodec = SkinnyMediaStatus(rawValue: 6)
    /// The phone does not support the packet size.
    public static let invalidPacketSize = SkinnyMediaStatus(rawValue: 7)
    /// The phone has no free socket.
    public static let outOfSockets = SkinnyMediaStatus(rawValue: 8)
    /// The encoder or decoder failed to start.
    public static let encoderOrDecoderFailed = SkinnyMediaStatus(rawValue: 9)
    /// The dynamic RTP payload type is not acceptable.
    public static let invalidDynamicPayloadType = SkinnyMediaStatus(rawValue: 10)
    /// The requested IP address type (IPv4 or IPv6) is not available.
    public static let requestedAddressTypeUnavailable = SkinnyMediaStatus(rawValue: 11)
    /// The phone is on hook, in Wireshark's numbering (reference §7 #7).
    public static let deviceOnHook = SkinnyMediaStatus(rawValue: 255)
    /// The phone is on hook, in chan-sccp's numbering (reference §7 #7). Accept both.
    public static let deviceOnHookAlternate = SkinnyMediaStatus(rawValue: 12)

    /// Whether the phone refused because it is on hook, in either numbering.
    public var isDeviceOnHook: Bool { self == .deviceOnHook || self == .deviceOnHookAlternate }
}
