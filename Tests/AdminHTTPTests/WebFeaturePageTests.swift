import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@testable import AdminHTTP

/// The pages of the call features that landed after the web administration: hunt groups, pickup groups, SIP trunks,
/// music on hold, meet-me numbers, the park settings and a line's or phone's music source. Each saves what the API
/// saves, shows the API's error next to the field (WebPageTests), and refuses a form without the session's CSRF token.
@Suite struct WebFeaturePageTests {
    /// Lines 1001–1003 through the API.
    static func addLines(_ client: WebClient) async throws {
        for number in ["1001", "1002", "1003"] {
            #expect(try await client.api(.post, "/api/lines", json: #"{"number":"\#(number)"}"#).status == .created)
        }
    }

    /// (form, fields, API path, the same values as JSON, the field the error belongs to).
    static let formErrors: [(String, [(String, String)], String, String, String)] = [
        ("/web/settings", [("parkSlots", "70-")], "/api/settings", #"{"parkSlots":"70-"}"#, "parkSlots"),
        (
            "/web/lines", [("number", "1001"), ("musicSource", "jazz")], "/api/lines",
            #"{"number":"1001","musicSource":"jazz"}"#, "musicSource"
        ),
        (
            "/web/phones", [("name", "SEP001122334455"), ("musicSource", "jazz")], "/api/devices",
            #"{"name":"SEP001122334455","musicSource":"jazz"}"#, "musicSource"
        ),
        (
            "/web/hunt-groups", [("pilot", "50x0"), ("members", "")], "/api/hunt-groups",
            #"{"pilot":"50x0","members":[]}"#, "pilot"
        ),
        (
            "/web/hunt-groups", [("pilot", "5000"), ("members", "9999")], "/api/hunt-groups",
            #"{"pilot":"5000","members":["9999"]}"#, "members"
        ),
        (
            "/web/hunt-groups", [("pilot", "5000"), ("members", "9999"), ("algorithm", "random")], "/api/hunt-groups",
            #"{"pilot":"5000","members":["9999"],"algorithm":"random"}"#, "algorithm"
        ),
        (
            "/web/hunt-groups", [("pilot", "5000"), ("members", "9999"), ("noAnswerTimeoutSeconds", "ten")],
            "/api/hunt-groups", #"{"pilot":"5000","members":["9999"],"noAnswerTimeoutSeconds":"ten"}"#,
            "noAnswerTimeoutSeconds"
        ),
        (
            "/web/pickup-groups", [("number", "6000"), ("members", "9999")], "/api/pickup-groups",
            #"{"number":"6000","members":["9999"]}"#, "members"
        ),
        (
            "/web/trunks", [("name", "carrier"), ("host", "bad host!")], "/api/trunks",
            #"{"name":"carrier","host":"bad host!"}"#, "host"
        ),
        (
            "/web/trunks", [("name", "carrier"), ("host", "192.0.2.1"), ("port", "x")], "/api/trunks",
            #"{"name":"carrier","host":"192.0.2.1","port":"x"}"#, "port"
        ),
        (
            "/web/trunks", [("name", "carrier"), ("host", "192.0.2.1"), ("registrationUser", "bob")], "/api/trunks",
            #"{"name":"carrier","host":"192.0.2.1","registrationUser":"bob"}"#, "registrationPassword"
        ),
        ("/web/meetme", [("numbers", "8000-800")], "/api/meetme", #"{"numbers":"8000-800"}"#, "numbers"),
    ]

    /// A bad value typed in a new form gets the message the JSON API gives for the same value, next to its field,
    /// with the API's status.
    @Test(arguments: formErrors)
    func aFormShowsTheAPIsErrorNextToTheField(
        form: String,
        fields: [(String, String)],
        api: String,
        json: String,
        field: String
    ) async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let apiResponse = try await client.api(api == "/api/settings" ? .patch : .post, api, json: json)
            let expected = try apiResponse.decode(AdminAPI.ErrorBody.self).error.message
            let page = try await client.post(form, fields, as: session)
            #expect(page.status == apiResponse.status)
            #expect(
                page.html.contains("<p class=\"error\" id=\"f-\(field)-error\">\(escaped(expected))</p>"),
                "\(form) does not show \(expected) at \(field):\n\(page.html)"
            )
            let described = ["f-\(field)-hint f-\(field)-error", "f-\(field)-error"].map {
                "aria-invalid=\"true\" aria-describedby=\"\($0)\""
            }
            #expect(described.contains { page.html.contains($0) }, "\(field) is not tied to its error")
        }
    }

    @Test func huntGroupsAreListedAddedEditedAndDeletedThroughTheForms() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            try await Self.addLines(client)
            let created = try await client.post(
                "/web/hunt-groups",
                [
                    ("pilot", "5000"), ("members", "1002, 1001"), ("algorithm", "circular"),
                    ("noAnswerTimeoutSeconds", "15"), ("finalDestination", "1003"),
                ],
                as: session
            )
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/web/hunt-groups/5000?done=created")
            var stored = try #require(try await harness.store.huntGroupDetails(pilot: "5000").first)
            #expect(stored.members == ["1002", "1001"])
            #expect(stored.group.algorithm == .circular)
            #expect(stored.group.noAnswerTimeoutSeconds == 15)
            #expect(stored.group.finalDestination == "1003")

            let list = try await client.get("/web/hunt-groups", as: session)
            #expect(list.html.contains("<a href=\"/web/hunt-groups/5000\">5000</a>"))
            #expect(list.html.contains("1002, 1001"))
            let page = try await client.get("/web/hunt-groups/5000", as: session)
            #expect(page.html.contains("<option value=\"circular\" selected>"))
            #expect(page.html.contains("value=\"1002, 1001\""))

            // Edit: a new member order, a new pilot; an empty final destination clears it.
            let saved = try await client.post(
                "/web/hunt-groups/5000",
                [
                    ("pilot", "5001"), ("members", "1001, 1003, 1002"), ("algorithm", "broadcast"),
                    ("noAnswerTimeoutSeconds", "20"), ("finalDestination", ""),
                ],
                as: session
            )
            #expect(saved.headers[.location] == "/web/hunt-groups/5001?done=saved")
            stored = try #require(try await harness.store.huntGroupDetails(pilot: "5001").first)
            #expect(stored.members == ["1001", "1003", "1002"])
            #expect(stored.group.algorithm == .broadcast)
            #expect(stored.group.finalDestination == nil)

            // A failed save shows the submitted values, the error under its field, and changes nothing.
            let failed = try await client.post(
                "/web/hunt-groups/5001",
                [("pilot", "5001"), ("members", "1001, 1001"), ("algorithm", "broadcast")],
                as: session
            )
            #expect(failed.status == .badRequest)
            #expect(failed.html.contains("id=\"f-members-error\""))
            #expect(failed.html.contains("value=\"1001, 1001\""))
            #expect(try await harness.store.huntGroupDetails(pilot: "5001").first?.members == ["1001", "1003", "1002"])

            #expect(try await client.post("/web/hunt-groups/5001/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.huntGroupDetails().isEmpty)
            #expect(try await client.get("/web/hunt-groups/5001", as: session).status == .notFound)
        }
    }

    @Test func pickupGroupsAreAddedEditedAndDeletedThroughTheForms() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            try await Self.addLines(client)
            let created = try await client.post(
                "/web/pickup-groups",
                [("number", "6000"), ("members", "1001 1002")],
                as: session
            )
            #expect(created.headers[.location] == "/web/pickup-groups/6000?done=created")
            #expect(try await harness.store.pickupGroupDetails(number: "6000").first?.members == ["1001", "1002"])
            #expect(try await client.get("/web/pickup-groups", as: session).html.contains("1001, 1002"))

            let saved = try await client.post(
                "/web/pickup-groups/6000",
                [("number", "6001"), ("members", "1003")],
                as: session
            )
            #expect(saved.headers[.location] == "/web/pickup-groups/6001?done=saved")
            #expect(try await harness.store.pickupGroupDetails(number: "6001").first?.members == ["1003"])

            // A pickup number that is a line's is the Store's conflict, shown under the number.
            let conflict = try await client.post(
                "/web/pickup-groups",
                [("number", "1001"), ("members", "1002")],
                as: session
            )
            #expect(conflict.status == .conflict)
            #expect(conflict.html.contains("id=\"f-number-error\""))

            #expect(try await client.post("/web/pickup-groups/6001/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.pickupGroupDetails().isEmpty)
        }
    }

    @Test func trunksShowTheirLiveStateAndKeepTheirPasswordWhenTheFieldIsLeftEmpty() async throws {
        var setup = try await WebHarness.make()
        setup.trunkStatus = FixedTrunkStatus(statuses: [
            AdminAPI.TrunkStatus(
                name: "carrier",
                state: "up",
                lastResponseCode: 200,
                lastResponseReason: "OK",
                registration: "failed",
                registrationError: "403 Forbidden"
            )
        ])
        let harness = setup
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let created = try await client.post(
                "/web/trunks",
                [
                    ("name", "carrier"), ("host", "sip.example.net"), ("port", ""), ("transport", "tls"),
                    ("registrationUser", "alice"), ("registrationPassword", "s3cret"), ("inboundStrip", "2"),
                    ("inboundPrefix", "9"), ("defaultNumber", ""), ("description", "Carrier"),
                ],
                as: session
            )
            #expect(created.headers[.location] == "/web/trunks/carrier?done=created")
            var stored = try #require(try await harness.store.trunk(named: "carrier"))
            #expect(stored.port == nil && stored.effectivePort == 5061)
            #expect(stored.registrationPassword == "s3cret")
            #expect(stored.inboundStrip == 2 && stored.inboundPrefix == "9")

            let list = try await client.get("/web/trunks", as: session)
            #expect(list.html.contains("sip.example.net:5061 TLS"))
            #expect(list.html.contains("<td class=\"ok\">Up</td>"))
            #expect(list.html.contains("Failed (403 Forbidden) as alice"))
            let page = try await client.get("/web/trunks/carrier", as: session)
            #expect(page.html.contains("200 OK"))
            #expect(!page.html.contains("s3cret"), "the page never shows the password")
            #expect(!page.html.contains("id=\"f-name\""), "a trunk cannot be renamed")

            // Saving with the password field empty keeps the password; a port is set.
            let saved = try await client.post(
                "/web/trunks/carrier",
                [
                    ("host", "sip2.example.net"), ("port", "5071"), ("transport", "tls"),
                    ("registrationUser", "alice"), ("registrationPassword", ""), ("inboundStrip", "0"),
                    ("description", "Backup carrier"),
                ],
                as: session
            )
            #expect(saved.headers[.location] == "/web/trunks/carrier?done=saved")
            stored = try #require(try await harness.store.trunk(named: "carrier"))
            #expect(stored.host == "sip2.example.net" && stored.port == 5071)
            #expect(stored.registrationPassword == "s3cret")
            #expect(stored.description == "Backup carrier")

            // An empty user removes the registration with its password.
            _ = try await client.post(
                "/web/trunks/carrier",
                [("host", "sip2.example.net"), ("transport", "udp"), ("registrationUser", "")],
                as: session
            )
            stored = try #require(try await harness.store.trunk(named: "carrier"))
            #expect(stored.registrationUser == nil && stored.registrationPassword == nil)
            #expect(stored.port == nil, "an empty port is the transport's default")

            #expect(try await client.post("/web/trunks/carrier/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.trunks().isEmpty)
        }
    }

    @Test func meetMeNumbersAreAddedAndRemoved() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let created = try await client.post("/web/meetme", [("numbers", "8000-8009")], as: session)
            #expect(created.headers[.location] == "/web/meetme/8000?done=created")
            let list = try await client.get("/web/meetme", as: session)
            #expect(list.html.contains("<a href=\"/web/meetme/8000\">8000-8009</a>"))
            #expect(list.html.contains("<td>10</td>"))
            let page = try await client.get("/web/meetme/8000", as: session)
            #expect(page.html.contains("Remove meet-me numbers"))
            #expect(!page.html.contains("<form class=\"record\""), "a range is not edited, only removed")

            let overlap = try await client.post("/web/meetme", [("numbers", "8005")], as: session)
            let expected = try await client.api(.post, "/api/meetme", json: #"{"numbers":"8005"}"#)
            #expect(overlap.status == expected.status)
            #expect(
                overlap.html.contains(escaped(try expected.decode(AdminAPI.ErrorBody.self).error.message))
            )

            #expect(try await client.post("/web/meetme/8000/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.meetMeRanges().isEmpty)
            #expect(try await client.get("/web/meetme/8000", as: session).status == .notFound)
        }
    }

    @Test func musicSourcesAreUploadedChosenByLinesAndPhonesAndRemoved() async throws {
        var setup = try await WebHarness.make()
        setup.music = FakeMusicLibrary(store: setup.store)
        let harness = setup
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            func upload(_ query: String, _ body: String, csrf: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.cookie: session.cookie, .contentType: "application/octet-stream"]
                if let csrf { headers[WebSessions.csrfHeader] = csrf }
                return try await client.client.execute(
                    uri: "/web/api/music-upload?" + query,
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: body)
                )
            }
            #expect(try await upload("name=lobby&file=lobby.wav", "RIFF....", csrf: nil).status == .forbidden)
            let added = try await upload("name=lobby&file=lobby.wav", "RIFF....WAVE", csrf: session.csrf)
            #expect(added.status == .created)
            #expect(try added.decode(AdminAPI.MusicSource.self).fileName == "lobby.wav")
            // The API's errors, as JSON for the page's script: a bad name, a file the library refuses.
            let badName = try await upload("name=..&file=a.wav", "RIFF", csrf: session.csrf)
            #expect(badName.status == .badRequest)
            #expect(try badName.decode(AdminAPI.ErrorBody.self).error.field == "musicSource.name")
            let notAudio = try await upload("name=song&file=song.mp3", "ID3", csrf: session.csrf)
            #expect(notAudio.status == .unprocessableContent)
            #expect(try notAudio.decode(AdminAPI.ErrorBody.self).error.message.contains("song.mp3: not a WAV file"))
            #expect(try await upload("name=lobby&file=b.wav", "RIFF", csrf: session.csrf).status == .conflict)
            #expect(try await upload("name=lobby&file=b.wav&replace=true", "RIFF", csrf: session.csrf).status == .ok)

            let list = try await client.get("/web/music", as: session)
            #expect(list.html.contains("<a href=\"/web/music/lobby\">lobby</a>"))
            #expect(list.html.contains("b.wav"))
            let upload = try await client.get("/web/music/new", as: session)
            #expect(upload.html.contains("data-page=\"music\""))
            #expect(!upload.html.contains("no media engine"))

            // Lines and phones choose it from a drop-down; "" goes back to none.
            _ = try await client.post("/web/lines", [("number", "1001"), ("musicSource", "lobby")], as: session)
            #expect(try await harness.store.lineDetails().first?.line.musicSource == "lobby")
            let linePage = try await client.get("/web/lines/1001", as: session)
            #expect(linePage.html.contains("<option value=\"lobby\" selected>lobby</option>"))
            _ = try await client.post(
                "/web/phones",
                [("name", "SEP001122334455"), ("lines", "1001"), ("musicSource", "LOBBY")],
                as: session
            )
            #expect(try await harness.store.deviceDetails().first?.device.musicSource == "lobby")

            // Chosen, it cannot be removed: the Store's conflict is the page's answer.
            let refused = try await client.post("/web/music/lobby/delete", [], as: session)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("line 1001"))
            _ = try await client.post("/web/lines/1001", [("number", "1001"), ("musicSource", "")], as: session)
            _ = try await client.post(
                "/web/phones/SEP001122334455",
                [("name", "SEP001122334455"), ("lines", "1001"), ("musicSource", "")],
                as: session
            )
            #expect(try await harness.store.lineDetails().first?.line.musicSource == nil)
            #expect(try await client.post("/web/music/lobby/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.musicSource(named: "lobby") == nil)
            let builtIn = try await client.get("/web/music/default", as: session)
            #expect(!builtIn.html.contains("/web/music/default/delete"), "the built-in source has no remove button")
        }
    }

    @Test func theParkTransferAndDoNotDisturbSettingsAreSaved() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let saved = try await client.post(
                "/web/settings",
                [
                    ("parkSlots", "7000-7019"), ("parkReversionSeconds", "90"), ("transferOnHook", "true"),
                    ("doNotDisturbMode", "reject"),
                ],
                as: session
            )
            #expect(saved.headers[.location] == "/web/settings?done=saved")
            let settings = try await harness.store.settings()
            #expect(settings.parkSlots == 7000...7019)
            #expect(settings.parkReversionSeconds == 90)
            #expect(settings.transferOnHook)
            #expect(settings.doNotDisturbMode == .reject)
            let page = try await client.get("/web/settings", as: session)
            #expect(page.html.contains("value=\"7000-7019\""))
            #expect(page.html.contains("<option value=\"reject\" selected>"))
            // An empty park range turns park off.
            _ = try await client.post("/web/settings", [("parkSlots", "")], as: session)
            #expect(try await harness.store.settings().parkSlots == nil)
        }
    }

    /// Every new form is refused without the session's CSRF token, and nothing is written.
    @Test(arguments: [
        ("/web/hunt-groups", [("pilot", "5000"), ("members", "1001")]),
        ("/web/pickup-groups", [("number", "6000"), ("members", "1001")]),
        ("/web/trunks", [("name", "carrier"), ("host", "192.0.2.1")]),
        ("/web/meetme", [("numbers", "8000")]),
        ("/web/settings", [("parkSlots", "7000-7009")]),
    ])
    func aFormWithoutTheCSRFTokenIsRefused(path: String, fields: [(String, String)]) async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            try await Self.addLines(client)
            let wrong = try await client.post(path, fields, as: session, csrf: String(repeating: "0", count: 64))
            #expect(wrong.status == .forbidden)
            var missing = session
            missing.csrf = ""
            let none = try await client.post(path, fields, as: missing)
            #expect(none.status == .forbidden)
            #expect(try await harness.store.huntGroupDetails().isEmpty)
            #expect(try await harness.store.pickupGroupDetails().isEmpty)
            #expect(try await harness.store.trunks().isEmpty)
            #expect(try await harness.store.meetMeRanges().isEmpty)
            #expect(try await harness.store.settings().parkSlots == nil)
        }
    }
}
