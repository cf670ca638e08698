public import NIOSSL
public import SkinnyWire

extension SkinnyPhone {
    /// How a simulated phone presents itself and behaves.
    ///
    /// Only `deviceName` is required. The defaults describe a 7960 offering protocol v11 with G.711 µ-law, G.711
    /// A-law and G.729, keepalives at the RegisterAck interval, and real RTP on 127.0.0.1.
    public struct Configuration: Sendable {
        /// The device name sent in Register, e.g. "SEP00112233AABB".
        public var deviceName: String
        /// The model sent in Register (reference §6.10).
        public var deviceType: SkinnyDeviceType
        /// The highest protocol version the phone offers (Register byte 40): 3 to 22 (reference §2.2).
        public var protocolVersion: UInt8
        /// The feature bits of Register bytes 42–43; `nil` sets them as a real phone of `protocolVersion` does
        /// (see `SkinnyPhone.defaultFeatures(forVersion:)`).
        public var features: SkinnyPhoneFeatures?
        /// The station address sent in Register; `nil` sends the local address of the TCP connection.
        public var stationAddress: SkinnyIPAddress?
        /// Register's maxStreams.
        public var maxStreams: UInt32
        /// Register's maxNumberOfLines and the RegisterAvailableLines value; 0 uses the number of line buttons
        /// in the ButtonTemplateRes.
        public var maxLines: UInt32
        /// Register's firmwareLoadName.
        public var firmwareLoadName: String
        /// The codecs offered in CapabilitiesRes, in order of preference.
        public var codecs: [SkinnyAudioCapability]
        /// When to send KeepAlive.
        public var keepAlive: KeepAlivePolicy
        /// What `answer()` sends.
        public var answerMode: AnswerMode
        /// Whether OpenReceiveChannel binds a real UDP socket and StartMediaTransmission sends real RTP.
        public var rtp: RTPMode
        /// The address RTP sockets bind to and that OpenReceiveChannelAck reports.
        public var mediaHost: String
        /// How many received messages the phone keeps for `waitFor(since:)` and `history()`. Every entry costs a
        /// few hundred bytes, so load generators running thousands of phones keep this small.
        public var historyCapacity: Int
        /// The largest SCCP length field the phone accepts from the call manager.
        public var maximumFrameLength: UInt32
        /// How long `connect` waits for the TCP handshake.
        public var connectTimeout: Duration
        /// Whether the phone closes its connection when the call manager sends Reset, as a real phone does
        /// before it reboots or re-registers (call-flows §1).
        public var closesOnReset: Bool
        /// Whether the phone answers StartMediaTransmission with StartMediaTransmissionAck, as newer firmware does
        /// (call-flows §4).
        public var sendsStartMediaTransmissionAck: Bool
        /// When set, the phone speaks SCCP over TLS (SCCPS, TCP 2443) with this client context: its trust roots
        /// verify the call manager, and its certificate chain, if any, is the phone's client certificate.
        public var tls: NIOSSLContext? = nil
        /// The name sent as SNI and checked against the server certificate when `tls` verifies host names.
        public var tlsServerHostname: String? = nil
        /// The local IPv4 address the TCP connection is bound to before it connects; nil lets the kernel choose.
        /// A load generator spreads thousands of phones over several loopback sources (127.0.0.2, 127.0.0.3, …):
        /// from one source address to one server port, Linux's ephemeral-port search costs O(connections) per
        /// connect once about half the range is in use (strowger-bench saw every connect stall past 14,000 phones).
        public var localAddress: String? = nil
        /// A sine tone of this frequency (Hz) in the RTP the phone sends on G.711 streams, instead of silence, so that
        /// a test can tell in a mix who it hears; nil sends silence.
        public var mediaToneFrequency: Double? = nil
        /// Whether the phone keeps the decoded audio it receives on each stream (the last 10 s of each), for tone
        /// analysis (``SkinnyPhone/mediaStreams()``).
        public var recordsReceivedAudio: Bool = false

        public init(
            deviceName: String,
            deviceType: SkinnyDeviceType = .station7960,
            protocolVersion: UInt8 = 11,
            features: SkinnyPhoneFeatures? = nil,
            stationAddress: SkinnyIPAddress? = nil,
            maxStreams: UInt32 = 5,
            maxLines: UInt32 = 0,
            firmwareLoadName: String = "",
            codecs: [SkinnyAudioCapability] = SkinnyPhone.defaultCodecs,
            keepAlive: KeepAlivePolicy = .fromRegisterAck,
            answerMode: AnswerMode = .offHook,
            rtp: RTPMode = .enabled,
            mediaHost: String = "127.0.0.1",
            historyCapacity: Int = 64,
            maximumFrameLength: UInt32 = SkinnyLimits.defaultMaximumLength,
            connectTimeout: Duration = .seconds(5),
            closesOnReset: Bool = true,
            sendsStartMediaTransmissionAck: Bool = false
        ) {
            self.deviceName = deviceName
            self.deviceType = deviceType
            self.protocolVersion = protocolVersion
            self.features = features
            self.stationAddress = stationAddress
            self.maxStreams = maxStreams
            self.maxLines = maxLines
            self.firmwareLoadName = firmwareLoadName
            self.codecs = codecs
            self.keepAlive = keepAlive
            self.answerMode = answerMode
            self.rtp = rtp
            self.mediaHost = mediaHost
            self.historyCapacity = max(0, historyCapacity)
            self.maximumFrameLength = maximumFrameLength
            self.connectTimeout = connectTimeout
            self.closesOnReset = closesOnReset
            self.sendsStartMediaTransmissionAck = sendsStartMediaTransmissionAck
        }
    }

    /// When the phone sends KeepAlive.
    public enum KeepAlivePolicy: Hashable, Sendable {
        /// Every `keepAliveInterval` seconds of the RegisterAck, as a real phone does (call-flows §1). An interval
        /// of 0 falls back to 30 s, CUCM's default.
        case fromRegisterAck
        /// At a fixed interval, whatever RegisterAck said.
        case every(Duration)
        /// Never: the phone goes silent, so that a test can watch the call manager time it out.
        case disabled
    }

    /// What `answer()` sends for the ringing call (call-flows §4).
    public enum AnswerMode: Hashable, Sendable {
        /// OffHook(line, call): lifting the handset.
        case offHook
        /// SoftKeyEvent Answer(line, call).
        case softKey
    }

    /// Whether the phone moves real RTP.
    public enum RTPMode: Hashable, Sendable {
        /// Bind a UDP socket per OpenReceiveChannel, send RTP on StartMediaTransmission and count what arrives.
        case enabled
        /// No sockets: OpenReceiveChannel is still acknowledged with a made-up port, and no RTP is sent. For load
        /// generators, where thousands of phones would otherwise need thousands of sockets and timers.
        case disabled
    }

    /// G.711 µ-law, G.711 A-law and G.729, with the packet sizes a 7970 reports: 40 ms for G.711, 60 ms for G.729
    /// (reference §6.12).
    public static let defaultCodecs: [SkinnyAudioCapability] = [
        SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40),
        SkinnyAudioCapability(codec: .g711ALaw64k, maxFramesPerPacket: 40),
        SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 60),
    ]

    /// The Register feature bits a real phone offering `version` sends (reference §2.4): none below v8; from v8 the
    /// bits a 7960 at v11 sends (0x8560: dynamic messages, RFC 2833, abbreviated dial and two unnamed bits); from
    /// v17 the bits a 7941 at v17 sends (0x8572, which adds UTF-8).
    public static func defaultFeatures(forVersion version: UInt8) -> SkinnyPhoneFeatures {
        switch version {
        case ..<8: []
        case 8..<17: SkinnyPhoneFeatures(rawValue: 0x8560)
        default: SkinnyPhoneFeatures(rawValue: 0x8572)
        }
    }
}
