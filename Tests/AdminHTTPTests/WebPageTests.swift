import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@testable import AdminHTTP

/// The web pages: each renders, the forms save what the API saves and show its errors next to the field, the lists
/// page and search, the import check reports every bad row and applies nothing, the export reads back.
@Suite struct WebPageTests {
    static let pages = [
        ("/web/", "dashboard"), ("/web", "dashboard"), ("/web/phones", "phones"), ("/web/phones/new", "phones"),
        ("/web/lines", "lines"),
        ("/web/lines/new", "lines"), ("/web/users", "users"), ("/web/users/new", "users"), ("/web/routes", "routes"),
        ("/web/routes/new", "routes"), ("/web/cmgroups", "cmgroups"), ("/web/cmgroups/new", "cmgroups"),
        ("/web/settings", "settings"), ("/web/import", "import"), ("/web/calls", "calls"),
        ("/web/presence", "presence"), ("/web/hunt-groups", "hunt"), ("/web/hunt-groups/new", "hunt"),
        ("/web/pickup-groups", "pickup"), ("/web/pickup-groups/new", "pickup"), ("/web/trunks", "trunks"),
        ("/web/trunks/new", "trunks"), ("/web/music", "music"), ("/web/music/new", "music"),
        ("/web/music/default", "music"), ("/web/meetme", "meetme"), ("/web/meetme/new", "meetme"),
        ("/web/softkeys", "softkeys"), ("/web/softkeys/new", "softkeys"), ("/web/softkeys/Standard%20User", "softkeys"),
    ]

    @Test(arguments: pages)
    func everyPageRendersInTheLayoutWithItsSecurityHeaders(path: String, section: String) async throws {
        var harness = try await WebHarness.make()
        harness.presence = FakePresence()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let page = try await client.get(path, as: session)
            #expect(page.status == .ok, "\(path): \(page.html)")
            #expect(page.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.headers[.cacheControl] == "no-store")
            let current = WebPaths.navigation.first { $0.section == section }?.href ?? ""
            #expect(page.html.contains("<a href=\"\(current)\" aria-current=\"page\">"), "\(path)")
            #expect(!page.html.contains("{{"), "an unrendered Mustache tag in \(path)")
            // Every form that changes something carries the session's CSRF token.
            let forms = page.html.components(separatedBy: "method=\"post\"").count - 1
            let tokens = page.html.components(separatedBy: "name=\"_csrf\" value=\"\(session.csrf)\"").count - 1
            #expect(forms == tokens, "\(path): \(forms) forms, \(tokens) tokens")
        }
    }

    @Test func theAssetsAreServedWithoutASessionAndCachedByVersion() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            for (path, type) in [(WebAssets.stylesheetPath, "text/css"), (WebAssets.scriptPath, "text/javascript")] {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                #expect(response.headers[.cacheControl]?.contains("immutable") == true)
            }
            let root = try await client.get("/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/web/")
        }
    }

    /// A bad value typed in a form gets the message the JSON API gives for the same value, next to its field.
    @Test(arguments: [
        ("/web/lines", [("number", "12a")], "/api/lines", #"{"number":"12a"}"#, "number"),
        (
            "/web/lines", [("number", "1001"), ("maxCalls", "two")], "/api/lines",
            #"{"number":"1001","maxCalls":"two"}"#, "maxCalls"
        ),
        (
            "/web/lines", [("number", "1001"), ("maxCalls", "2"), ("busyTrigger", "3")], "/api/lines",
            #"{"number":"1001","maxCalls":2,"busyTrigger":3}"#, "busyTrigger"
        ),
        ("/web/phones", [("name", "SEP12")], "/api/devices", #"{"name":"SEP12"}"#, "name"),
        (
            "/web/phones", [("name", "SEP001122334455"), ("lines", "9999")], "/api/devices",
            #"{"name":"SEP001122334455","lines":["9999"]}"#, "lines"
        ),
        (
            "/web/phones", [("name", "SEP001122334455"), ("owner", "nobody")], "/api/devices",
            #"{"name":"SEP001122334455","owner":"nobody"}"#, "owner"
        ),
        ("/web/users", [("name", "two words")], "/api/users", #"{"name":"two words"}"#, "name"),
        (
            "/web/routes", [("pattern", "9.1XXX")], "/api/routes", #"{"pattern":"9.1XXX","targetNumber":""}"#,
            "targetNumber"
        ),
        (
            "/web/cmgroups", [("name", "Main"), ("member0Host", "")], "/api/callmanager-groups",
            #"{"name":"Main","members":[]}"#, "member0Host"
        ),
        ("/web/settings", [("keepAliveSeconds", "5")], "/api/settings", #"{"keepAliveSeconds":5}"#, "keepAliveSeconds"),
    ])
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
            #expect(
                page.html.contains("aria-describedby=\"f-\(field)-hint f-\(field)-error\"")
                    || page.html.contains("aria-describedby=\"f-\(field)-error\"")
            )
        }
    }

    @Test func linesPhonesAndSpeedDialsAreAddedEditedResetAndDeletedThroughTheForms() async throws {
        let harness = try await WebHarness.make()
        await harness.live.set(devices: [AdminAPI.RegisteredDevice(name: "SEP001122334455", address: "192.0.2.7:5000")])
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let line = try await client.post("/web/lines", [("number", "2001"), ("displayName", "Alice")], as: session)
            #expect(line.headers[.location] == "/web/lines/2001?done=created")
            let phone = try await client.post(
                "/web/phones",
                [
                    ("name", "sep001122334455"), ("description", "Desk"), ("lines", "2001"),
                    ("securityMode", "non-secure"),
                ],
                as: session
            )
            #expect(phone.headers[.location] == "/web/phones/SEP001122334455?done=created")
            let view = try await client.get("/web/phones/SEP001122334455?done=created", as: session)
            #expect(view.html.contains("<p class=\"flash\" role=\"status\">Created.</p>"))
            #expect(view.html.contains("192.0.2.7:5000"), "the registration is shown")

            // Edit: every field is sent; an empty owner clears, a new line list replaces.
            #expect(try await client.post("/web/lines", [("number", "2002")], as: session).status == .seeOther)
            let edit = try await client.post(
                "/web/phones/SEP001122334455",
                [
                    ("name", "SEP001122334455"), ("description", "Front desk"), ("lines", "2002, 2001"),
                    ("model", "7970"),
                ],
                as: session
            )
            #expect(edit.headers[.location] == "/web/phones/SEP001122334455?done=saved")
            let stored = try #require(try await harness.store.deviceDetails(named: "SEP001122334455").first)
            #expect(stored.device.description == "Front desk")
            #expect(stored.lines == ["2002", "2001"])

            let dial = try await client.post(
                "/web/phones/SEP001122334455/speeddials",
                [("buttonIndex", "1"), ("number", "2002"), ("label", "Bob"), ("isBusyLampField", "true")],
                as: session
            )
            #expect(dial.status == .seeOther)
            #expect(
                try await harness.store.deviceDetails(named: "SEP001122334455").first?.speedDials.first?.isBusyLampField
                    == true
            )
            let badDial = try await client.post(
                "/web/phones/SEP001122334455/speeddials",
                [("buttonIndex", "2"), ("number", "12#34")],
                as: session
            )
            #expect(badDial.status == .badRequest)
            #expect(badDial.html.contains("id=\"f-number-error\""))
            #expect(
                try await client.post("/web/phones/SEP001122334455/speeddials/1/delete", [], as: session).status
                    == .seeOther
            )
            #expect(try await harness.store.deviceDetails(named: "SEP001122334455").first?.speedDials.isEmpty == true)

            let reset = try await client.post("/web/phones/SEP001122334455/reset", [], as: session)
            #expect(reset.headers[.location] == "/web/phones/SEP001122334455?done=reset")
            #expect(await harness.live.resets == ["SEP001122334455"])

            #expect(try await client.post("/web/phones/SEP001122334455/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.deviceDetails().isEmpty)
            #expect(try await client.post("/web/lines/2002/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.lineDetails().map(\.line.number) == ["2001"])
            let missing = try await client.get("/web/phones/SEP001122334455", as: session)
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("no device named"))
        }
    }

    @Test func thePhoneListPagesSearchesSortsAndShowsRegistrations() async throws {
        let harness = try await WebHarness.make()
        var batch = DirectoryBatch(lines: [], devices: [])
        for index in 0..<120 {
            batch.devices.append(
                .init(row: index + 2, name: "SEP" + String(format: "%012X", index), description: "Desk \(index)")
            )
        }
        try await harness.store.apply(batch)
        await harness.live.set(devices: [AdminAPI.RegisteredDevice(name: "SEP000000000033", address: "192.0.2.9:1")])
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let second = try await client.get("/web/phones?page=2", as: session)
            #expect(second.html.contains("Showing 51–100 of 120 phones."))
            #expect(second.html.contains(">SEP000000000032</a>"))
            #expect(!second.html.contains(">SEP000000000031</a>"))
            #expect(second.html.contains("Registered 192.0.2.9:1"))
            #expect(second.html.contains("<a href=\"/web/phones?page=3\" rel=\"next\">Next</a>"))

            let search = try await client.get("/web/phones?q=desk+11", as: session)
            #expect(search.html.contains("Showing 1–11 of 11 phones matching “desk 11”."))

            let sorted = try await client.get("/web/phones?sort=description&dir=desc&size=25", as: session)
            #expect(sorted.html.contains("aria-sort=\"descending\""))
            let first = try #require(sorted.html.range(of: "Desk 99"))
            let later = try #require(sorted.html.range(of: "Desk 98"))
            #expect(first.lowerBound < later.lowerBound)
            #expect(sorted.html.contains("Showing 1–25 of 120 phones."))

            let nothing = try await client.get("/web/phones?q=%3Cscript%3E", as: session)
            #expect(nothing.html.contains("No phones match “&lt;script&gt;”."))
        }
    }

    @Test func theImportCheckReportsEveryBadRowByLineAndColumnAndAppliesNothing() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let csv = """
                DEVICE NAME,DESCRIPTION,DIRECTORY NUMBER 1,OWNER USER ID
                SEP0000000000C1,Reception,3001,
                SEP0000000000D1,Warehouse,30x2,
                SEP0000000000E1,"Yard,
                gate",3003,nobody
                SEP0000000000F1,Office,3004,
                SEP12,Broken,3005,
                SEP0000000000A1,Lobby,3006,nobody

                """
            // Line 4's quoted description runs over line 5 (and holds a line break, which a description may not).
            // The owner is a problem the parser cannot see: the database's dry run finds it.
            let report = try await Self.check(csv, client: client, session: session)
            #expect(!report.ok)
            #expect(report.rows == 6)
            #expect(report.errors.map(\.line) == [3, 4, 7, 8])
            #expect(
                report.errors.map(\.column) == ["DIRECTORY NUMBER 1", "DESCRIPTION", "DEVICE NAME", "OWNER USER ID"]
            )
            #expect(report.errors[0].message.contains("\"30x2\""))
            #expect(report.errors[3].message == "CSV line 8: no user named \"nobody\"")
            #expect(try await harness.store.lineDetails().isEmpty)
            #expect(try await harness.store.deviceDetails().isEmpty)

            let good = """
                DEVICE NAME,DESCRIPTION,DIRECTORY NUMBER 1
                SEP0000000000C1,Reception,3001
                ,,3002

                """
            let passed = try await Self.check(good, client: client, session: session)
            #expect(passed.ok)
            #expect(passed.summary?.linesCreated == 2)
            #expect(passed.summary?.devicesCreated == 1)
            #expect(try await harness.store.lineDetails().isEmpty, "a check keeps nothing")

            // The import itself is the API's route, behind the session and its CSRF header.
            let imported = try await client.client.execute(
                uri: "/web/api/import",
                method: .post,
                headers: [.cookie: session.cookie, .contentType: "text/csv", WebSessions.csrfHeader: session.csrf],
                body: ByteBuffer(string: good)
            )
            #expect(imported.status == .ok)
            #expect(try imported.decode(AdminAPI.ImportResult.self).linesCreated == 2)
            #expect(try await harness.store.lineDetails().map(\.line.number) == ["3001", "3002"])
        }
    }

    static func check(_ csv: String, client: WebClient, session: SignedIn) async throws -> ImportCheckReport {
        let response = try await client.client.execute(
            uri: "/web/import/check",
            method: .post,
            headers: [.cookie: session.cookie, .contentType: "text/csv", WebSessions.csrfHeader: session.csrf],
            body: ByteBuffer(string: csv)
        )
        #expect(response.status == .ok)
        return try JSONDecoder().decode(ImportCheckReport.self, from: Data(response.body.readableBytesView))
    }

    @Test func theExportImportsBackIntoTheSameConfiguration() async throws {
        let harness = try await WebHarness.make()
        let csv = [
            "DEVICE NAME,MODEL,DESCRIPTION,DIRECTORY NUMBER 1,DISPLAY 1,FORWARD ALL DESTINATION 1,DIRECTORY NUMBER 2,"
                + "MAXIMUM NUMBER OF CALLS 2,BUSY TRIGGER 2,SPEED DIAL NUMBER 3,SPEED DIAL LABEL 3",
            #"SEP0000000000C1,7940,"Reception, front",3001,"Carol ""C""",4000,3002,4,3,1001,Alice"#,
            "SEP0000000000D1,7960,Warehouse,3002,,,,,,,",
            ",,,3003,Sales,,,,,,",
        ].joined(separator: "\n")
        try await harness.store.apply(try DirectoryCSV.parse(csv).batch)
        try await harness.test { client in
            let export = try await client.api(.get, "/api/export")
            #expect(export.status == .ok)
            #expect(export.headers[.contentType] == "text/csv; charset=utf-8")
            let other = Store(database: try StrowgerDatabase.inMemory())
            try await other.apply(try DirectoryCSV.parse(export.html).batch)
            func shape(_ store: Store) async throws -> [String] {
                let devices = try await store.deviceDetails().map { details in
                    "\(details.device.name) \(details.device.model) \(details.device.description) \(details.lines) "
                        + details.speedDials.map { "\($0.buttonIndex):\($0.number):\($0.label)" }.joined()
                }
                let lines = try await store.lineDetails().map { details in
                    let line = details.line
                    return
                        "\(line.number) \(line.displayName) \(line.forwardAll ?? "-") \(line.maxCalls)/\(line.busyTrigger)"
                        + " \(details.devices)"
                }
                return devices + lines
            }
            #expect(try await shape(other) == shape(harness.store))
            let session = try await client.signInAsAdmin()
            let download = try await client.get("/web/export.csv", as: session)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(download.html == export.html)
        }
    }

    @Test func callRecordsAreSearchedChartedAndDownloaded() async throws {
        let harness = try await WebHarness.make()
        let now = Date()
        for (index, cause) in [CallDetailRecord.EndCause.normalClearing, .busy, .normalClearing].enumerated() {
            try await harness.store.insert(
                CallDetailRecord(
                    callingDevice: "SEP00000000000A",
                    callingNumber: "100\(index)",
                    callingReference: 1,
                    dialedNumber: "2000",
                    calledNumber: "2000",
                    calledDevice: "SEP00000000000B",
                    calledReference: 2,
                    setupTime: now - Double(600 * (index + 1)),
                    answerTime: nil,
                    endTime: now - Double(600 * index),
                    endCause: cause,
                    releasedBy: .caller,
                    codec: nil
                )
            )
        }
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let all = try await client.get("/web/calls", as: session)
            #expect(all.html.contains("Records 1–3, newest first."))
            #expect(all.html.contains("<rect class=\"busy\""), "the chart stacks causes")
            let busy = try await client.get("/web/calls?cause=busy", as: session)
            #expect(busy.html.contains("Records 1–1, newest first."))
            #expect(busy.html.contains("1001 (SEP00000000000A)"))
            let bad = try await client.get("/web/calls?from=yesterday", as: session)
            #expect(bad.status == .badRequest)
            #expect(bad.html.contains("id=\"f-from-error\""))
            let csv = try await client.get("/web/calls.csv?number=1000", as: session)
            let rows = csv.html.split(separator: "\r\n")
            #expect(rows.count == 2)
            #expect(rows.first?.hasPrefix("id,setupTime,answerTime,endTime") == true)
            #expect(rows.last?.contains(",1000,2000,2000,SEP00000000000B,normalClearing,caller,") == true)
        }
    }

    @Test func theDashboardFollowsRegistrationsCallsAndWarnings() async throws {
        var harness = try await WebHarness.make()
        harness.trunkStatus = FixedTrunkStatus(statuses: [
            AdminAPI.TrunkStatus(name: "carrier", state: "up", registration: "registered"),
            AdminAPI.TrunkStatus(
                name: "backup",
                state: "down",
                lastResponseCode: 503,
                lastResponseReason: "Service Unavailable",
                registration: "failed",
                registrationError: "403 Forbidden"
            ),
        ])
        var settings = try await harness.store.settings()
        settings.autoRegistrationFirstNumber = 1000
        settings.autoRegistrationLastNumber = 1009
        try await harness.store.update(settings)
        for number in 1000...1008 { try await harness.store.insert(LineRecord(number: String(number))) }
        let routes = harness.routes
        let feed = DashboardFeed()
        let start = Date()
        let empty = await feed.snapshot(routes, now: start)
        #expect(empty.registered == "0")
        #expect(empty.registrations.isEmpty)
        #expect(empty.warnings.contains { $0.hasPrefix("Auto-registration has used 9 of its 10 numbers (90 %)") })
        #expect(empty.warnings.contains("Trunk backup is down (last answer 503 Service Unavailable)."))
        #expect(empty.warnings.contains("Trunk backup failed to register: 403 Forbidden."))
        #expect(empty.trunks == "1 of 2 up")

        await harness.live.set(
            devices: [AdminAPI.RegisteredDevice(name: "SEP0000000000A1", address: "192.0.2.1:1")],
            calls: [
                AdminAPI.ActiveCall(
                    caller: .init(device: "SEP0000000000A1", number: "1000", reference: 1, state: "ringingOut"),
                    callee: .init(device: "SEP0000000000B1", number: "1001", reference: 2, state: "ringingIn")
                )
            ]
        )
        routes.metrics.callEnded(cause: "normalClearing")
        let reused = await feed.snapshot(routes, now: start + 0.5)
        #expect(reused == empty, "a snapshot younger than a second is shared")
        let later = await feed.snapshot(routes, now: start + 2)
        #expect(later.registered == "1")
        #expect(later.registrations.map(\.device) == ["SEP0000000000A1"])
        #expect(later.registrations.first?.event == "registered")
        #expect(later.calls.first?.callee == "SEP0000000000B1")
        #expect(later.calls.first?.state == "ringing")
        #expect(later.callsLastHour == "1")

        await harness.live.set(devices: [])
        let gone = await feed.snapshot(routes, now: start + 4)
        #expect(gone.registrations.map(\.event) == ["unregistered", "registered"])
    }

    @Test func aLiveStreamSlotIsGivenBackWhenItsResponseIsDropped() {
        let counter = LiveStreamCounter()
        do {
            #expect(counter.acquire(limit: 1))
            let slot = LiveStreamSlot(counter)
            #expect(!counter.acquire(limit: 1), "the one slot is taken")
            withExtendedLifetime(slot) {}
        }
        #expect(counter.acquire(limit: 1), "the slot came back with its response")
    }

    @Test func thePresenceBoardListsEveryoneAndItsStreamNeedsTheSession() async throws {
        var harness = try await WebHarness.make()
        harness.presence = FakePresence(finishAfter: .milliseconds(50))
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let board = try await client.get("/web/presence", as: session)
            #expect(
                board.html.contains(
                    "<tr data-user=\"alice\"><td>alice</td><td>Alice</td><td class=\"state available\">Available</td>"
                )
            )
            let stream = try await client.get("/web/api/presence/events", as: session)
            #expect(stream.status == .ok)
            #expect(stream.html.contains("event: presence"))
            #expect(try await client.get("/web/api/presence/events").status == .unauthorized)
        }
    }
}
