import Media
public import NIOCore
public import SkinnyWire

/// The fixed 12-byte RTP header (RFC 3550 §5.1), without CSRCs or extensions.
public struct RTPHeader: Hashable, Sendable {
    /// The size of the fixed header.
    public static let size = 12

    /// Always 2 for RTP as phones send it.
    public var version: UInt8
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32

    public init(
        version: UInt8 = 2,
        marker: Bool = false,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32
    ) {
        self.version = version
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    /// Reads the header at the start of `packet`, or nil when the packet is shorter than 12 bytes.
    public init?(parsing packet: ByteBuffer) {
        guard
            let (first, second, sequenceNumber, timestamp, ssrc) = packet.getMultipleIntegers(
                at: packet.readerIndex,
                endianness: .big,
                as: (UInt8, UInt8, UInt16, UInt32, UInt32).self
            )
        else {
            return nil
        }
        self.version = first >> 6
        self.marker = second & 0x80 != 0
        self.payloadType = second & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    /// Appends the header (no padding, no extension, no CSRCs) to `buffer`.
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(
            (self.version & 0x03) << 6,
            (self.marker ? 0x80 : 0) | (self.payloadType & 0x7F),
            self.sequenceNumber,
            self.timestamp,
            self.ssrc,
            endianness: .big
        )
    }
}

extension SkinnyCodec {
    /// The static RTP payload type that carries this codec (RFC 3551; reference §6.12), or nil when the codec uses
    /// a dynamic type or has no static one.
    public var rtpPayloadType: UInt8? {
        switch self.rawValue {
        case 2, 3: 8  // G.711 A-law
        case 4, 5: 0  // G.711 µ-law
        case 6, 7, 8: 9  // G.722
        case 9: 4  // G.723.1
        case 10: 15  // G.728
        case 11, 12, 15, 16: 18  // G.729 and its annexes
        case 18: 3  // GSM full rate
        default: nil
        }
    }

    /// Payload bytes per millisecond of audio: 8 for G.711 and G.722 (64 kbit/s), 1 for G.729 (8 kbit/s),
    /// 2 for G.728 (16 kbit/s); 8 for anything else, which the simulated phone treats as G.711-sized.
    var rtpBytesPerMillisecond: Int {
        switch self.rawValue {
        case 11, 12, 15, 16: 1
        case 10: 2
        default: 8
        }
    }

    /// A byte of silence in this codec, so that the payload sounds like nothing if anyone listens: 0xFF in µ-law,
    /// 0xD5 in A-law, 0 otherwise.
    var rtpSilenceByte: UInt8 {
        switch self.rawValue {
        case 2, 3: 0xD5
        case 4, 5: 0xFF
        default: 0
        }
    }
}

/// One media stream of a call: a receive channel (OpenReceiveChannel) and, once StartMediaTransmission arrives,
/// the transmission from the same socket (symmetric RTP, as phones do). Lives on the phone's event loop.
final class MediaStream {
    let callReference: UInt32
    let passThroughPartyID: UInt32
    /// The codec of the receive channel, which decides the payload type that incoming packets must carry.
    let receiveCodec: SkinnyCodec
    /// The payload type incoming packets must carry; nil when the codec has no static type (anything goes).
    let expectedPayloadType: UInt8?
    /// The UDP socket, once bound. Nil with RTP disabled.
    var channel: (any Channel)?
    /// The port reported in OpenReceiveChannelAck.
    var port: Int = 0
    /// Closed by CloseReceiveChannel, hang-up or the end of the connection.
    var isClosed = false
    /// The StartMediaTransmission to carry out once the socket is bound.
    var pendingTransmission: SkinnyMessage.StartMediaTransmission?
    /// The timer that sends a packet every packet period.
    var transmitTask: RepeatedTask?
    var remote: SocketAddress?
    var transmitCodec: SkinnyCodec = .g711ULaw64k
    var packetMilliseconds = 20
    let ssrc = UInt32.random(in: UInt32.min...UInt32.max)
    var sequenceNumber = UInt16.random(in: UInt16.min...UInt16.max)
    var timestamp = UInt32.random(in: UInt32.min...UInt32.max)
    var packetsSent = 0
    var packetsReceived = 0
    var octetsSent = 0
    var octetsReceived = 0
    /// What arrived, packet by packet (SkinnyPhoneHandler+MediaReports.swift).
    var reception = RTPStreamReception()
    /// The tone the phone sends on this stream, when it sends one (``SkinnyPhone/Configuration/mediaToneFrequency``).
    var oscillator: SineOscillator?
    /// The last StartMediaTransmission's destination, as `address:port`.
    var transmittedTo: String?
    /// The RFC 2833 payload type the call manager gave (OpenReceiveChannel for reception, StartMediaTransmission for
    /// sending); nil when it gave 0 (the phone then sends no telephone-events).
    var receiveTelephoneEvents: UInt8?
    var transmitTelephoneEvents: UInt8?
    /// Keys waiting to go out as telephone-events, and the one going out now (SkinnyPhoneHandler+DTMF.swift).
    var pendingKeys: [Character] = []
    var currentEvent: TelephoneEventTransmission?
    /// The RTP timestamp of the last telephone-event received, so that its retransmissions count once.
    var lastReceivedEventTimestamp: UInt32?

    init(
        callReference: UInt32,
        passThroughPartyID: UInt32,
        receiveCodec: SkinnyCodec,
        receiveTelephoneEvents: UInt32 = 0
    ) {
        self.callReference = callReference
        self.passThroughPartyID = passThroughPartyID
        self.receiveCodec = receiveCodec
        self.expectedPayloadType = receiveCodec.rtpPayloadType
        self.receiveTelephoneEvents = RTPTelephoneEvent.payloadType(receiveTelephoneEvents)
    }

    /// Stops sending; the socket stays open for receiving.
    func stopTransmitting() {
        self.transmitTask?.cancel()
        self.transmitTask = nil
        self.pendingTransmission = nil
        self.remote = nil
    }

    /// Stops sending and closes the socket.
    func close() {
        self.isClosed = true
        self.stopTransmitting()
        self.channel?.close(promise: nil)
        self.channel = nil
    }
}

/// Hands every datagram of a media socket to the phone.
final class RTPReceiveHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private weak var phone: SkinnyPhoneHandler?
    private let stream: MediaStream

    init(phone: SkinnyPhoneHandler, stream: MediaStream) {
        self.phone = phone
        self.stream = stream
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        self.phone?.rtpReceived(envelope.data, from: envelope.remoteAddress, on: self.stream)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable from a peer that has not bound yet surfaces here; a phone keeps sending.
    }
}

@available(*, unavailable)
extension RTPReceiveHandler: Sendable {}

@available(*, unavailable)
extension MediaStream: Sendable {}
