/// Writes a classic libpcap capture file (the format of `tcpdump -w`), link type Ethernet.
///
/// File layout, all integers little-endian (we write the magic in our own byte order, so readers take the file as
/// little-endian): a 24-byte global header (`magic 0xA1B2C3D4`, version 2.4, time zone 0, accuracy 0, snapshot
/// length, link type), then per packet a 16-byte record header (`seconds`, `microseconds`, captured length,
/// original length) and the packet bytes.
struct PcapWriter {
    /// LINKTYPE_ETHERNET: every packet starts with a 14-byte Ethernet II header.
    static let linkTypeEthernet: UInt32 = 1
    /// The largest packet the file declares it may hold; every packet we write is smaller.
    static let snapshotLength: UInt32 = 262_144

    /// The file so far.
    private(set) var bytes: [UInt8] = []
    /// Number of packets written; the last one is tshark's `frame.number` `packetCount`.
    private(set) var packetCount = 0
    /// The capture clock, in microseconds since 1970. Each packet is one millisecond after the previous one.
    private var clock: UInt64 = 1_700_000_000 * 1_000_000

    init() {
        self.appendLittleEndian(UInt32(0xA1B2_C3D4))
        self.appendLittleEndian(UInt16(2))
        self.appendLittleEndian(UInt16(4))
        self.appendLittleEndian(UInt32(0))  // thiszone
        self.appendLittleEndian(UInt32(0))  // sigfigs
        self.appendLittleEndian(Self.snapshotLength)
        self.appendLittleEndian(Self.linkTypeEthernet)
    }

    /// Appends one packet and returns its frame number (1-based, as tshark counts).
    @discardableResult
    mutating func append(packet: [UInt8]) -> Int {
        precondition(
            packet.count <= Self.snapshotLength,
            "packet of \(packet.count) bytes is above the snapshot length"
        )
        self.clock += 1_000
        self.appendLittleEndian(UInt32(truncatingIfNeeded: self.clock / 1_000_000))
        self.appendLittleEndian(UInt32(truncatingIfNeeded: self.clock % 1_000_000))
        self.appendLittleEndian(UInt32(packet.count))
        self.appendLittleEndian(UInt32(packet.count))
        self.bytes.append(contentsOf: packet)
        self.packetCount += 1
        return self.packetCount
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { self.bytes.append(contentsOf: $0) }
    }
}

/// An IPv4 address and TCP port.
struct PcapEndpoint: Hashable {
    /// The four bytes of the address, in network order.
    var addressBytes: [UInt8]
    var port: UInt16

    init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) {
        self.addressBytes = [a, b, c, d]
        self.port = port
    }
}

/// One TCP connection between a phone and the call manager, written packet by packet into a `PcapWriter`:
/// a three-way handshake, then one segment per payload with sequence and acknowledgement numbers that follow the
/// bytes sent, valid IPv4 header checksums and valid TCP checksums (RFC 791, RFC 793, RFC 1071).
struct PcapTCPConversation {
    enum Side {
        /// The TCP client: the phone.
        case phone
        /// The TCP server, port 2000.
        case callManager
    }

    let phone: PcapEndpoint
    let callManager: PcapEndpoint
    /// The next sequence number each side sends.
    private var phoneSequence: UInt32 = 0x1000_0000
    private var callManagerSequence: UInt32 = 0x2000_0000
    private var ipIdentification: UInt16 = 1

    /// The largest payload one segment carries: an IPv4 packet is at most 65,535 bytes with 40 bytes of headers.
    static let maximumPayload = 65_535 - 40

    init(phone: PcapEndpoint, callManager: PcapEndpoint) {
        self.phone = phone
        self.callManager = callManager
    }

    /// Writes SYN, SYN-ACK and ACK.
    mutating func writeHandshake(into writer: inout PcapWriter) {
        self.write(from: .phone, flags: TCPFlags.syn, payload: [], into: &writer)
        self.phoneSequence &+= 1
        self.write(from: .callManager, flags: TCPFlags.syn | TCPFlags.ack, payload: [], into: &writer)
        self.callManagerSequence &+= 1
        self.write(from: .phone, flags: TCPFlags.ack, payload: [], into: &writer)
    }

    /// Writes `payload` as one PSH-ACK segment from `side` and returns its frame number.
    @discardableResult
    mutating func send(_ payload: [UInt8], from side: Side, into writer: inout PcapWriter) -> Int {
        precondition(payload.count <= Self.maximumPayload, "a \(payload.count)-byte payload does not fit one segment")
        let frame = self.write(from: side, flags: TCPFlags.psh | TCPFlags.ack, payload: payload, into: &writer)
        switch side {
        case .phone: self.phoneSequence &+= UInt32(payload.count)
        case .callManager: self.callManagerSequence &+= UInt32(payload.count)
        }
        return frame
    }

    private enum TCPFlags {
        static let syn: UInt8 = 0x02
        static let psh: UInt8 = 0x08
        static let ack: UInt8 = 0x10
    }

    @discardableResult
    private mutating func write(from side: Side, flags: UInt8, payload: [UInt8], into writer: inout PcapWriter) -> Int {
        let (source, destination) = side == .phone ? (self.phone, self.callManager) : (self.callManager, self.phone)
        let (sequence, acknowledgement) =
            side == .phone
            ? (self.phoneSequence, self.callManagerSequence) : (self.callManagerSequence, self.phoneSequence)
        // The SYN carries no acknowledgement number.
        let isFirstSyn = flags == TCPFlags.syn

        var tcp: [UInt8] = []
        tcp.appendBigEndian(source.port)
        tcp.appendBigEndian(destination.port)
        tcp.appendBigEndian(sequence)
        tcp.appendBigEndian(isFirstSyn ? 0 : acknowledgement)
        tcp.append(5 << 4)  // data offset: 5 words, no options
        tcp.append(flags)
        tcp.appendBigEndian(UInt16(65_535))  // window
        tcp.appendBigEndian(UInt16(0))  // checksum, filled in below
        tcp.appendBigEndian(UInt16(0))  // urgent pointer
        tcp.append(contentsOf: payload)

        var pseudoHeader = source.addressBytes + destination.addressBytes
        pseudoHeader.append(0)
        pseudoHeader.append(6)  // protocol TCP
        pseudoHeader.appendBigEndian(UInt16(tcp.count))
        let tcpChecksum = internetChecksum(pseudoHeader + tcp)
        tcp[16] = UInt8(tcpChecksum >> 8)
        tcp[17] = UInt8(tcpChecksum & 0xFF)

        var ip: [UInt8] = []
        ip.append(0x45)  // version 4, header length 5 words
        ip.append(0)  // DSCP/ECN
        ip.appendBigEndian(UInt16(20 + tcp.count))
        ip.appendBigEndian(self.ipIdentification)
        ip.appendBigEndian(UInt16(0x4000))  // don't fragment
        ip.append(64)  // TTL
        ip.append(6)  // protocol TCP
        ip.appendBigEndian(UInt16(0))  // checksum, filled in below
        ip.append(contentsOf: source.addressBytes)
        ip.append(contentsOf: destination.addressBytes)
        let ipChecksum = internetChecksum(ip)
        ip[10] = UInt8(ipChecksum >> 8)
        ip[11] = UInt8(ipChecksum & 0xFF)
        self.ipIdentification &+= 1

        // Locally administered MAC addresses derived from the IPv4 address.
        var ethernet: [UInt8] = [0x02, 0x00] + destination.addressBytes
        ethernet += [0x02, 0x00] + source.addressBytes
        ethernet.appendBigEndian(UInt16(0x0800))  // IPv4

        return writer.append(packet: ethernet + ip + tcp)
    }
}

/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit big-endian words,
/// an odd last byte padded with zero.
func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
    var sum: UInt32 = 0
    var index = 0
    while index + 1 < bytes.count {
        sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
        index += 2
    }
    if index < bytes.count {
        sum += UInt32(bytes[index]) << 8
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16)
    }
    return ~UInt16(sum)
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { self.append(contentsOf: $0) }
    }
}
