public import NIOCore

/// An RTP data packet (RFC 3550 §5.1): the fixed header, the CSRC list, an optional header extension, the payload.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// Parsing is all or nothing: a datagram whose counts and lengths do not add up is an ``RTPPacketError`` and no
/// field of it is used. The payload and the extension are slices of the datagram, not copies.
public struct RTPPacket: Hashable, Sendable {
    /// The 12 bytes of the fixed header.
    public static let fixedHeaderSize = 12
    /// The largest datagram parsed: an Ethernet MTU's worth. G.711 at 20 ms is 172 bytes; anything near this size is
    /// not audio the engine can use, and a bound keeps a hostile sender from making it copy or hold more.
    public static let maximumSize = 1_500

    /// The P bit: the payload was followed by padding (removed by parsing; never written).
    public var hasPadding: Bool
    /// M: for audio, the first packet of a talkspurt (RFC 3551 §4.1).
    public var marker: Bool
    /// PT: 0 for PCMU, 8 for PCMA (RFC 3551 §6).
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    /// In samples of the payload's clock (8 kHz for G.711).
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// The contributing sources (at most 15: CC is 4 bits).
    public var csrcs: [UInt32]
    /// The header extension (X bit): a profile-defined 16-bit value and the data words after it.
    public var headerExtension: HeaderExtension?
    /// The payload, without padding.
    public var payload: ByteBuffer

    /// A header extension (RFC 3550 §5.3.1): "defined by profile" and a whole number of 32-bit words.
    public struct HeaderExtension: Hashable, Sendable {
        public var profile: UInt16
        /// Its length is a multiple of 4 when parsed; ``RTPPacket/write(into:)`` pads it to one.
        public var data: ByteBuffer

        public init(profile: UInt16, data: ByteBuffer) {
            self.profile = profile
            self.data = data
        }
    }

    public init(
        marker: Bool = false,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        csrcs: [UInt32] = [],
        headerExtension: HeaderExtension? = nil,
        payload: ByteBuffer
    ) {
        self.hasPadding = false
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
    }

    /// Parses one datagram. Throws ``RTPPacketError`` when it is not a complete, well-formed RTP version 2 packet.
    public init(parsing datagram: ByteBuffer) throws(RTPPacketError) {
        let size = datagram.readableBytes
        guard size <= Self.maximumSize else { throw .tooLong(datagram) }
        let start = datagram.readerIndex
        guard
            let (first, second, sequenceNumber, timestamp, ssrc) = datagram.getMultipleIntegers(
                at: start,
                endianness: .big,
                as: (UInt8, UInt8, UInt16, UInt32, UInt32).self
            )
        else {
            throw .tooShort(datagram)
        }
        let version = first >> 6
        guard version == 2 else { throw .unsupportedVersion(version, datagram) }
        let csrcCount = Int(first & 0x0F)
        var offset = Self.fixedHeaderSize + 4 * csrcCount
        guard offset <= size else { throw .truncatedCSRCList(count: csrcCount, datagram) }
        var csrcs: [UInt32] = []
        if csrcCount > 0 {
            csrcs.reserveCapacity(csrcCount)
            for index in 0..<csrcCount {
                // In bounds: offset was checked against the size above.
                if let csrc = datagram.getInteger(at: start + Self.fixedHeaderSize + 4 * index, as: UInt32.self) {
                    csrcs.append(csrc)
                }
            }
        }
        var headerExtension: HeaderExtension?
        if first & 0x10 != 0 {
            guard
                let (profile, words) = datagram.getMultipleIntegers(
                    at: start + offset,
                    endianness: .big,
                    as: (UInt16, UInt16).self
                ),
                offset + 4 + 4 * Int(words) <= size,
                let data = datagram.getSlice(at: start + offset + 4, length: 4 * Int(words))
            else {
                throw .truncatedExtension(needed: offset + 4, datagram)
            }
            headerExtension = HeaderExtension(profile: profile, data: data)
            offset += 4 + 4 * Int(words)
        }
        var payloadLength = size - offset
        let hasPadding = first & 0x20 != 0
        if hasPadding {
            let padding = Int(datagram.getInteger(at: start + size - 1, as: UInt8.self) ?? 0)
            guard padding >= 1, padding <= payloadLength else {
                throw .invalidPadding(count: padding, available: payloadLength, datagram)
            }
            payloadLength -= padding
        }
        guard let payload = datagram.getSlice(at: start + offset, length: payloadLength) else {
            throw .tooShort(datagram)
        }
        self.hasPadding = hasPadding
        self.marker = second & 0x80 != 0
        self.payloadType = second & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
    }

    /// The size of the packet as ``write(into:)`` writes it.
    public var encodedSize: Int {
        var size = Self.fixedHeaderSize + 4 * min(self.csrcs.count, 15) + self.payload.readableBytes
        if let headerExtension { size += 4 + (headerExtension.data.readableBytes + 3) / 4 * 4 }
        return size
    }

    /// Appends the packet to `buffer`: version 2, no padding, at most 15 CSRCs (the rest are not written), the
    /// extension padded with zeros to a whole number of words.
    public func write(into buffer: inout ByteBuffer) {
        let csrcs = self.csrcs.prefix(15)
        buffer.writeRTPHeader(
            marker: self.marker,
            payloadType: self.payloadType,
            sequenceNumber: self.sequenceNumber,
            timestamp: self.timestamp,
            ssrc: self.ssrc,
            csrcCount: csrcs.count,
            hasExtension: self.headerExtension != nil
        )
        for csrc in csrcs { buffer.writeInteger(csrc) }
        if let headerExtension {
            let words = (headerExtension.data.readableBytes + 3) / 4
            buffer.writeMultipleIntegers(headerExtension.profile, UInt16(truncatingIfNeeded: words))
            buffer.writeImmutableBuffer(headerExtension.data)
            buffer.writeRepeatingByte(0, count: words * 4 - headerExtension.data.readableBytes)
        }
        buffer.writeImmutableBuffer(self.payload)
    }
}

extension ByteBuffer {
    /// Appends a fixed RTP header (RFC 3550 §5.1), version 2 without padding: the fast path of every packet the
    /// engine sends, which then appends its payload.
    @inlinable
    public mutating func writeRTPHeader(
        marker: Bool,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        csrcCount: Int = 0,
        hasExtension: Bool = false
    ) {
        let first = UInt8(0x80) | (hasExtension ? 0x10 : 0) | UInt8(truncatingIfNeeded: csrcCount & 0x0F)
        self.writeMultipleIntegers(
            first,
            (marker ? 0x80 : 0) | (payloadType & 0x7F),
            sequenceNumber,
            timestamp,
            ssrc,
            endianness: .big
        )
    }
}
