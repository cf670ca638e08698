import Foundation
import Provisioning
import Testing

/// The phone services' answers, with a fixed source: which page each path gives, paging, who may see the per-phone
/// pages, and the XML's escaping and character set. (The integration tests fetch them over HTTP and check them
/// with libxml2.)
@Suite struct PhoneServicesTests {
    struct Source: PhoneServicesSource {
        var entries: [CiscoIPPhoneObject.DirectoryEntry]
        var registered: [String: String] = ["SEP001122AABBCC": "192.0.2.7"]
        var voicemail: String? = "8000"

        func directory(
            firstName: String,
            lastName: String,
            number: String,
            offset: Int,
            limit: Int
        ) -> PhoneServices.DirectoryPage {
            let matching = self.entries.filter { number.isEmpty || $0.telephone.hasPrefix(number) }
            return .init(entries: Array(matching.dropFirst(offset).prefix(limit)), total: matching.count)
        }

        func presence(seenFromDevice device: String) -> [PhoneServices.PresenceEntry]? {
            [
                .init(name: "Zoe", number: "1003", state: .available),
                .init(name: "Bob", number: "1002", state: .onCall),
                .init(name: "Alice", number: "1001", state: .available),
                .init(name: "No Number", number: nil, state: .available),
            ]
        }

        func messages(ofDevice device: String) -> PhoneServices.Messages? {
            .init(voicemailNumber: self.voicemail, messageWaiting: nil)
        }

        func isRegistered(_ device: String, from address: String) -> Bool {
            self.registered[device] == address
        }

        func authorizesPush(userID: String, password: String, device: String) -> Bool {
            userID == "app" && password == "secret"
        }
    }

    static func services(_ source: Source) -> PhoneServices {
        PhoneServices(source: source, fallbackBaseURL: { "http://fallback:6970" })
    }

    static func entries(_ count: Int) -> [CiscoIPPhoneObject.DirectoryEntry] {
        (0..<count).map { .init(name: "Person \($0)", telephone: String(2000 + $0)) }
    }

    func respond(
        _ target: String,
        source: Source = Source(entries: entries(40)),
        from address: String = "192.0.2.7"
    ) async throws -> (PhoneServices.Response, String) {
        let request = try #require(PhoneServices.Request(target: target, host: "pbx:6970", remoteAddress: address))
        let response = try await Self.services(source).respond(to: request)
        return (response, String(decoding: response.body, as: UTF8.self))
    }

    @Test func resultsComeInPagesOf32WithNextAndPrevious() async throws {
        let (first, firstText) = try await self.respond("/services/directory/results?f=&l=&n=")
        #expect(first.status == 200)
        #expect(first.contentType == "text/xml; charset=ISO-8859-1")
        #expect(firstText.hasPrefix("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<CiscoIPPhoneDirectory>"))
        #expect(firstText.components(separatedBy: "<DirectoryEntry>").count - 1 == 32)
        #expect(firstText.contains("<Prompt>Records 1 to 32 of 40</Prompt>"))
        #expect(
            firstText.contains("<URL>http://pbx:6970/services/directory/results?f=&amp;l=&amp;n=&amp;start=32</URL>")
        )
        #expect(!firstText.contains("Previous"))
        let (_, secondText) = try await self.respond("/services/directory/results?f=&l=&n=&start=32")
        #expect(secondText.components(separatedBy: "<DirectoryEntry>").count - 1 == 8)
        #expect(secondText.contains("<Prompt>Records 33 to 40 of 40</Prompt>"))
        #expect(!secondText.contains("<Name>Next</Name>"))
        #expect(secondText.contains("start=0</URL>"))
    }

    @Test func theSearchFormAsksForFirstNameLastNameAndNumber() async throws {
        let (response, text) = try await self.respond("/services/directory/search")
        #expect(response.status == 200)
        #expect(text.contains("<CiscoIPPhoneInput>"))
        #expect(text.contains("<URL>http://pbx:6970/services/directory/results</URL>"))
        for parameter in ["f", "l", "n"] {
            #expect(text.contains("<QueryStringParam>\(parameter)</QueryStringParam>"))
        }
        #expect(text.contains("<InputFlags>T</InputFlags>"))
    }

    @Test func whoIsAvailableListsTheAvailableFirstAndOnlyThoseWithANumber() async throws {
        let (response, text) = try await self.respond("/services/presence?name=SEP001122aabbcc")
        #expect(response.status == 200)
        let alice = try #require(text.range(of: "Alice - available"))
        let zoe = try #require(text.range(of: "Zoe - available"))
        let bob = try #require(text.range(of: "Bob - on a call"))
        #expect(alice.lowerBound < zoe.lowerBound && zoe.lowerBound < bob.lowerBound)
        #expect(!text.contains("No Number"))
        #expect(text.contains("<Prompt>2 of 3 available</Prompt>"))
    }

    @Test func thePhonesOwnPagesAnswerOnlyThePhone() async throws {
        for target in ["/services/presence?name=SEP001122AABBCC", "/services/messages?name=SEP001122AABBCC"] {
            let (other, text) = try await self.respond(target, from: "192.0.2.8")
            #expect(other.status == 403, "\(target)")
            #expect(text.contains("<CiscoIPPhoneText>"))
            let (own, _) = try await self.respond(target, from: "192.0.2.7")
            #expect(own.status == 200, "\(target)")
        }
        let (noName, _) = try await self.respond("/services/presence")
        #expect(noName.status == 403)
    }

    @Test func messagesOfferTheVoicemailNumber() async throws {
        let (_, text) = try await self.respond("/services/messages?name=SEP001122AABBCC")
        #expect(text.contains("<Text>Voicemail: 8000</Text>"))
        #expect(text.contains("<URL>Dial:8000</URL>"))
        var source = Source(entries: [])
        source.voicemail = nil
        let (_, none) = try await self.respond("/services/messages?name=SEP001122AABBCC", source: source)
        #expect(none.contains("No voicemail number"))
    }

    @Test func authenticationAnswersInCiscosWords() async throws {
        #expect(
            try await self.respond("/services/authenticate?UserID=app&Password=secret&devicename=SEP1").1
                == "AUTHORIZED"
        )
        #expect(
            try await self.respond("/services/authenticate?UserID=app&Password=no&devicename=SEP1").1 == "UN-AUTHORIZED"
        )
        #expect(try await self.respond("/services/authenticate?UserID=app").1 == "ERROR")
    }

    @Test func textIsEscapedCutAndWrittenInISO88591() async throws {
        let source = Source(entries: [
            .init(name: "Ökonomie & <Co> \"x\" 'y' 😀", telephone: "2000"),
            .init(name: String(repeating: "n", count: 50), telephone: "2001"),
        ])
        let (response, _) = try await self.respond("/services/directory/results", source: source)
        let bytes = response.body
        let text = String(decoding: bytes.map { $0 == 0xD6 ? UInt8(ascii: "O") : $0 }, as: UTF8.self)
        #expect(bytes.contains(0xD6), "Ö is one ISO-8859-1 byte")
        #expect(text.contains("<Name>Okonomie &amp; &lt;Co&gt; &quot;x&quot; &apos;y&apos; ?</Name>"))
        #expect(text.contains("<Name>\(String(repeating: "n", count: 32))</Name>"))
    }

    @Test func unknownPathsAndOddTargetsAreRefused() async throws {
        let (response, _) = try await self.respond("/services/nothing")
        #expect(response.status == 404)
        #expect(PhoneServices.Request(target: "/services/../x", host: nil, remoteAddress: nil) == nil)
        #expect(PhoneServices.Request(target: "/services/Directory", host: nil, remoteAddress: nil) == nil)
        #expect(PhoneServices.Request(target: "/other", host: nil, remoteAddress: nil) == nil)
    }

    @Test func queriesAreDecodedAndBounded() throws {
        let request = try #require(
            PhoneServices.Request(
                target: "/services/directory/results?f=J%FCrgen&l=van+der&n=%31%32&f=second&x="
                    + String(repeating: "a", count: 100),
                host: "evil/host",
                remoteAddress: nil
            )
        )
        #expect(request.query["f"] == "Jürgen")
        #expect(request.query["l"] == "van der")
        #expect(request.query["n"] == "12")
        #expect(request.query["x"]?.count == PhoneServices.maximumValueLength)
        // A Host header that cannot go into a URL is not used: the configured base is.
        #expect(request.host == nil)
    }

    @Test func theFallbackBaseIsUsedWithoutAHost() async throws {
        let request = try #require(PhoneServices.Request(target: "/services/directory", host: nil, remoteAddress: nil))
        let response = try await Self.services(Source(entries: [])).respond(to: request)
        #expect(
            String(decoding: response.body, as: UTF8.self).contains("http://fallback:6970/services/directory/search")
        )
    }
}
