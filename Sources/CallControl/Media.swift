/// An audio codec, protocol-neutral: the SCCP layer maps it to SCCP's compression type and RTP payload type.
///
/// The cases are listed in the server's preference order: ``CallControlCore`` picks the first one both devices can
/// use. G.711 comes first because every Cisco phone has it and it needs no transcoding; G.722 last because older
/// firmware announces it but handles it badly.
public enum Codec: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case g711ulaw
    case g711alaw
    case g729
    case g722

    public var description: String {
        switch self {
        case .g711ulaw: "G.711 µ-law"
        case .g711alaw: "G.711 A-law"
        case .g729: "G.729"
        case .g722: "G.722"
        }
    }

    /// The codec for a call between devices with these capabilities: the first of ``allCases`` that both list.
    ///
    /// An empty list means "not known yet" (SCCP phones report capabilities after registering) and is treated as
    /// "supports everything", so a known side still decides. With nothing in common, G.711 µ-law: every SCCP phone
    /// supports it, and a call with a codec one side dislikes is better than no call.
    public static func negotiate(_ first: [Codec], _ second: [Codec]) -> Codec {
        for codec in allCases
        where (first.isEmpty || first.contains(codec)) && (second.isEmpty || second.contains(codec)) {
            return codec
        }
        return .g711ulaw
    }
}

/// The IP address a device receives media on, as it reported it.
public enum MediaAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address with the first octet in the most significant byte: 10.0.0.1 is `0x0A00_0001`.
    case ipv4(UInt32)
    /// An IPv6 address as two 64-bit halves, the first eight octets in `high`, most significant byte first.
    case ipv6(high: UInt64, low: UInt64)

    public var description: String {
        switch self {
        case .ipv4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .ipv6(let high, let low):
            let groups = [high >> 48, high >> 32, high >> 16, high, low >> 48, low >> 32, low >> 16, low]
            return groups.map { String($0 & 0xFFFF, radix: 16) }.joined(separator: ":")
        }
    }
}

/// Where a device listens for RTP: its answer to an open-receive-channel request.
public struct MediaEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: MediaAddress
    public var port: UInt16

    public init(address: MediaAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public var description: String { "\(address):\(port)" }
}

/// The format of one media stream. Both directions of a call use the same parameters.
public struct MediaParameters: Hashable, Sendable {
    public var codec: Codec
    /// RTP packetisation in milliseconds (20 unless configured otherwise).
    public var packetMilliseconds: UInt32
    /// The RTP payload type of RFC 4733 telephone-events (DTMF) in the stream, when both ends carry them in band;
    /// nil when the endpoint must not send them (keypad digits then go out of band, as SIP INFO to a trunk). Set per
    /// leg by ``CallControlCore``: a phone that says it sends RFC 2833 and an other end that takes them.
    public var telephoneEventPayloadType: UInt8?

    public init(codec: Codec, packetMilliseconds: UInt32, telephoneEventPayloadType: UInt8? = nil) {
        self.codec = codec
        self.packetMilliseconds = packetMilliseconds
        self.telephoneEventPayloadType = telephoneEventPayloadType
    }
}

/// What a device reported it can do. SCCP phones send this after registration, so the SCCP layer reports it with
/// ``CallEvent/capabilitiesChanged(_:_:)`` when it arrives.
public struct DeviceCapabilities: Hashable, Sendable {
    /// Codecs the device supports, in any order; empty means unknown.
    public var codecs: [Codec]
    /// Whether the device can send and receive video (SCCP: it listed video capabilities). Presence reports a
    /// user's video capability from it.
    public var supportsVideo: Bool
    /// Whether the device sends and understands DTMF as RFC 2833/4733 telephone-events in its RTP when told a payload
    /// type (SCCP: the RFC 2833 bit of Register's features). Without it, its keypad digits in a conversation are
    /// relayed out of band.
    public var rfc2833: Bool

    public init(codecs: [Codec] = [], supportsVideo: Bool = false, rfc2833: Bool = false) {
        self.codecs = codecs
        self.supportsVideo = supportsVideo
        self.rfc2833 = rfc2833
    }

    /// Nothing known yet: calls use G.711 µ-law unless the other side rules it out.
    public static let unknown = DeviceCapabilities()
}

/// A call-progress tone the media server plays to an endpoint that cannot play it itself (``MediaResourceCommand``'s
/// `startTone`). A phone plays its own tones (SCCP StartTone), and so does a SIP trunk's far end while its call is
/// being set up (from the 180 or the final response it is sent); once a trunk call was answered, nothing more it is
/// sent makes its far end play a tone, so the tone travels as RTP from the media server (CUCM's annunciator does the
/// same for SIP trunks).
public enum CallProgressTone: Hashable, Sendable, CaseIterable {
    /// The party it calls rings (a trunk caller transferred to a phone that rings, a park reverting).
    case ringback
    /// The party it calls is busy.
    case busy
    /// The call cannot be completed (no such number, blocked, unavailable).
    case reorder
}
