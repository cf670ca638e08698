/// An SDP session description (RFC 4566), as much of it as an audio trunk needs typed, the rest kept as lines.
///
/// Parsing is strict where offer/answer depends on a field (`v=0`, `o=`, `s=`, `c=`, `m=` with a port and
/// formats) and keeps every other line (`b=`, `i=`, `k=`, unknown attributes) so that nothing is lost on the way
/// through. Lines end in CRLF; a bare LF is accepted (RFC 4566 §5).
public struct SessionDescription: Hashable, Sendable, CustomStringConvertible {
    /// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`
    public struct Origin: Hashable, Sendable {
        public var username: String
        public var sessionID: String
        /// Incremented by every new offer or answer that changes the session (RFC 3264 §8).
        public var sessionVersion: UInt64
        public var address: ConnectionAddress

        public init(username: String = "-", sessionID: String, sessionVersion: UInt64, address: ConnectionAddress) {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.address = address
        }
    }

    /// `c=IN IP4 192.0.2.1` (the address where media goes). `0.0.0.0` is RFC 2543's hold (RFC 3264 §8.4).
    public struct ConnectionAddress: Hashable, Sendable, CustomStringConvertible {
        public enum Family: String, Hashable, Sendable {
            case ipv4 = "IP4"
            case ipv6 = "IP6"
        }

        public var family: Family
        public var address: String

        public init(_ family: Family, _ address: String) {
            self.family = family
            self.address = address
        }

        /// The address of a dotted-quad or IPv6 literal, guessing the family.
        public init(address: String) {
            self.init(address.contains(":") ? .ipv6 : .ipv4, address)
        }

        /// RFC 2543 hold: `c=IN IP4 0.0.0.0`.
        public var isUnspecified: Bool { address == "0.0.0.0" || address == "::" }

        public var description: String { "IN \(family.rawValue) \(address)" }
    }

    /// An `a=` line: `a=name` or `a=name:value`.
    public struct Attribute: Hashable, Sendable {
        public var name: String
        public var value: String?

        public init(_ name: String, _ value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// One `m=` section.
    public struct Media: Hashable, Sendable {
        /// `audio`, `video`, …
        public var type: String
        /// 0 rejects or disables the stream (RFC 3264 §6).
        public var port: Int
        /// `m=audio 49170/2 …`: the number of ports, when given.
        public var portCount: Int?
        /// `RTP/AVP`, `RTP/SAVP`, …
        public var transport: String
        /// Payload type numbers for RTP, as text.
        public var formats: [String]
        public var connection: ConnectionAddress?
        /// `b=`, `i=`, `k=` lines of this section, without their `x=`.
        public var otherLines: [String]
        public var attributes: [Attribute]

        public init(
            type: String,
            port: Int,
            transport: String = "RTP/AVP",
            formats: [String],
            connection: ConnectionAddress? = nil,
            attributes: [Attribute] = []
        ) {
            self.type = type
            self.port = port
            self.portCount = nil
            self.transport = transport
            self.formats = formats
            self.connection = connection
            self.otherLines = []
            self.attributes = attributes
        }

        /// The values of every `a=name:value` with this name.
        public func attributeValues(_ name: String) -> [String] {
            attributes.filter { $0.name == name }.compactMap(\.value)
        }

        /// The direction this section declares (RFC 3264 §5.1), or nil if it declares none.
        public var declaredDirection: MediaDirection? {
            attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first
        }
    }

    public var origin: Origin
    public var sessionName: String
    public var connection: ConnectionAddress?
    /// `t=` lines (`0 0` for a trunk's unbounded sessions).
    public var timing: [String]
    /// Session-level `b=`, `i=`, `u=`, `e=`, `p=`, `k=`, `r=`, `z=` lines, kept whole (`x=…`).
    public var otherLines: [String]
    public var attributes: [Attribute]
    public var media: [Media]

    public init(
        origin: Origin,
        sessionName: String = "-",
        connection: ConnectionAddress?,
        attributes: [Attribute] = [],
        media: [Media]
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.timing = ["0 0"]
        self.otherLines = []
        self.attributes = attributes
        self.media = media
    }

    /// The direction of the session as declared for `media` (its own attribute, else the session's, else
    /// sendrecv: RFC 3264 §5.1).
    public func direction(of media: Media) -> MediaDirection {
        media.declaredDirection ?? attributes.lazy.compactMap { MediaDirection(rawValue: $0.name) }.first
            ?? .sendrecv
    }

    /// The connection address that applies to `media`: its own `c=`, else the session's.
    public func connection(of media: Media) -> ConnectionAddress? {
        media.connection ?? connection
    }

    public var description: String { String(decoding: serialized(), as: UTF8.self) }
}

/// The direction attribute of a media stream (RFC 3264 §5.1, §8.4: hold is sendonly or inactive).
public enum MediaDirection: String, Hashable, Sendable, CaseIterable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    /// The direction the other side must answer with (RFC 3264 §6.1): sendonly ↔ recvonly.
    public var reversed: MediaDirection {
        switch self {
        case .sendrecv: .sendrecv
        case .sendonly: .recvonly
        case .recvonly: .sendonly
        case .inactive: .inactive
        }
    }

    /// Whether this side sends media.
    public var sends: Bool { self == .sendrecv || self == .sendonly }
    /// Whether this side receives media.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The direction both sides agree on: what one side wants, limited by what the other allows, from the first
    /// side's point of view.
    public func intersected(withRemote remote: MediaDirection) -> MediaDirection {
        let sends = self.sends && remote.receives
        let receives = self.receives && remote.sends
        switch (sends, receives) {
        case (true, true): return .sendrecv
        case (true, false): return .sendonly
        case (false, true): return .recvonly
        case (false, false): return .inactive
        }
    }
}
