import Foundation
import SIPWire
import Testing

/// RFC 4475's torture messages: the valid ones parse and validate, the invalid ones are rejected with the error a
/// server answers them with. The files are the RFC's bit-exact archive (RFC4475/README.md).
@Suite struct RFC4475Tests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("RFC4475")

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("\(name).dat")))
    }

    /// Parses a datagram and validates it as the stack does; throws what either step throws.
    static func parseAndValidate(_ name: String) throws -> SIPMessage {
        let message = try SIPMessage(parsing: try load(name))
        switch message {
        case .request(let request): _ = try request.essentials()
        case .response(let response): _ = try response.essentials()
        }
        return message
    }

    /// §3.1.1 (valid messages), §3.2.1, §3.3 (semantics a parser must accept: the application answers them), §3.4.1.
    @Test(arguments: [
        "wsinv",  // 3.1.1.1 A Short Tortuous INVITE
        "intmeth",  // 3.1.1.2 Wide Range of Valid Characters
        "esc01",  // 3.1.1.3 Valid Use of the % Escaping Mechanism
        "escnull",  // 3.1.1.4 Escaped Nulls in URIs
        "esc02",  // 3.1.1.5 Use of % When It Is Not an Escape
        "lwsdisp",  // 3.1.1.6 Message with No LWS between Display Name and <
        "longreq",  // 3.1.1.7 Long Values in Header Fields
        "dblreq",  // 3.1.1.8 Extra Trailing Octets in a UDP Datagram
        "semiuri",  // 3.1.1.9 Semicolon-Separated Parameters in URI User Part
        "transports",  // 3.1.1.10 Varied and Unknown Transport Types
        "mpart01",  // 3.1.1.11 Multipart MIME Message
        "unreason",  // 3.1.1.12 Unusual Reason Phrase
        "noreason",  // 3.1.1.13 Empty Reason Phrase
        "badbranch",  // 3.2.1 Missing Transaction Identifier
        "unkscm",  // 3.3.2 Request-URI with Unknown Scheme
        "novelsc",  // 3.3.3 Request-URI with Known but Atypical Scheme
        "unksm2",  // 3.3.4 Unknown URI Schemes in Header Fields
        "bext01",  // 3.3.5 Proxy-Require and Require
        "invut",  // 3.3.6 Unknown Content-Type
        "regaut01",  // 3.3.7 Unknown Authorization Scheme
        "bcast",  // 3.3.10 200 OK Response with Broadcast Via Header Field Value
        "zeromf",  // 3.3.11 Max-Forwards of Zero
        "cparam01",  // 3.3.12 REGISTER with a Contact Header Parameter
        "cparam02",  // 3.3.13 REGISTER with a url-parameter
        "regescrt",  // 3.3.14 REGISTER with a URL Escaped Header
        "sdp01",  // 3.3.15 Unacceptable Accept Offering
        "inv2543",  // 3.4.1 INVITE with RFC 2543 Syntax
    ])
    func validMessagesParse(_ name: String) throws {
        _ = try Self.parseAndValidate(name)
    }

    /// §3.1.2 (invalid messages) and §3.3.1, §3.3.8, §3.3.9, with the error each is rejected with.
    @Test(arguments: [
        ("badinv01", SIPParseError.Code.invalidHeaderValue),  // 3.1.2.1 Extraneous Header Field Separators
        ("clerr", .truncatedBody),  // 3.1.2.2 Content Length Larger Than Message
        ("ncl", .invalidContentLength),  // 3.1.2.3 Negative Content-Length
        ("scalar02", .invalidHeaderValue),  // 3.1.2.4 Request Scalar Fields with Overlarge Values
        ("scalarlg", .invalidHeaderValue),  // 3.1.2.5 Response Scalar Fields with Overlarge Values
        ("quotbal", .invalidHeaderValue),  // 3.1.2.6 Unterminated Quoted String in Display Name
        ("ltgtruri", .invalidStartLine),  // 3.1.2.7 <> Enclosing Request-URI
        ("lwsruri", .invalidStartLine),  // 3.1.2.8 Malformed SIP Request-URI (embedded LWS)
        ("lwsstart", .invalidStartLine),  // 3.1.2.9 Multiple SP Separating Request-Line Elements
        ("trws", .invalidStartLine),  // 3.1.2.10 SP Characters at End of Request-Line
        ("escruri", .invalidStartLine),  // 3.1.2.11 Escaped Headers in SIP Request-URI
        ("baddate", .invalidHeaderValue),  // 3.1.2.12 Invalid Time Zone in Date Header Field
        ("regbadct", .invalidHeaderValue),  // 3.1.2.13 Failure to Enclose name-addr URI in <>
        ("badaspec", .invalidHeaderValue),  // 3.1.2.14 Spaces within addr-spec
        ("baddn", .invalidHeaderValue),  // 3.1.2.15 Non-token Characters in Display Name
        ("badvers", .unsupportedVersion),  // 3.1.2.16 Unknown Protocol Version
        ("mismatch01", .methodMismatch),  // 3.1.2.17 Start Line and CSeq Method Mismatch
        ("mismatch02", .methodMismatch),  // 3.1.2.18 Unknown Method with CSeq Method Mismatch
        ("bigcode", .invalidStartLine),  // 3.1.2.19 Overlarge Response Code
        ("insuf", .missingHeader),  // 3.3.1 Missing Required Header Fields
        ("multi01", .duplicateHeader),  // 3.3.8 Multiple Values in Single Value Required Fields
        ("mcl01", .duplicateHeader),  // 3.3.9 Multiple Content-Length Values
    ])
    func invalidMessagesAreRejected(_ name: String, _ code: SIPParseError.Code) throws {
        do {
            _ = try Self.parseAndValidate(name)
            Issue.record("\(name) was accepted")
        } catch let error as SIPParseError {
            #expect(error.code == code, "\(name): \(error)")
        }
    }

    /// Every invalid request that carried Via, From, To, Call-ID and CSeq can be answered: 400 (505 for the version),
    /// with those headers echoed and the reason in the phrase.
    @Test(arguments: [
        "badinv01", "clerr", "ncl", "scalar02", "quotbal", "ltgtruri", "lwsruri", "lwsstart", "trws", "escruri",
        "baddate", "regbadct", "badaspec", "baddn", "badvers", "mismatch01", "mismatch02", "multi01", "mcl01",
    ])
    func invalidRequestsCanBeAnswered(_ name: String) throws {
        do {
            _ = try Self.parseAndValidate(name)
            Issue.record("\(name) was accepted")
        } catch let error as SIPParseError {
            let context = try #require(error.reply, "\(name): \(error) has no reply context")
            let response = SIPResponse(
                replyingTo: context,
                statusCode: error.statusCode,
                reasonPhrase: error.reasonPhrase
            )
            let reparsed = try SIPMessage(parsing: response.serialized())
            guard case .response(let parsed) = reparsed else {
                Issue.record("not a response")
                return
            }
            #expect(parsed.statusCode == (name == "badvers" ? 505 : 400))
            #expect(parsed.headers[.callID] == context.callID)
            #expect(!parsed.headers.lines(.via).isEmpty)
            #expect(!parsed.reasonPhrase.isEmpty)
        }
    }

    @Test func shortTortuousInvite() throws {
        guard case .request(let request) = try Self.parseAndValidate("wsinv") else {
            Issue.record("not a request")
            return
        }
        let essentials = try request.essentials()
        #expect(request.method == .invite)
        #expect(request.uri.user == "vivekg")
        #expect(request.uri.parameters.contains("unknownparam"))
        #expect(essentials.maxForwards == 68)
        #expect(essentials.cseq == SIPCSeq(9, .invite))
        #expect(essentials.to.tag == "1918181833n")
        #expect(essentials.from.tag == "98asjd8")
        #expect(essentials.from.displayName == "J Rosenberg \\\"")
        #expect(essentials.vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(essentials.vias.map(\.branch) == ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"])
        #expect(essentials.vias.map(\.host) == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(request.headers["Subject"] == "")
        #expect(request.headers["NewFangledHeader"] == "newfangled value continued newfangled value")
        #expect(request.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        let contact = try #require(try request.headers.contacts().addresses.first)
        #expect(contact.displayName == "Quoted string \"\"")
        #expect(contact.parameters.value("newparam") == "newvalue")
        #expect(contact.parameters.contains("secondparam"))
        #expect(contact.parameters.value("q") == "0.33")
        let route = try #require(try request.headers.routes(.route).first)
        #expect(route.uri.parameters.contains("lr"))
        #expect(request.body.count == 150)
        let sdp = try SessionDescription(parsing: request.body)
        #expect(sdp.media.map(\.type) == ["audio", "video"])
    }

    @Test func unusualCharactersSurvive() throws {
        guard case .request(let request) = try Self.parseAndValidate("intmeth") else {
            Issue.record("not a request")
            return
        }
        #expect(request.method.rawValue == "!interesting-Method0123456789_*+`.%indeed'~")
        #expect(request.uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(request.uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(try request.headers.callID() == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
    }

    @Test func escapesAreKeptAndDecodable() throws {
        guard case .request(let request) = try Self.parseAndValidate("esc01") else {
            Issue.record("not a request")
            return
        }
        #expect(request.uri.user == "sips%3Auser%40example.com")
        #expect(request.uri.decodedUser == "sips:user@example.com")
        #expect(try request.headers.to().uri.decodedUser == "user")
    }

    @Test func trailingOctetsOfADatagramAreIgnored() throws {
        guard case .request(let request) = try Self.parseAndValidate("dblreq") else {
            Issue.record("not a request")
            return
        }
        #expect(request.method == .register)
        #expect(request.body.isEmpty)
    }

    @Test func semicolonsInTheUserPart() throws {
        guard case .request(let request) = try Self.parseAndValidate("semiuri") else {
            Issue.record("not a request")
            return
        }
        #expect(request.uri.user == "user;par=u%40example.net")
        #expect(request.uri.host == "example.com")
        #expect(request.headers.values(.accept).count == 6)
    }

    @Test func emptyAndUnusualReasonPhrases() throws {
        guard case .response(let empty) = try Self.parseAndValidate("noreason") else {
            Issue.record("not a response")
            return
        }
        #expect(empty.statusCode == 100)
        #expect(empty.reasonPhrase == "")
        guard case .response(let unusual) = try Self.parseAndValidate("unreason") else {
            Issue.record("not a response")
            return
        }
        #expect(unusual.statusCode == 200)
        #expect(unusual.reasonPhrase.hasPrefix("= 2**3 * 5**2 "))
    }

    @Test func unknownSchemesParseOpaque() throws {
        guard case .request(let request) = try Self.parseAndValidate("unkscm") else {
            Issue.record("not a request")
            return
        }
        #expect(request.uri.scheme == .other("nobodyknowsthisscheme"))
        #expect(request.uri.host == "totallyopaquecontent")
    }

    @Test func everyValidMessageSurvivesARoundTrip() throws {
        for name in ["wsinv", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "semiuri", "transports", "mpart01"] {
            let bytes = try Self.parseAndValidate(name).serialized()
            let again = try SIPMessage(parsing: bytes)
            #expect(again.serialized() == bytes, "\(name)")
            #expect(try Self.parseAndValidate(name).body == again.body)
        }
    }
}
