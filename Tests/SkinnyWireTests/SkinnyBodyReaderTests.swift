import NIOCore
import SkinnyWire
import Testing

@Suite struct SkinnyBodyReaderTests {
    @Test func readsPastTheEndAsZero() {
        let reader = SkinnyBodyReader(ByteBuffer(bytes: [0x01, 0x02, 0x03]))
        #expect(reader.u32(at: 0) == 0)  // only 3 bytes: a u32 does not fit
        #expect(reader.u16(at: 0) == 0x0201)
        #expect(reader.u8(at: 2) == 3)
        #expect(reader.u8(at: 3) == 0)
        #expect(reader.u32(at: -4) == 0)
        #expect(reader.u32(at: Int.max - 2) == 0)
        #expect(reader.bytes(at: 1, size: 4) == [2, 3, 0, 0])
    }

    /// CUCM 3.x leaves garbage after the NUL of fixed strings (reference §1); the string ends at the NUL.
    @Test func fixedStringStopsAtNUL() {
        let reader = SkinnyBodyReader(ByteBuffer(bytes: Array("1003".utf8) + [0, 0x5B, 0xB6, 0x05, 0x68]))
        #expect(reader.string(at: 0, size: 9) == "1003")
    }

    @Test func fixedStringThatFillsItsFieldHasNoNUL() {
        let reader = SkinnyBodyReader(ByteBuffer(bytes: Array("SEP001122334455X".utf8) + [0x41]))
        #expect(reader.string(at: 0, size: 16) == "SEP001122334455X")
        #expect(reader.string(at: 10, size: 100) == "34455XA")
        #expect(reader.string(at: 100, size: 4) == "")
    }

    /// An embedded label (byte 0x80 then an id) is not UTF-8; it survives decode and encode unchanged.
    @Test func embeddedLabelRoundTrips() {
        let wire: [UInt8] = [0x80, 0x17, 0x31, 0x30, 0x30, 0x33]
        let text = SkinnyText.decode(wire)
        #expect(text == SkinnyText.label(0x17) + "1003")
        #expect(SkinnyText.encode(text) == wire)
    }

    @Test func utf8TextDecodesAsUTF8() {
        let text = "Zoë €"
        #expect(SkinnyText.decode(Array(text.utf8)) == text)
    }

    /// Whatever bytes a text field holds, the text they decode to encodes to bytes that decode to it again.
    @Test(
        arguments: [
            ("ASCII", [0x31, 0x30, 0x30, 0x33]),
            ("Latin-1, not UTF-8", [0x5A, 0x6F, 0xEB]),
            ("embedded label", [0x80, 0x17, 0x31]),
            ("UTF-8 of a Latin-1 letter", [0xC3, 0xA9]),
            ("UTF-8 of Latin-1 and of a letter above U+00FF", [0xC3, 0xA9, 0xE2, 0x82, 0xAC]),
            ("UTF-8 whose Latin-1 bytes are UTF-8", [0xC3, 0x83, 0xC2, 0xA9]),
            ("UTF-8 above U+00FF only", [0xE2, 0x82, 0xAC]),
        ] as [(String, [UInt8])]
    )
    func textRoundTrips(name: String, wire: [UInt8]) {
        let text = SkinnyText.decode(wire)
        let again = SkinnyText.encode(text)
        #expect(SkinnyText.decode(again) == text, "\(name): \(wire) → \(text) → \(again)")
        #expect(again.count <= wire.count, "\(name): encoding must fit the field the text came from")
    }

    /// Latin-1 text goes out one byte a scalar, as Latin-1 phones expect; text that needs UTF-8 goes out as UTF-8.
    @Test func encodingChoosesLatin1OrUTF8() {
        #expect(SkinnyText.encode("Zoë") == [0x5A, 0x6F, 0xEB])
        #expect(SkinnyText.encode("é€") == [0xC3, 0xA9, 0xE2, 0x82, 0xAC])
        #expect(SkinnyText.encode("Ã©") == [0xC3, 0x83, 0xC2, 0xA9])
    }

    @Test func cursorReadsDynamicStrings() {
        var reader = SkinnyBodyReader(ByteBuffer(bytes: Array("ab".utf8) + [0] + [0] + Array("xyz".utf8)))
        #expect(reader.readCString(maximumLength: 10) == "ab")
        #expect(reader.readCString(maximumLength: 10) == "")
        #expect(reader.readCString(maximumLength: 2) == "xy")  // no NUL: ends with the body, cut to 2
        #expect(reader.readCString(maximumLength: 10) == "")  // past the end
    }

    @Test func addressBlocks() {
        var buffer = ByteBuffer()
        buffer.writeSkinnyAddress(.ipv4(10, 102, 219, 27), version: .v17)
        #expect(buffer.readableBytes == 20)
        #expect(Array(buffer.readableBytesView.prefix(8)) == [0, 0, 0, 0, 10, 102, 219, 27])
        #expect(SkinnyBodyReader(buffer).address(at: 0, version: .v17) == .ipv4(10, 102, 219, 27))
        var old = ByteBuffer()
        old.writeSkinnyAddress(.ipv4(10, 102, 219, 27), version: .v16)
        #expect(Array(old.readableBytesView) == [10, 102, 219, 27])
    }

    @Test func writeFixedStringCutsAndPads() {
        var buffer = ByteBuffer()
        buffer.writeSkinnyString("123456", size: 4)
        buffer.writeSkinnyString("ab", size: 4)
        #expect(Array(buffer.readableBytesView) == Array("1234ab".utf8) + [0, 0])
    }
}
