import NIOCore
import NIOTestUtils
import SkinnyWire
import Testing

@Suite struct SkinnyFrameDecoderTests {
    /// KeepAlive as the reference gives it: length 4, header version 0, id 0, no body.
    @Test func decodesKeepAlive() throws {
        var decoder = SkinnyFrameDecoder()
        var buffer = ByteBuffer(bytes: [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let frame = try decoder.decode(buffer: &buffer)
        #expect(frame == SkinnyFrame(headerVersion: 0, id: .keepAlive))
        #expect(buffer.readableBytes == 0)
    }

    @Test func waitsForWholeFrame() throws {
        var decoder = SkinnyFrameDecoder()
        // CallState from CUCM 4.1, cut short by 4 bytes.
        var buffer = ByteBuffer(bytes: hex("1c000000000000001101000001000000010000001a0000010000000004000000"))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 32)
    }

    @Test(arguments: [UInt32(0), 1, 3])
    func rejectsLengthBelowFour(length: UInt32) {
        var decoder = SkinnyFrameDecoder()
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(length, UInt32(0), endianness: .little)
        #expect(throws: SkinnyError.frameTooShort(length: length, header: ByteBuffer())) {
            try decoder.decode(buffer: &buffer)
        }
    }

    /// The cap applies as soon as the 8-byte prefix is readable: no body is awaited for an oversized frame.
    @Test(arguments: [UInt32(8 * 1024 + 1), 1 << 31, UInt32.max])
    func rejectsLengthAboveMaximumBeforeBody(length: UInt32) {
        var decoder = SkinnyFrameDecoder()
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(length, UInt32(0), endianness: .little)
        #expect(throws: SkinnyError.frameTooLong(length: length, maximum: 0, header: ByteBuffer())) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func acceptsLengthAtMaximum() throws {
        var decoder = SkinnyFrameDecoder(maximumLength: 64)
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(UInt32(64), UInt32(0), UInt32(0x99), endianness: .little)
        buffer.writeRepeatingByte(0x41, count: 60)
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(frame.id == .displayText)
        #expect(frame.body.readableBytes == 60)
    }

    @Test func configurableMaximum() {
        var decoder = SkinnyFrameDecoder(maximumLength: 64)
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(UInt32(65), UInt32(0), endianness: .little)
        #expect(throws: SkinnyError.frameTooLong(length: 65, maximum: 64, header: ByteBuffer())) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func truncatedAtEOFIsAnError() throws {
        var decoder = SkinnyFrameDecoder()
        var buffer = ByteBuffer(bytes: [4, 0, 0, 0, 0, 0])
        #expect(throws: SkinnyError.truncatedFrame(remaining: ByteBuffer())) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
    }

    @Test func errorKeepsTheRawHeaderForReplay() {
        var decoder = SkinnyFrameDecoder()
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        do {
            _ = try decoder.decode(buffer: &buffer)
            Issue.record("expected an error")
        } catch let error as SkinnyError {
            #expect(Array(error.bytes.readableBytesView) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
            #expect(error.description.contains("4294967295"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Drip-feeds and batches real CUCM 4.1 frames through the decoder (NIOTestUtils).
    @Test func verifierWithCUCMFrames() throws {
        // pyskinny fixtures cm_cap_new_call frames 80, 82 and 83: SetRinger, SetLamp, CallState; then a KeepAlive.
        let pairs: [(ByteBuffer, [SkinnyFrame])] = [
            (
                ByteBuffer(bytes: hex("14000000000000008500000001000000010000000000000000000000")),
                [SkinnyFrame(id: .setRinger, body: ByteBuffer(bytes: hex("01000000010000000000000000000000")))]
            ),
            (
                ByteBuffer(bytes: hex("100000000000000086000000090000000100000002000000")),
                [SkinnyFrame(id: .setLamp, body: ByteBuffer(bytes: hex("090000000100000002000000")))]
            ),
            (
                ByteBuffer(bytes: hex("1c000000000000001101000001000000010000001a000001000000000400000000000000")),
                [
                    SkinnyFrame(
                        id: .callState,
                        body: ByteBuffer(bytes: hex("01000000010000001a000001000000000400000000000000"))
                    )
                ]
            ),
            (
                ByteBuffer(bytes: hex("040000001600000000000000040000000000000000010000")),
                [
                    SkinnyFrame(headerVersion: 0x16, id: .keepAlive),
                    SkinnyFrame(id: .keepAliveAck),
                ]
            ),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs,
            decoderFactory: { SkinnyFrameDecoder() }
        )
    }
}

/// Bytes from a hex string; spaces are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}
