import CallControl
import Foundation
import HTTPTypes
import HummingbirdTesting
import Store
import Testing

@testable import AdminHTTP

/// The softkey template pages: a template is added, edited and deleted through the forms with the API's rules and
/// errors, the built-in Standard User is shown but cannot be changed, and a phone names its template on its own page.
@Suite struct WebSoftkeyPageTests {
    @Test func aTemplateIsAddedEditedAndDeletedThroughTheForms() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let created = try await client.post(
                "/web/softkeys",
                [
                    ("name", "Reception"), ("sets.onHook", "NewCall, Redial"),
                    ("sets.connected", "Hold EndCall Trnsfer"),
                ],
                as: session
            )
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/web/softkeys/Reception?done=created")
            var stored = try #require(try await harness.store.softkeyTemplate(named: "Reception")).template()
            #expect(stored.sets[.onHook] == [.newCall, .redial])
            #expect(stored.sets[.connected] == [.hold, .endCall, .transfer])
            #expect(stored.sets[.onHold] == nil)

            let list = try await client.get("/web/softkeys", as: session)
            #expect(list.html.contains("<a href=\"/web/softkeys/Reception\">Reception</a>"))
            #expect(list.html.contains("On hook, Connected"))
            let page = try await client.get("/web/softkeys/Reception", as: session)
            #expect(page.html.contains("value=\"NewCall, Redial\""))

            // Adding the same name again does not replace it.
            let again = try await client.post(
                "/web/softkeys",
                [("name", "reception"), ("sets.onHook", "Redial")],
                as: session
            )
            #expect(again.status == .conflict)
            #expect(again.html.contains("id=\"f-name-error\""))

            // A key that does not exist: the API's message under that state's field, nothing saved.
            let api = try await client.api(
                .put,
                "/api/softkey-templates/Reception",
                json: #"{"sets":{"onHold":["Resume","Barge"]}}"#
            )
            let expected = try api.decode(AdminAPI.ErrorBody.self).error.message
            let failed = try await client.post(
                "/web/softkeys/Reception",
                [("sets.onHook", "NewCall, Redial"), ("sets.onHold", "Resume, Barge")],
                as: session
            )
            #expect(failed.status == api.status)
            #expect(failed.html.contains("<p class=\"error\" id=\"f-sets.onHold-error\">\(escaped(expected))</p>"))
            #expect(failed.html.contains("value=\"Resume, Barge\""))
            stored = try #require(try await harness.store.softkeyTemplate(named: "Reception")).template()
            #expect(stored.sets[.onHold] == nil)

            // Saving replaces the whole template: an emptied state goes back to the Standard User.
            let saved = try await client.post(
                "/web/softkeys/Reception",
                [("sets.onHook", "Redial"), ("sets.onHold", "Resume, EndCall")],
                as: session
            )
            #expect(saved.headers[.location] == "/web/softkeys/Reception?done=saved")
            stored = try #require(try await harness.store.softkeyTemplate(named: "Reception")).template()
            #expect(stored.sets[.onHook] == [.redial])
            #expect(stored.sets[.onHold] == [.resume, .endCall])
            #expect(stored.sets[.connected] == nil)

            #expect(try await client.post("/web/softkeys/Reception/delete", [], as: session).status == .seeOther)
            #expect(try await harness.store.softkeyTemplate(named: "Reception") == nil)
        }
    }

    @Test func theBuiltInTemplateIsShownButHasNoForm() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            let list = try await client.get("/web/softkeys", as: session)
            #expect(list.html.contains("Standard User"))
            let page = try await client.get("/web/softkeys/Standard%20User", as: session)
            #expect(page.status == .ok)
            #expect(page.html.contains("Redial, NewCall, PickUp, GPickUp, DND"))
            #expect(!page.html.contains("<form method=\"post\" action=\"/web/softkeys/Standard"))
            let changed = try await client.post(
                "/web/softkeys/Standard%20User",
                [("sets.onHook", "Redial")],
                as: session
            )
            #expect(changed.status == .conflict)
            let deleted = try await client.post("/web/softkeys/Standard%20User/delete", [], as: session)
            #expect(deleted.status == .conflict)
        }
    }

    @Test func aPhoneNamesItsTemplateOnItsPageAndTheTemplateCannotGoWhileNamed() async throws {
        let harness = try await WebHarness.make()
        try await harness.test { client in
            let session = try await client.signInAsAdmin()
            #expect(
                try await client.api(.put, "/api/softkey-templates/Lobby", json: #"{"sets":{"onHook":["Redial"]}}"#)
                    .status == .created
            )
            #expect(
                try await client.api(.post, "/api/devices", json: #"{"name":"SEP001122334455"}"#).status == .created
            )
            let page = try await client.get("/web/phones/SEP001122334455", as: session)
            #expect(page.html.contains("<option value=\"Lobby\">Lobby</option>"))
            let saved = try await client.post(
                "/web/phones/SEP001122334455",
                [("name", "SEP001122334455"), ("securityMode", "non-secure"), ("softkeyTemplate", "Lobby")],
                as: session
            )
            #expect(saved.status == .seeOther)
            #expect(try await harness.store.device(named: "SEP001122334455")?.softkeyTemplate == "Lobby")
            #expect(
                try await client.get("/web/phones/SEP001122334455", as: session).html.contains(
                    "<option value=\"Lobby\" selected>Lobby</option>"
                )
            )
            #expect(try await client.get("/web/softkeys/Lobby", as: session).html.contains("SEP001122334455"))

            let refused = try await client.post("/web/softkeys/Lobby/delete", [], as: session)
            #expect(refused.status == .conflict)
            #expect(try await harness.store.softkeyTemplate(named: "Lobby") != nil)

            // The empty choice goes back to the Standard User.
            _ = try await client.post(
                "/web/phones/SEP001122334455",
                [("name", "SEP001122334455"), ("securityMode", "non-secure"), ("softkeyTemplate", "")],
                as: session
            )
            #expect(try await harness.store.device(named: "SEP001122334455")?.softkeyTemplate == nil)
        }
    }
}
