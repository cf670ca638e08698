import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct DeviceRouteTests {
    @Test func addAPhoneWithItsLinesAndSpeedDials() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/lines", json: #"{"number":"1001","displayName":"Alice"}"#)
            try await client.request(.post, "/api/lines", json: #"{"number":"1002"}"#)
            let device = try await client.value(
                AdminAPI.Device.self,
                .post,
                "/api/devices",
                json: """
                    {"name":"sep001122334455","model":"7960","lines":["1001","1002"],
                     "speedDials":[{"buttonIndex":1,"number":"1003","label":"Carol"}]}
                    """,
                status: .created
            )
            #expect(device.name == "SEP001122334455")
            #expect(device.model == "7960")
            #expect(device.lines == ["1001", "1002"])
            #expect(device.speedDials == [AdminAPI.SpeedDial(buttonIndex: 1, number: "1003", label: "Carol")])
            #expect(!device.isAutoRegistered)

            let list = try await client.value([AdminAPI.Device].self, .get, "/api/devices")
            #expect(list == [device])
            #expect(try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP001122334455") == device)
            // Names are matched without regard to case.
            #expect(try await client.value(AdminAPI.Device.self, .get, "/api/devices/sep001122334455") == device)

            let line = try await client.value(AdminAPI.Line.self, .get, "/api/lines/1001")
            #expect(line.devices == ["SEP001122334455"])
        }
        let directory = try await harness.store.directory()
        #expect(
            directory.devices[DeviceName("SEP001122334455")]?.lines == [
                DirectoryNumber("1001"), DirectoryNumber("1002"),
            ]
        )
    }

    @Test func aPhoneWithAMissingLineIsNotCreated() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","lines":["1001"]}"#,
                status: .unprocessableContent
            )
            #expect(error.field == "device.lines")
            #expect(error.message.contains("1001"))
        }
        #expect(try await harness.store.devices().isEmpty)
    }

    @Test func invalidInputNamesTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var error = try await client.error(.post, "/api/devices", json: #"{"name":"SEP0011"}"#, status: .badRequest)
            #expect(error.field == "device.name")
            #expect(error.message.contains("SEP followed by 12 hex digits"))

            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","owner":"nobody"}"#,
                status: .unprocessableContent
            )
            #expect(error.field == "device.owner")

            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","lines":"1001"}"#,
                status: .badRequest
            )
            #expect(error.field == "device.lines")
            #expect(error.message == "device lines must be a list")

            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","speedDials":[{"buttonIndex":1}]}"#,
                status: .badRequest
            )
            #expect(error.field == "device.speedDials[0].number")

            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","speedDials":[{"buttonIndex":1,"number":"12x"}]}"#,
                status: .badRequest
            )
            #expect(error.field == "device.speedDials.number")

            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","maxProtocolVersion":0}"#,
                status: .badRequest
            )
            #expect(error.field == "device.maxProtocolVersion")

            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455"}"#)
            error = try await client.error(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455"}"#,
                status: .conflict
            )
            #expect(error.field == "device.name")
        }
    }

    @Test func changeAPhone() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/users", json: #"{"name":"alice"}"#)
            try await client.request(.post, "/api/lines", json: #"{"number":"1001"}"#)
            try await client.request(.post, "/api/lines", json: #"{"number":"1002"}"#)
            try await client.request(
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","lines":["1001"],"owner":"alice"}"#
            )

            // A new MAC keeps the lines; null clears the owner.
            var device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"name":"SEPAABBCCDDEEFF","owner":null,"lines":["1002","1001"],"description":"desk"}"#
            )
            #expect(device.name == "SEPAABBCCDDEEFF")
            #expect(device.owner == nil)
            #expect(device.lines == ["1002", "1001"])
            #expect(device.description == "desk")
            _ = try await client.error(.get, "/api/devices/SEP001122334455", status: .notFound)

            device = try await client.value(
                AdminAPI.Device.self,
                .put,
                "/api/devices/SEPAABBCCDDEEFF/lines",
                json: #"["1001"]"#
            )
            #expect(device.lines == ["1001"])

            let error = try await client.error(
                .patch,
                "/api/devices/SEPAABBCCDDEEFF",
                json: #"{"lines":["1001","1001"]}"#,
                status: .badRequest
            )
            #expect(error.field == "device.lines")
            _ = try await client.error(.patch, "/api/devices/SEP000000000000", json: "{}", status: .notFound)
        }
    }

    @Test func speedDials() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455"}"#)
            let one = try await client.value(
                AdminAPI.SpeedDial.self,
                .put,
                "/api/devices/SEP001122334455/speeddials/2",
                json: #"{"number":"1002","label":"Bob"}"#
            )
            #expect(one == AdminAPI.SpeedDial(buttonIndex: 2, number: "1002", label: "Bob"))
            try await client.request(.put, "/api/devices/SEP001122334455/speeddials/1", json: #"{"number":"1003"}"#)
            var dials = try await client.value(
                [AdminAPI.SpeedDial].self,
                .get,
                "/api/devices/SEP001122334455/speeddials"
            )
            #expect(dials.map(\.buttonIndex) == [1, 2])

            #expect(try await client.request(.delete, "/api/devices/SEP001122334455/speeddials/1").status == .noContent)
            _ = try await client.error(.delete, "/api/devices/SEP001122334455/speeddials/1", status: .notFound)
            let error = try await client.error(
                .delete,
                "/api/devices/SEP001122334455/speeddials/x",
                status: .badRequest
            )
            #expect(error.field == "speedDial.buttonIndex")

            dials = try await client.value(
                [AdminAPI.SpeedDial].self,
                .put,
                "/api/devices/SEP001122334455/speeddials",
                json: #"[{"buttonIndex":5,"number":"1005","isBusyLampField":true}]"#
            )
            #expect(dials == [AdminAPI.SpeedDial(buttonIndex: 5, number: "1005", isBusyLampField: true)])
        }
        let configuration = try await harness.store.directory().devices[DeviceName("SEP001122334455")]
        #expect(configuration?.speedDials.map(\.index) == [5])
    }

    @Test func resetAskesTheLiveStatus() async throws {
        let harness = try await APIHarness.make()
        await harness.live.set(devices: [AdminAPI.RegisteredDevice(name: "SEP001122334455")])
        try await harness.test { client in
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455"}"#)
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP00112233AAAA"}"#)
            var result = try await client.value(AdminAPI.ResetResult.self, .post, "/api/devices/SEP001122334455/reset")
            #expect(result.wasRegistered)
            result = try await client.value(AdminAPI.ResetResult.self, .post, "/api/devices/SEP00112233AAAA/reset")
            #expect(!result.wasRegistered)
            _ = try await client.error(.post, "/api/devices/SEP999999999999/reset", status: .notFound)
        }
        #expect(await harness.live.resets == ["SEP001122334455", "SEP00112233AAAA"])
    }

    @Test func deleteAPhone() async throws {
        let harness = try await APIHarness.make()
        let changes = harness.store.changes()
        try await harness.test { client in
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455"}"#)
            #expect(try await client.request(.delete, "/api/devices/SEP001122334455").status == .noContent)
            _ = try await client.error(.delete, "/api/devices/SEP001122334455", status: .notFound)
        }
        harness.store.finishChanges()
        var seen: [String] = []
        for await change in changes {
            switch change {
            case .upsertDevice(let device): seen.append("upsert \(device.name)")
            case .removeDevice(let name): seen.append("remove \(name)")
            default: seen.append("other")
            }
        }
        #expect(seen == ["upsert SEP001122334455", "remove SEP001122334455"])
    }
}
