import AdminHTTP
import HTTPTypes
import HummingbirdTesting
import Store
import Testing

/// Issue 19: the web's edit forms carry the record's version, so a form saved after someone else changed the record
/// is refused with a message instead of undoing their change.
@Suite struct WebVersionTests {
    @Test func aLineFormSavedAfterAnotherChangeIsRefusedAndKeepsWhatWasTyped() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            #expect(try await client.post("/web/lines", [("number", "2001")], as: session).status == .seeOther)
            let form = try await client.get("/web/lines/2001", as: session)
            #expect(form.html.contains(#"<input type="hidden" name="version" value="1">"#))

            // Someone else changes the line (through the API) while the form is open.
            let other = try await client.api(.patch, "/api/lines/2001", json: #"{"displayName":"Bob"}"#)
            #expect(other.status == .ok)

            let fields = [("number", "2001"), ("displayName", "Alice"), ("maxCalls", "2"), ("busyTrigger", "2")]
            let refused = try await client.post("/web/lines/2001", fields + [("version", "1")], as: session)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("line 2001 was changed by someone else since it was read (now version 2"))
            #expect(refused.html.contains(#"value="Alice""#), "what was typed is kept")
            #expect(refused.html.contains(#"<input type="hidden" name="version" value="2">"#))
            #expect(try await harness.store.line(number: "2001")?.displayName == "Bob")

            // Saving again, now knowingly from version 2, replaces the other change.
            let saved = try await client.post("/web/lines/2001", fields + [("version", "2")], as: session)
            #expect(saved.headers[.location] == "/web/lines/2001?done=saved")
            let stored = try #require(try await harness.store.line(number: "2001"))
            #expect(stored.displayName == "Alice" && stored.version == 3)
        }
    }

    @Test func aPhoneFormSavedAfterAnotherChangeIsRefused() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let created = try await client.post(
                "/web/phones",
                [("name", "SEP001122334455"), ("securityMode", "non-secure")],
                as: session
            )
            #expect(created.status == .seeOther)
            let form = try await client.get("/web/phones/SEP001122334455", as: session)
            #expect(form.html.contains(#"<input type="hidden" name="version" value="1">"#))
            let other = try await client.api(.patch, "/api/devices/SEP001122334455", json: #"{"model":"7970"}"#)
            #expect(other.status == .ok)

            let refused = try await client.post(
                "/web/phones/SEP001122334455",
                [("name", "SEP001122334455"), ("description", "Front desk"), ("model", ""), ("version", "1")],
                as: session
            )
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("device SEP001122334455 was changed by someone else since it was read"))
            let stored = try #require(try await harness.store.device(named: "SEP001122334455"))
            #expect(stored.model == "7970" && stored.description == "" && stored.version == 2)
        }
    }
}
