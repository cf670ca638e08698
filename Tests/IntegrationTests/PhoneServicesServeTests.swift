import AdminHTTP
import Foundation
import SkinnyPhone
import Store
import StrowgerApp
import Testing

/// The phone's own buttons (Directories, Services, Messages) as a phone uses them: curl with a 79xx phone's
/// User-Agent follows the URLs of the cnf.xml, and libxml2's `xmllint` (not Strowger's code) checks that every
/// answer is well-formed Cisco IP Phone XML in ISO-8859-1.
@Suite struct PhoneServicesServeTests {
    /// What 79xx firmware sends as its User-Agent.
    static let userAgent = "Allegro-Software-WebClient/4.34"
    static let device = "SEP00000000FA01"

    /// A page fetched as a phone does: its HTTP status, Content-Type and raw bytes.
    static func get(_ url: String) async throws -> (status: Int, contentType: String, bytes: [UInt8]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("svc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ExternalTool.run([
            "curl", "--silent", "--max-time", "30", "--globoff", "--user-agent", Self.userAgent, "--output", file.path,
            "--write-out", "%{http_code} %{content_type}", url,
        ])
        let parts = result.output.split(separator: " ", maxSplits: 1)
        return (
            Int(parts.first ?? "") ?? 0, parts.count > 1 ? String(parts[1]) : "",
            Array((try? Data(contentsOf: file)) ?? Data())
        )
    }

    /// `xmllint --xpath expression` on `bytes`, after `xmllint --noout` found them well-formed; the result in UTF-8.
    static func xpath(
        _ bytes: [UInt8],
        _ expression: String,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws -> String
    {
        try #require(
            ExternalTool.succeeds(["xmllint", "--version"]),
            "these tests need xmllint (Debian: apt-get install libxml2-utils)",
            sourceLocation: sourceLocation
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xml-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bytes).write(to: file)
        let wellFormed = try await ExternalTool.run(["xmllint", "--noout", file.path])
        #expect(wellFormed.status == 0, "not well-formed: \(wellFormed.output)", sourceLocation: sourceLocation)
        let result = try await ExternalTool.run(["xmllint", "--xpath", expression, file.path])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// 40 lines `2000`–`2039` named "Person NN Smith" (NN = 00…39), one "Jürgen Müller" at 3000, and the device
    /// with line 2000 and a voicemail number.
    static func configure(_ server: TestServer) async throws -> AdminClient {
        let client = try await server.adminClient()
        for index in 0..<40 {
            let number = String(2000 + index)
            let name = "Person " + (index < 10 ? "0" : "") + "\(index) Smith"
            var line = AdminAPI.Line(number: number, displayName: name)
            if index == 0 { line.voicemailNumber = "8000" }
            _ = try await client.send(.post, "/api/lines", json: line, as: AdminAPI.Line.self)
        }
        _ = try await client.send(
            .post,
            "/api/lines",
            json: AdminAPI.Line(number: "3000", displayName: "Jürgen Müller"),
            as: AdminAPI.Line.self
        )
        _ = try await client.send(
            .post,
            "/api/devices",
            json: AdminAPI.Device(name: Self.device, model: "7962", lines: ["2000"]),
            as: AdminAPI.Device.self
        )
        return client
    }

    @Test func thePhoneSearchesAndPagesTheCorporateDirectory() async throws {
        try await TestServer.with { server in
            _ = try await Self.configure(server)
            // The cnf.xml names the directory; the phone follows it, then the menu's first item, then the form.
            let cnf = try await Curl.fetch("http://127.0.0.1:\(server.httpPort)/\(Self.device).cnf.xml")
            let values = try ParsedCnfXML(parsing: cnf.body).values
            let directoryURL = try #require(values["directoryURL"])
            #expect(directoryURL == "http://127.0.0.1:\(server.httpPort)/services/directory?name=\(Self.device)")
            #expect(values["servicesURL"] == "http://127.0.0.1:\(server.httpPort)/services/menu?name=\(Self.device)")
            #expect(values["authenticationURL"] == "http://127.0.0.1:\(server.httpPort)/services/authenticate")
            #expect(
                values["messagesURL"] == "http://127.0.0.1:\(server.httpPort)/services/messages?name=\(Self.device)"
            )

            let menu = try await Self.get(directoryURL)
            #expect(menu.status == 200)
            #expect(menu.contentType == "text/xml; charset=ISO-8859-1")
            #expect(try await Self.xpath(menu.bytes, "name(/*)") == "CiscoIPPhoneMenu")
            let searchURL = try await Self.xpath(menu.bytes, "string(/CiscoIPPhoneMenu/MenuItem[1]/URL)")
            let form = try await Self.get(searchURL)
            #expect(try await Self.xpath(form.bytes, "name(/*)") == "CiscoIPPhoneInput")
            #expect(try await Self.xpath(form.bytes, "string(//InputItem[1]/QueryStringParam)") == "f")
            let resultsURL = try await Self.xpath(form.bytes, "string(/CiscoIPPhoneInput/URL)")

            // The phone submits the form with every field, empty ones too.
            let first = try await Self.get(resultsURL + "?f=&l=&n=")
            #expect(first.status == 200)
            #expect(try await Self.xpath(first.bytes, "name(/*)") == "CiscoIPPhoneDirectory")
            #expect(try await Self.xpath(first.bytes, "count(//DirectoryEntry)") == "32")
            #expect(try await Self.xpath(first.bytes, "string(//Prompt)") == "Records 1 to 32 of 41")
            #expect(try await Self.xpath(first.bytes, "string(//DirectoryEntry[1]/Name)") == "Jürgen Müller")
            #expect(try await Self.xpath(first.bytes, "string(//DirectoryEntry[1]/Telephone)") == "3000")
            // ISO-8859-1 on the wire: ü is the one byte 0xFC.
            #expect(first.bytes.contains(0xFC))
            #expect(!first.bytes.contains(0xC3))
            #expect(try await Self.xpath(first.bytes, "string(//SoftKeyItem[Name='Dial']/URL)") == "SoftKey:Dial")
            let next = try await Self.xpath(first.bytes, "string(//SoftKeyItem[Name='Next']/URL)")
            let second = try await Self.get(next)
            #expect(try await Self.xpath(second.bytes, "count(//DirectoryEntry)") == "9")
            #expect(try await Self.xpath(second.bytes, "string(//Prompt)") == "Records 33 to 41 of 41")
            #expect(try await Self.xpath(second.bytes, "count(//SoftKeyItem[Name='Next'])") == "0")

            // Searching by first name, last name, number.
            for (query, count, firstName) in [
                ("f=j%FC&l=&n=", "1", "Jürgen Müller"), ("f=&l=sm&n=", "32", "Person 00 Smith"),
                ("f=person&l=&n=201", "10", "Person 10 Smith"), ("f=&l=m%C3%BCl&n=", "1", "Jürgen Müller"),
                ("f=nobody&l=&n=", "0", ""),
            ] {
                let page = try await Self.get(resultsURL + "?" + query)
                #expect(try await Self.xpath(page.bytes, "count(//DirectoryEntry)") == count, "\(query)")
                #expect(try await Self.xpath(page.bytes, "string(//DirectoryEntry[1]/Name)") == firstName, "\(query)")
            }
        }
    }

    @Test func whoIsAvailableAndMessagesAnswerOnlyTheRegisteredPhone() async throws {
        try await TestServer.with { server in
            let client = try await Self.configure(server)
            _ = try await client.send(
                .post,
                "/api/users",
                json: AdminAPI.User(name: "carol", displayName: "Carol"),
                as: AdminAPI.User.self
            )
            _ = try await client.send(.post, "/api/lines", json: AdminAPI.Line(number: "2100"), as: AdminAPI.Line.self)
            _ = try await client.send(
                .post,
                "/api/devices",
                json: AdminAPI.Device(name: "SEP00000000FA02", owner: "carol", lines: ["2100"]),
                as: AdminAPI.Device.self
            )
            let base = "http://127.0.0.1:\(server.httpPort)/services"
            // Not registered: the phone's own pages are refused.
            let refused = try await Self.get("\(base)/presence?name=\(Self.device)")
            #expect(refused.status == 403)
            #expect(try await Self.xpath(refused.bytes, "name(/*)") == "CiscoIPPhoneText")

            let phone = try await server.registeredPhone(Self.device)
            let list = try await Self.get("\(base)/presence?name=\(Self.device)")
            #expect(list.status == 200)
            #expect(try await Self.xpath(list.bytes, "name(/*)") == "CiscoIPPhoneDirectory")
            #expect(
                try await Self.xpath(list.bytes, "string(//DirectoryEntry[Telephone='2100']/Name)") == "Carol - offline"
            )

            let messages = try await Self.get("\(base)/messages?name=\(Self.device)")
            #expect(messages.status == 200)
            #expect(
                try await Self.xpath(messages.bytes, "string(/CiscoIPPhoneText/Text)")
                    == "Voicemail: 8000\nNo new messages."
            )
            // The line's message-waiting flag (the lamp's) is on the page at the next visit.
            var line = try #require(try await server.application.store.line(number: "2000"))
            line.messageWaiting = true
            try await server.application.store.update(line)
            let waiting = try await Self.get("\(base)/messages?name=\(Self.device)")
            #expect(
                try await Self.xpath(waiting.bytes, "string(/CiscoIPPhoneText/Text)")
                    == "Voicemail: 8000\nYou have new messages."
            )
            #expect(try await Self.xpath(messages.bytes, "string(//SoftKeyItem[Name='Call']/URL)") == "Dial:8000")

            let services = try await Self.get("\(base)/menu?name=\(Self.device)")
            #expect(try await Self.xpath(services.bytes, "string(//MenuItem[1]/Name)") == "Who is available")
            try await phone.phone.disconnect()
            try await server.waitUntilClean(registered: 0)
        }
    }

    @Test func theAuthenticationURLAnswersPushRequests() async throws {
        try await TestServer.with { server in
            _ = try await Self.configure(server)
            let token = try await server.application.store.createAdminToken(name: "pusher")
            let base = "http://127.0.0.1:\(server.httpPort)/services/authenticate"
            for (query, answer) in [
                ("UserID=pusher&Password=\(token.secret)&devicename=\(Self.device)", "AUTHORIZED"),
                ("UserID=pusher&Password=wrong&devicename=\(Self.device)", "UN-AUTHORIZED"),
                ("UserID=someone&Password=\(token.secret)&devicename=\(Self.device)", "UN-AUTHORIZED"),
                ("UserID=pusher&Password=\(token.secret)&devicename=SEP0000000BAD00", "UN-AUTHORIZED"),
                ("UserID=pusher", "ERROR"),
            ] {
                let result = try await Self.get(base + "?" + query)
                #expect(result.status == 200)
                #expect(String(decoding: result.bytes, as: UTF8.self) == answer, "\(query)")
            }
        }
    }
}
