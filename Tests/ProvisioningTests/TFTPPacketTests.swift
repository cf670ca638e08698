import NIOCore
import Provisioning
import Testing

@Suite struct TFTPPacketTests {
    private func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func encoded(_ packet: TFTPPacket) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeTFTPPacket(packet)
        return Array(buffer.readableBytesView)
    }

    @Test func readRequestFixtureDecodesWithOptions() throws {
        // What curl 7.88 sends for `curl tftp://host/SEP001122334455.cnf.xml`.
        let wire: [UInt8] =
            [0, 1] + ascii("SEP001122334455.cnf.xml") + [0] + ascii("octet") + [0] + ascii("tsize") + [0] + ascii("0")
            + [0] + ascii("blksize") + [0] + ascii("512") + [0] + ascii("timeout") + [0] + ascii("6") + [0]
        let packet = try TFTPPacket(decoding: bytes(wire))
        let expected = TFTPRequest(
            filename: "SEP001122334455.cnf.xml",
            mode: .octet,
            options: [
                TFTPOption(name: "tsize", value: "0"), TFTPOption(name: "blksize", value: "512"),
                TFTPOption(name: "timeout", value: "6"),
            ]
        )
        #expect(packet == .readRequest(expected))
        #expect(encoded(packet) == wire)
    }

    @Test func modeAndOptionNamesAreCaseInsensitive() throws {
        let wire: [UInt8] =
            [0, 1] + ascii("a") + [0] + ascii("OcTeT") + [0] + ascii("BLKSIZE") + [0] + ascii("1024") + [0]
            + ascii("BlkSize") + [0] + ascii("8") + [0] + ascii("windowsize") + [0] + ascii("4") + [0]
        guard case .readRequest(let request) = try TFTPPacket(decoding: bytes(wire)) else {
            Issue.record("not an RRQ")
            return
        }
        #expect(request.mode == .octet)
        // The first of two same-named options counts; unknown ones are kept for the negotiator to ignore.
        #expect(
            request.options == [TFTPOption(name: "blksize", value: "1024"), TFTPOption(name: "windowsize", value: "4")]
        )
        #expect(request.option("BLKSIZE") == "1024")
    }

    @Test func writeRequestDecodes() throws {
        let wire: [UInt8] = [0, 2] + ascii("upload.txt") + [0] + ascii("netascii") + [0]
        #expect(
            try TFTPPacket(decoding: bytes(wire)) == .writeRequest(TFTPRequest(filename: "upload.txt", mode: .netascii))
        )
    }

    @Test(arguments: [
        TFTPPacket.data(block: 1, payload: ByteBuffer(string: "hello")),
        .data(block: 65535, payload: ByteBuffer()),
        .acknowledgement(block: 0),
        .acknowledgement(block: 65535),
        .error(.fileNotFound, message: "file not found"),
        .error(.optionsRefused, message: ""),
        .optionAcknowledgement([TFTPOption(name: "blksize", value: "1024"), TFTPOption(name: "tsize", value: "42")]),
        .readRequest(TFTPRequest(filename: "XMLDefault.cnf.xml", mode: .octet)),
    ])
    func roundTrips(_ packet: TFTPPacket) throws {
        var buffer = ByteBuffer()
        buffer.writeTFTPPacket(packet)
        #expect(try TFTPPacket(decoding: buffer) == packet)
    }

    @Test func fixedPacketsHaveTheRFCLayout() {
        #expect(encoded(.acknowledgement(block: 0x0102)) == [0, 4, 1, 2])
        #expect(encoded(.data(block: 7, payload: ByteBuffer(string: "ab"))) == [0, 3, 0, 7, 0x61, 0x62])
        #expect(encoded(.error(.accessViolation, message: "no")) == [0, 5, 0, 2, 0x6E, 0x6F, 0])
        #expect(
            encoded(.optionAcknowledgement([TFTPOption(name: "tsize", value: "9")])) == [0, 6] + ascii("tsize") + [
                0, 0x39, 0,
            ]
        )
    }

    @Test func encodingDropsNULsAndCutsLongErrorMessages() throws {
        let packet = TFTPPacket.error(.notDefined, message: "a\u{0}b" + String(repeating: "x", count: 1000))
        var buffer = ByteBuffer()
        buffer.writeTFTPPacket(packet)
        #expect(buffer.readableBytes == 4 + TFTPLimits.maximumErrorMessageLength + 1)
        guard case .error(_, let message) = try TFTPPacket(decoding: buffer) else {
            Issue.record("not an ERROR")
            return
        }
        #expect(message.hasPrefix("abxx"))
    }

    @Test func errorWithoutFinalNULIsAccepted() throws {
        #expect(
            try TFTPPacket(decoding: bytes([0, 5, 0, 8] + ascii("nope"))) == .error(.optionsRefused, message: "nope")
        )
    }

    static let malformed: [(String, [UInt8], TFTPDecodingError.Code)] = [
        ("empty", [], .truncated),
        ("one byte", [0], .truncated),
        ("opcode 0", [0, 0, 1, 2], .unknownOpcode),
        ("opcode 7", [0, 7], .unknownOpcode),
        ("opcode 0xFFFF", [0xFF, 0xFF, 0, 0], .unknownOpcode),
        ("RRQ without NUL", [0, 1] + Array("file".utf8), .unterminatedString),
        ("RRQ without mode", [0, 1] + Array("file".utf8) + [0], .unterminatedString),
        ("RRQ empty name", [0, 1, 0] + Array("octet".utf8) + [0], .emptyFilename),
        ("RRQ bad mode", [0, 1] + Array("f".utf8) + [0] + Array("binary".utf8) + [0], .unknownMode),
        ("RRQ not UTF-8", [0, 1, 0xFF, 0xFE, 0] + Array("octet".utf8) + [0], .invalidString),
        (
            "option without value", [0, 1, 0x66, 0] + Array("octet".utf8) + [0] + Array("blksize".utf8) + [0],
            .malformedOption
        ),
        (
            "option value unterminated",
            [0, 1, 0x66, 0] + Array("octet".utf8) + [0] + Array("blksize".utf8) + [0, 0x35], .unterminatedString
        ),
        ("empty option name", [0, 1, 0x66, 0] + Array("octet".utf8) + [0, 0, 0x31, 0], .malformedOption),
        ("ACK short", [0, 4, 0], .truncated),
        ("ACK long", [0, 4, 0, 1, 0], .trailingBytes),
        ("DATA short", [0, 3, 1], .truncated),
        ("ERROR short", [0, 5, 0], .truncated),
    ]

    @Test(arguments: Self.malformed)
    func malformedDatagramsThrowTypedErrors(_ name: String, _ wire: [UInt8], _ code: TFTPDecodingError.Code) {
        do {
            let packet = try TFTPPacket(decoding: ByteBuffer(bytes: wire))
            Issue.record("\(name) decoded as \(packet)")
        } catch {
            #expect(error.code == code, "\(name): \(error)")
        }
    }

    @Test func requestsOver512BytesAreRefusedBeforeParsing() {
        let name = String(repeating: "a", count: 512 - 2 - 1 - 6 + 1)
        var wire: [UInt8] = [0, 1] + ascii(name) + [0] + ascii("octet") + [0]
        #expect(wire.count == 513)
        #expect(throws: TFTPDecodingError.self) { try TFTPPacket(decoding: ByteBuffer(bytes: wire)) }
        wire.removeFirst(3)
        wire.insert(contentsOf: [0, 1], at: 0)
        #expect(wire.count == 512)
        #expect((try? TFTPPacket(decoding: ByteBuffer(bytes: wire))) != nil)
    }

    @Test func tooManyOptionsAreRefused() {
        var wire: [UInt8] = [0, 1, 0x66, 0] + ascii("octet") + [0]
        for index in 0...TFTPLimits.maximumOptionCount {
            wire += ascii("o\(index)") + [0, 0x31, 0]
        }
        #expect(throws: TFTPDecodingError.self) { try TFTPPacket(decoding: ByteBuffer(bytes: wire)) }
    }

    @Test func dataLargerThanTheLargestBlockIsRefused() {
        var wire = ByteBuffer(bytes: [0, 3, 0, 1])
        wire.writeRepeatingByte(0x41, count: TFTPLimits.maximumBlockSize + 1)
        #expect(throws: TFTPDecodingError.self) { try TFTPPacket(decoding: wire) }
    }

    @Test func anyByteSequenceDecodesOrThrowsWithoutTrapping() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<600 {
            let wire = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let withOpcode = [0, UInt8(length % 7)] + wire
            _ = try? TFTPPacket(decoding: ByteBuffer(bytes: wire))
            _ = try? TFTPPacket(decoding: ByteBuffer(bytes: withOpcode))
        }
    }
}
