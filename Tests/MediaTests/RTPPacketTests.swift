import Media
import NIOCore
import Testing

@Suite struct RTPPacketTests {
    static func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    /// A G.711 packet as a phone sends it: V=2, no P/X/CC, M set, PT 0, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304.
    static let minimal: [UInt8] = [0x80, 0x80, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04]

    @Test func parsesTheFixedHeader() throws {
        let packet = try RTPPacket(parsing: Self.bytes(Self.minimal + [UInt8](repeating: 0xFF, count: 160)))
        #expect(packet.marker)
        #expect(packet.payloadType == 0)
        #expect(packet.sequenceNumber == 0x1234)
        #expect(packet.timestamp == 0xDEAD_BEEF)
        #expect(packet.ssrc == 0x0102_0304)
        #expect(packet.csrcs.isEmpty)
        #expect(packet.headerExtension == nil)
        #expect(!packet.hasPadding)
        #expect(packet.payload.readableBytes == 160)
    }

    @Test func parsesCSRCsExtensionAndPadding() throws {
        var bytes: [UInt8] = [0xB2, 0x08, 0, 1, 0, 0, 0, 160, 0, 0, 0, 9]  // V=2 P=1 X=1 CC=2, PT 8
        bytes += [0, 0, 0, 7, 0, 0, 0, 8]  // two CSRCs
        bytes += [0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0]  // extension profile 0xBEDE, one word
        bytes += [1, 2, 3]  // payload
        bytes += [0, 0, 3]  // three bytes of padding, the last one its count
        let packet = try RTPPacket(parsing: Self.bytes(bytes))
        #expect(packet.payloadType == 8)
        #expect(!packet.marker)
        #expect(packet.csrcs == [7, 8])
        #expect(packet.headerExtension?.profile == 0xBEDE)
        #expect(packet.headerExtension?.data == Self.bytes([0x10, 0xAA, 0, 0]))
        #expect(packet.hasPadding)
        #expect(packet.payload == Self.bytes([1, 2, 3]))
    }

    @Test func roundTrips() throws {
        let original = RTPPacket(
            marker: true,
            payloadType: 8,
            sequenceNumber: 65_535,
            timestamp: 4_294_967_200,
            ssrc: 42,
            csrcs: [1, 2, 3],
            headerExtension: .init(profile: 1, data: Self.bytes([9, 9, 9, 9, 8, 8, 8, 8])),
            payload: Self.bytes([UInt8](repeating: 0xD5, count: 160))
        )
        var buffer = ByteBuffer()
        original.write(into: &buffer)
        #expect(buffer.readableBytes == original.encodedSize)
        let parsed = try RTPPacket(parsing: buffer)
        #expect(parsed == original)
    }

    @Test func writesTheFastPathHeaderLikeTheFullWriter() {
        var fast = ByteBuffer()
        fast.writeRTPHeader(
            marker: true,
            payloadType: 0,
            sequenceNumber: 0x1234,
            timestamp: 0xDEAD_BEEF,
            ssrc: 0x0102_0304
        )
        #expect(Array(fast.readableBytesView) == Self.minimal)
    }

    static let invalid: [(name: String, bytes: [UInt8], code: RTPPacketError.Code)] = [
        ("empty", [], .tooShort),
        ("11 bytes", Array(minimal.prefix(11)), .tooShort),
        ("version 0", [0x00] + minimal.dropFirst(), .unsupportedVersion),
        ("version 1", [0x40] + minimal.dropFirst(), .unsupportedVersion),
        ("version 3", [0xC0] + minimal.dropFirst(), .unsupportedVersion),
        ("CC=1 without CSRC", [0x81] + minimal.dropFirst(), .truncatedCSRCList),
        ("CC=15, 3 CSRCs", [0x8F] + minimal.dropFirst() + [UInt8](repeating: 0, count: 12), .truncatedCSRCList),
        ("X without extension header", [0x90] + minimal.dropFirst() + [0xBE, 0xDE], .truncatedExtension),
        (
            "X with a short extension", [0x90] + minimal.dropFirst() + [0xBE, 0xDE, 0, 2, 0, 0, 0, 0],
            .truncatedExtension
        ),
        ("P with count 0", [0xA0] + minimal.dropFirst() + [1, 2, 0], .invalidPadding),
        ("P reaching into the header", [0xA0] + minimal.dropFirst() + [1, 2, 4], .invalidPadding),
        ("P with no payload byte", [0xA0] + minimal.dropFirst(), .invalidPadding),
        ("1,501 bytes", minimal + [UInt8](repeating: 0, count: 1_489), .tooLong),
    ]

    @Test(arguments: 0..<invalid.count)
    func rejectsMalformedPackets(_ index: Int) {
        let (name, bytes, code) = Self.invalid[index]
        #expect(throws: RTPPacketError.self, "\(name)") { try RTPPacket(parsing: Self.bytes(bytes)) }
        do {
            _ = try RTPPacket(parsing: Self.bytes(bytes))
        } catch {
            #expect(error.code == code, "\(name): \(error)")
            #expect(error.bytes == Self.bytes(bytes))
        }
    }

    @Test func acceptsAPacketWithAnEmptyPayloadAndExactPadding() throws {
        // P set, the whole remainder padding: legal (RFC 3550 §5.1), the payload is empty.
        let packet = try RTPPacket(parsing: Self.bytes([0xA0] + Self.minimal.dropFirst() + [0, 0, 3]))
        #expect(packet.payload.readableBytes == 0)
    }

    @Test func parsesAtTheReaderIndex() throws {
        var buffer = ByteBuffer(bytes: [0xEE, 0xEE] + Self.minimal + [1, 2])
        buffer.moveReaderIndex(forwardBy: 2)
        let packet = try RTPPacket(parsing: buffer)
        #expect(packet.sequenceNumber == 0x1234)
        #expect(packet.payload == Self.bytes([1, 2]))
    }
}
