import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// `/api/callmanager-groups`: create, read, replace, change, rename and delete CallManager groups; devices that name
/// them; errors that name the field.
@Suite struct CallManagerGroupRouteTests {
    static let threeNodes = """
        {"name":"Berlin","members":[
          {"host":"192.0.2.10","sccpPort":2000,"sccpsPort":2443},
          {"host":"2001:db8::11","sccpPort":2001,"sccpsPort":2444},
          {"host":"cm3.example.net"}]}
        """

    @Test func createReadReplaceRenameAndDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            #expect(try await client.value([AdminAPI.CallManagerGroup].self, .get, "/api/callmanager-groups").isEmpty)
            let created = try await client.value(
                AdminAPI.CallManagerGroup.self,
                .post,
                "/api/callmanager-groups",
                json: Self.threeNodes,
                status: .created
            )
            #expect(created.name == "Berlin")
            #expect(
                created.members == [
                    .init(host: "192.0.2.10", sccpPort: 2000, sccpsPort: 2443),
                    .init(host: "2001:db8::11", sccpPort: 2001, sccpsPort: 2444),
                    // Ports default to CUCM's.
                    .init(host: "cm3.example.net", sccpPort: 2000, sccpsPort: 2443),
                ]
            )
            #expect(created.devices.isEmpty)

            // A device names it (in any case) and shows up with the group.
            try await client.request(
                .post,
                "/api/devices",
                json: #"{"name":"SEP00000000A001","callManagerGroup":"berlin"}"#
            )
            let device = try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP00000000A001")
            #expect(device.callManagerGroup == "Berlin")
            var read = try await client.value(AdminAPI.CallManagerGroup.self, .get, "/api/callmanager-groups/BERLIN")
            #expect(read.devices == ["SEP00000000A001"])
            #expect(read.members == created.members)

            // PUT replaces the members of an existing group (200) and creates a missing one (201).
            read = try await client.value(
                AdminAPI.CallManagerGroup.self,
                .put,
                "/api/callmanager-groups/Berlin",
                json: #"{"members":[{"host":"192.0.2.99","sccpPort":12000,"sccpsPort":12443}]}"#
            )
            #expect(read.members == [.init(host: "192.0.2.99", sccpPort: 12000, sccpsPort: 12443)])
            #expect(read.devices == ["SEP00000000A001"])
            let spaced = try await client.value(
                AdminAPI.CallManagerGroup.self,
                .put,
                "/api/callmanager-groups/Hamburg%20Nord",
                json: #"{"members":[{"host":"cm.hamburg.example"}]}"#,
                status: .created
            )
            #expect(spaced.name == "Hamburg Nord")

            // PATCH renames; the device follows.
            let renamed = try await client.value(
                AdminAPI.CallManagerGroup.self,
                .patch,
                "/api/callmanager-groups/Berlin",
                json: #"{"name":"Berlin-Mitte"}"#
            )
            #expect(renamed.name == "Berlin-Mitte")
            #expect(renamed.devices == ["SEP00000000A001"])
            #expect(
                try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP00000000A001").callManagerGroup
                    == "Berlin-Mitte"
            )
            _ = try await client.error(.get, "/api/callmanager-groups/Berlin", status: .notFound)
            let list = try await client.value([AdminAPI.CallManagerGroup].self, .get, "/api/callmanager-groups")
            #expect(list.map(\.name) == ["Berlin-Mitte", "Hamburg Nord"])

            // In use: refused, naming how many devices.
            let inUse = try await client.error(.delete, "/api/callmanager-groups/Berlin-Mitte", status: .conflict)
            #expect(inUse.field == "callManagerGroup.name")
            #expect(inUse.message.contains("is used by 1 device (SEP00000000A001)"))
            try await client.request(.patch, "/api/devices/SEP00000000A001", json: #"{"callManagerGroup":null}"#)
            #expect(try await client.request(.delete, "/api/callmanager-groups/Berlin-Mitte").status == .noContent)
            _ = try await client.error(.delete, "/api/callmanager-groups/Berlin-Mitte", status: .notFound)
        }
        #expect(try await harness.store.callManagerGroups().map(\.name) == ["Hamburg Nord"])
    }

    @Test func invalidInputNamesTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            func post(_ json: String, _ status: HTTPResponse.Status) async throws -> AdminAPI.ErrorBody.Detail {
                try await client.error(.post, "/api/callmanager-groups", json: json, status: status)
            }
            var error = try await post(#"{"name":"g","members":[]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members")
            #expect(error.message == "callManagerGroup members must list 1 to 3 nodes, not 0")
            error = try await post(
                #"{"name":"g","members":[{"host":"a"},{"host":"b"},{"host":"c"},{"host":"d"}]}"#,
                .badRequest
            )
            #expect(error.field == "callManagerGroup.members")
            error = try await post(#"{"name":"g","members":[{"host":"a"},{"host":"bad host"}]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members[1].host")
            #expect(error.message.contains("callManagerGroup member 2 host must be a host name"))
            error = try await post(#"{"name":"g","members":[{"host":"a","sccpPort":70000}]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members[0].sccpPort")
            #expect(error.message.contains("between 1 and 65535, not 70000"))
            error = try await post(#"{"name":"g","members":[{"host":"a","sccpsPort":"x"}]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members[0].sccpsPort")
            #expect(error.message == "callManagerGroup members[0].sccpsPort must be a whole number")
            error = try await post(#"{"name":"g","members":[{"sccpPort":2000}]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members[0].host")
            error = try await post(#"{"name":"g"}"#, .badRequest)
            #expect(error.field == "callManagerGroup.members")
            error = try await post(#"{"name":"a/b","members":[{"host":"a"}]}"#, .badRequest)
            #expect(error.field == "callManagerGroup.name")

            try await client.request(.post, "/api/callmanager-groups", json: #"{"name":"g","members":[{"host":"a"}]}"#)
            error = try await post(#"{"name":"G","members":[{"host":"b"}]}"#, .conflict)
            #expect(error.field == "callManagerGroup.name")

            error = try await client.error(
                .put,
                "/api/callmanager-groups/g",
                json: #"{"name":"other","members":[{"host":"a"}]}"#,
                status: .badRequest
            )
            #expect(error.field == "callManagerGroup.name")
            #expect(error.message.contains("rename a group with PATCH"))
            error = try await client.error(.put, "/api/callmanager-groups/g", json: #"{}"#, status: .badRequest)
            #expect(error.field == "callManagerGroup.members")
            error = try await client.error(
                .patch,
                "/api/callmanager-groups/missing",
                json: #"{"name":"x"}"#,
                status: .notFound
            )
            #expect(error.field == "callManagerGroup.name")

            // A device naming a group that does not exist: 422 on the device's field.
            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP00000000A001","callManagerGroup":"Nowhere"}"#,
                status: .unprocessableContent
            )
            #expect(error.field == "device.callManagerGroup")
            #expect(error.message.contains("no CallManager group named \"Nowhere\""))
            // Default needs no stored group.
            try await client.request(
                .post,
                "/api/devices",
                json: #"{"name":"SEP00000000A001","callManagerGroup":"Default"}"#
            )
            error = try await client.error(
                .patch,
                "/api/devices/SEP00000000A001",
                json: #"{"callManagerGroup":"Nowhere"}"#,
                status: .unprocessableContent
            )
            #expect(error.field == "device.callManagerGroup")

            // The token is required, as everywhere under /api.
            let anonymous = try await client.request(.get, "/api/callmanager-groups", authorization: .none)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
