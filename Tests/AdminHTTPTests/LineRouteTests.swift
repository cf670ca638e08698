import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct LineRouteTests {
    @Test func createReadChangeDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let created = try await client.value(
                AdminAPI.Line.self,
                .post,
                "/api/lines",
                json: #"{"number":"1001","displayName":"Alice","maxCalls":4,"busyTrigger":3}"#,
                status: .created
            )
            #expect(created == AdminAPI.Line(number: "1001", displayName: "Alice", maxCalls: 4, busyTrigger: 3))

            // Forward all, then clear it with null; the others stay.
            var line = try await client.value(
                AdminAPI.Line.self,
                .patch,
                "/api/lines/1001",
                json:
                    #"{"forwardAll":"1002","forwardBusy":"8000","forwardNoAnswer":"8000","noAnswerTimeoutSeconds":20}"#
            )
            #expect(line.forwardAll == "1002")
            #expect(line.forwardBusy == "8000")
            #expect(line.noAnswerTimeoutSeconds == 20)
            line = try await client.value(AdminAPI.Line.self, .patch, "/api/lines/1001", json: #"{"forwardAll":null}"#)
            #expect(line.forwardAll == nil)
            #expect(line.forwardBusy == "8000")

            // Lowering maxCalls lowers the busy trigger with it.
            line = try await client.value(AdminAPI.Line.self, .patch, "/api/lines/1001", json: #"{"maxCalls":1}"#)
            #expect(line.maxCalls == 1)
            #expect(line.busyTrigger == 1)

            // A new number.
            line = try await client.value(AdminAPI.Line.self, .patch, "/api/lines/1001", json: #"{"number":"2001"}"#)
            #expect(line.number == "2001")
            _ = try await client.error(.get, "/api/lines/1001", status: .notFound)

            #expect(try await client.value([AdminAPI.Line].self, .get, "/api/lines").map(\.number) == ["2001"])
            #expect(try await client.request(.delete, "/api/lines/2001").status == .noContent)
            _ = try await client.error(.delete, "/api/lines/2001", status: .notFound)
        }
    }

    @Test func aNumberChangeReachesCallControl() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/lines", json: #"{"number":"1001"}"#)
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455","lines":["1001"]}"#)
        }
        let (directory, changes) = try await harness.store.directoryAndChanges()
        var core = CallControlCore(directory: directory)
        try await harness.test { client in
            try await client.request(.patch, "/api/lines/1001", json: #"{"number":"1005"}"#)
        }
        harness.store.finishChanges()
        for await change in changes { _ = core.handle(.directoryChanged(change), at: .zero) }
        #expect(core.directory.devices[DeviceName("SEP001122334455")]?.lines == [DirectoryNumber("1005")])
        #expect(core.directory.devices(carrying: DirectoryNumber("1005")) == [DeviceName("SEP001122334455")])
        #expect(core.directory.devices(carrying: DirectoryNumber("1001")).isEmpty)
    }

    @Test func invalidInputNamesTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var error = try await client.error(.post, "/api/lines", json: #"{"number":"10a1"}"#, status: .badRequest)
            #expect(error.field == "line.number")
            #expect(error.message.contains("\"10a1\""))

            error = try await client.error(
                .post,
                "/api/lines",
                json: #"{"number":"1001","maxCalls":2,"busyTrigger":3}"#,
                status: .badRequest
            )
            #expect(error.field == "line.busyTrigger")

            error = try await client.error(
                .post,
                "/api/lines",
                json: #"{"number":"1001","forwardAll":"abc"}"#,
                status: .badRequest
            )
            #expect(error.field == "line.forwardAll")

            error = try await client.error(
                .post,
                "/api/lines",
                json: #"{"number":"1001","displayName":"\#(String(repeating: "x", count: 41))"}"#,
                status: .badRequest
            )
            #expect(error.field == "line.displayName")

            error = try await client.error(
                .post,
                "/api/lines",
                json: #"{"number":"1001","maxCalls":"two"}"#,
                status: .badRequest
            )
            #expect(error.field == "line.maxCalls")
            #expect(error.message == "line maxCalls must be a whole number")

            try await client.request(.post, "/api/lines", json: #"{"number":"1001"}"#)
            error = try await client.error(.post, "/api/lines", json: #"{"number":"1001"}"#, status: .conflict)
            #expect(error.field == "line.number")
            error = try await client.error(
                .patch,
                "/api/lines/1001",
                json: ##"{"forwardBusy":"#1"}"##,
                status: .badRequest
            )
            #expect(error.field == "line.forwardBusy")
        }
        #expect(try await harness.store.lines().count == 1)
    }

    @Test func bodiesTooLargeAreRefused() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let big =
                #"{"number":"1001","displayName":""# + String(repeating: "x", count: AdminRoutes.maximumJSONBody)
                + "\"}"
            let error = try await client.error(.post, "/api/lines", json: big, status: .contentTooLarge)
            #expect(error.code == "payloadTooLarge")
        }
    }
}
