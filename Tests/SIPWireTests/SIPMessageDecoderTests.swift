import Foundation
import NIOCore
import NIOTestUtils
import SIPWire
import Testing

@Suite struct SIPMessageDecoderTests {
    static let options = """
        OPTIONS sip:strowger@192.0.2.1 SIP/2.0\r
        Via: SIP/2.0/TCP 192.0.2.2:5060;branch=z9hG4bK776asdhds\r
        Max-Forwards: 70\r
        To: <sip:strowger@192.0.2.1>\r
        From: <sip:carrier@192.0.2.2>;tag=1928301774\r
        Call-ID: a84b4c76e66710@192.0.2.2\r
        CSeq: 63104 OPTIONS\r
        Content-Length: 0\r
        \r

        """

    static let info = """
        INFO sip:strowger@192.0.2.1 SIP/2.0\r
        Via: SIP/2.0/TCP 192.0.2.2:5060;branch=z9hG4bK776asdhdt\r
        Max-Forwards: 70\r
        To: <sip:strowger@192.0.2.1>;tag=a\r
        From: <sip:carrier@192.0.2.2>;tag=1928301774\r
        Call-ID: a84b4c76e66710@192.0.2.2\r
        CSeq: 63105 INFO\r
        Content-Type: text/plain\r
        l: 5\r
        \r
        hello
        """

    static func parsed(_ text: String) throws -> SIPMessage {
        try SIPMessage(parsing: Array(text.utf8))
    }

    /// Drip-fed one byte at a time, whole, and several per buffer: the same messages come out.
    @Test func framesMessagesByContentLength() throws {
        let stream = ByteBuffer(string: Self.options + Self.info)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (stream, [.message(try Self.parsed(Self.options)), .message(try Self.parsed(Self.info))])
            ],
            decoderFactory: { SIPMessageDecoder() }
        )
    }

    @Test func aDoubleCRLFIsAKeepAlivePing() throws {
        var decoder = SIPMessageDecoder()
        var buffer = ByteBuffer(string: "\r\n\r\n" + Self.options)
        #expect(try decoder.decode(buffer: &buffer) == .keepAlivePing)
        #expect(try decoder.decode(buffer: &buffer) == .message(try Self.parsed(Self.options)))
    }

    /// The declared size is checked as soon as the header section is in: the body is never awaited.
    @Test func anOversizedContentLengthFailsBeforeTheBodyArrives() throws {
        var decoder = SIPMessageDecoder(maximumMessageSize: 4096)
        let head = Self.options.replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: 100000")
        var buffer = ByteBuffer(string: head)
        #expect {
            _ = try decoder.decode(buffer: &buffer)
        } throws: { error in
            guard let error = error as? SIPParseError else { return false }
            return error.code == .messageTooLarge && error.reply?.callID == "a84b4c76e66710@192.0.2.2"
                && error.statusCode == 513
        }
    }

    @Test func aHeaderSectionThatNeverEndsFailsAtTheLimit() throws {
        var decoder = SIPMessageDecoder(maximumMessageSize: 1024)
        var buffer = ByteBuffer(string: "OPTIONS sip:a@b SIP/2.0\r\n")
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeString(String(repeating: "X-Filler: \(String(repeating: "y", count: 90))\r\n", count: 12))
        #expect(throws: SIPParseError.self) { try decoder.decode(buffer: &buffer) }
    }

    /// A header section that does not parse but frames still lets the stream go on.
    @Test func aMalformedMessageWithReadableLengthKeepsTheStream() throws {
        var decoder = SIPMessageDecoder()
        let broken = Self.options.replacingOccurrences(of: "OPTIONS sip:", with: "OPTIONS  sip:")
        var buffer = ByteBuffer(string: broken + Self.info)
        guard case .malformed(let error) = try decoder.decode(buffer: &buffer) else {
            Issue.record("not malformed")
            return
        }
        #expect(error.code == .invalidStartLine)
        #expect(error.reply?.method == .options)
        #expect(try decoder.decode(buffer: &buffer) == .message(try Self.parsed(Self.info)))
    }

    @Test func aConnectionClosedInsideAMessageIsAnError() throws {
        var decoder = SIPMessageDecoder()
        var buffer = ByteBuffer(string: String(Self.options.prefix(40)))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(throws: SIPParseError.self) { try decoder.decodeLast(buffer: &buffer, seenEOF: true) }
    }

    @Test func serialisationWritesContentLengthFromTheBody() throws {
        guard case .request(var request) = try Self.parsed(Self.info) else {
            Issue.record("not a request")
            return
        }
        request.body = Array("hello, world".utf8)
        request.headers.append("X-Injected", "a\r\nVia: evil")
        let text = String(decoding: request.serialized(), as: UTF8.self)
        #expect(text.contains("Content-Length: 12\r\n\r\nhello, world"))
        #expect(!text.contains("l: 5"))
        #expect(text.contains("X-Injected: a  Via: evil\r\n"))
        guard case .request(let again) = try SIPMessage(parsing: request.serialized()) else {
            Issue.record("not a request")
            return
        }
        #expect(again.body == request.body)
        #expect(again.headers.lines(.via).count == 1)
    }

    @Test func oversizedDatagramsAreRefusedUnread() {
        let big = Array(repeating: UInt8(ascii: "a"), count: 70_000)
        #expect {
            _ = try SIPMessage(parsing: big)
        } throws: { ($0 as? SIPParseError)?.code == .messageTooLarge }
    }

    @Test func garbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let count = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes = Array(Self.options.utf8.prefix(count)) + bytes }
            _ = try? SIPMessage(parsing: bytes)
            var decoder = SIPMessageDecoder(maximumMessageSize: 512)
            var buffer = ByteBuffer(bytes: bytes)
            while let item = try? decoder.decode(buffer: &buffer), item != .keepAlivePing {}
        }
    }
}

@Suite struct SIPURITests {
    @Test func sipURIsParseAndSerialise() throws {
        let uri = try SIPURI(parsing: "sips:+4930123@[2001:db8::1]:5061;transport=tls;lr?Subject=hi&Priority=urgent")
        #expect(uri.scheme == .sips)
        #expect(uri.user == "+4930123")
        #expect(uri.host == "[2001:db8::1]")
        #expect(uri.port == 5061)
        #expect(uri.transportParameter == "tls")
        #expect(uri.parameters.contains("lr"))
        #expect(uri.headers == [.init(name: "Subject", value: "hi"), .init(name: "Priority", value: "urgent")])
        #expect(uri.description == "sips:+4930123@[2001:db8::1]:5061;transport=tls;lr?Subject=hi&Priority=urgent")
    }

    @Test func telURIs() throws {
        let uri = try SIPURI(parsing: "tel:+49-30-1234567;phone-context=example.com")
        #expect(uri.scheme == .tel)
        #expect(uri.host == "+49-30-1234567")
        #expect(uri.parameters.value("phone-context") == "example.com")
    }

    @Test(arguments: [
        "sip:", "sip:@host", "sip:user@", "sip:user@host:99999", "sip:us er@host", "sip:a@b;=x", "1sip:a",
    ])
    func malformedURIsAreRejected(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPURI(parsing: text) }
    }
}
