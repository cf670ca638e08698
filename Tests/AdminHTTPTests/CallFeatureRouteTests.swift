import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// Issue 12's routes: hunt and pickup groups, park and the other call-feature settings, MWI and DND, device DND,
/// live calls with every leg, and the CDR's redirect fields.
@Suite struct CallFeatureRouteTests {
    /// Lines 4001…4004; 4001 and 4002 on a phone each, 4003 shared by both.
    static func provision(_ client: APIClient) async throws {
        for number in ["4001", "4002", "4003", "4004"] {
            try await client.request(.post, "/api/lines", json: #"{"number":"\#(number)"}"#)
        }
        try await client.request(.post, "/api/devices", json: #"{"name":"SEP000000004001","lines":["4001","4003"]}"#)
        try await client.request(.post, "/api/devices", json: #"{"name":"SEP000000004002","lines":["4002","4003"]}"#)
    }

    @Test func huntGroupsCreateReadChangeDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await Self.provision(client)
            let created = try await client.value(
                AdminAPI.HuntGroup.self,
                .post,
                "/api/hunt-groups",
                json: #"{"pilot":"4000","members":["4001","4002","4003"]}"#,
                status: .created
            )
            #expect(created == AdminAPI.HuntGroup(pilot: "4000", members: ["4001", "4002", "4003"]))
            #expect(created.algorithm == "top-down")
            #expect(created.noAnswerTimeoutSeconds == 10)

            var group = try await client.value(
                AdminAPI.HuntGroup.self,
                .patch,
                "/api/hunt-groups/4000",
                json: #"{"algorithm":"longest-idle","members":["4003","4001"],"finalDestination":"4004"}"#
            )
            #expect(group.algorithm == "longest-idle")
            #expect(group.members == ["4003", "4001"])
            #expect(group.finalDestination == "4004")
            group = try await client.value(
                AdminAPI.HuntGroup.self,
                .patch,
                "/api/hunt-groups/4000",
                json: #"{"finalDestination":null,"noAnswerTimeoutSeconds":20,"pilot":"4100"}"#
            )
            #expect(
                group
                    == AdminAPI.HuntGroup(
                        pilot: "4100",
                        members: ["4003", "4001"],
                        algorithm: "longest-idle",
                        noAnswerTimeoutSeconds: 20
                    )
            )
            _ = try await client.error(.get, "/api/hunt-groups/4000", status: .notFound)
            #expect(try await client.value(AdminAPI.HuntGroup.self, .get, "/api/hunt-groups/4100") == group)
            #expect(try await client.value([AdminAPI.HuntGroup].self, .get, "/api/hunt-groups") == [group])

            #expect(try await client.request(.delete, "/api/hunt-groups/4100").status == .noContent)
            _ = try await client.error(.delete, "/api/hunt-groups/4100", status: .notFound)
            #expect(try await client.value([AdminAPI.HuntGroup].self, .get, "/api/hunt-groups").isEmpty)
        }
    }

    @Test func huntGroupErrorsNameTheField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await Self.provision(client)
            try await client.request(.post, "/api/hunt-groups", json: #"{"pilot":"4000","members":["4001"]}"#)
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (#"{"pilot":"4100"}"#, .badRequest, "huntGroup.members", "huntGroup members is required"),
                (
                    #"{"pilot":"4100","members":["4001"],"algorithm":"random"}"#, .badRequest, "huntGroup.algorithm",
                    "huntGroup algorithm must be one of top-down, circular, longest-idle, broadcast, not \"random\""
                ),
                (
                    #"{"pilot":"4100","members":["4001","4999"]}"#, .unprocessableContent, "huntGroup.members[1]",
                    "no line with number 4999"
                ),
                (
                    #"{"pilot":"4100","members":["4001","4001"]}"#, .badRequest, "huntGroup.members",
                    "huntGroup members lists 4001 twice"
                ),
                (
                    #"{"pilot":"4001","members":["4002"]}"#, .conflict, "huntGroup.pilot",
                    "huntGroup pilot 4001 is already a line"
                ),
                (
                    #"{"pilot":"4000","members":["4002"]}"#, .conflict, "huntGroup.pilot",
                    "a hunt group with pilot 4000 already exists"
                ),
                (
                    #"{"pilot":"4100","members":["4002"],"noAnswerTimeoutSeconds":"ten"}"#, .badRequest,
                    "huntGroup.noAnswerTimeoutSeconds", "must be a whole number"
                ),
            ]
            for (body, status, field, message) in cases {
                let error = try await client.error(.post, "/api/hunt-groups", json: body, status: status)
                #expect(error.field == field, "\(body)")
                #expect(error.message.contains(message), "\(body): \(error.message)")
            }
            let error = try await client.error(
                .patch,
                "/api/hunt-groups/4000",
                json: #"{"finalDestination":"4000"}"#,
                status: .badRequest
            )
            #expect(error.field == "huntGroup.finalDestination")
            _ = try await client.error(.patch, "/api/hunt-groups/4999", json: "{}", status: .notFound)
        }
    }

    @Test func pickupGroupsCreateReadChangeDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await Self.provision(client)
            let created = try await client.value(
                AdminAPI.PickupGroup.self,
                .post,
                "/api/pickup-groups",
                json: #"{"number":"5000","members":["4001","4002"]}"#,
                status: .created
            )
            #expect(created == AdminAPI.PickupGroup(number: "5000", members: ["4001", "4002"]))

            // A number belongs to at most one group.
            var error = try await client.error(
                .post,
                "/api/pickup-groups",
                json: #"{"number":"5100","members":["4003","4002"]}"#,
                status: .conflict
            )
            #expect(error.field == "pickupGroup.members")
            #expect(error.message.contains("line 4002 is already in pickup group 5000"))
            error = try await client.error(
                .post,
                "/api/pickup-groups",
                json: #"{"number":"4004","members":["4003"]}"#,
                status: .conflict
            )
            #expect(error.field == "pickupGroup.number")

            let changed = try await client.value(
                AdminAPI.PickupGroup.self,
                .patch,
                "/api/pickup-groups/5000",
                json: #"{"number":"5001","members":["4002","4003"]}"#
            )
            #expect(changed == AdminAPI.PickupGroup(number: "5001", members: ["4002", "4003"]))
            #expect(try await client.value([AdminAPI.PickupGroup].self, .get, "/api/pickup-groups") == [changed])
            _ = try await client.error(.get, "/api/pickup-groups/5000", status: .notFound)

            // A member line cannot be deleted while in a group.
            error = try await client.error(.delete, "/api/lines/4003", status: .conflict)
            #expect(error.message == "line 4003 is a member of pickup group 5001; take it out first")

            #expect(try await client.request(.delete, "/api/pickup-groups/5001").status == .noContent)
            #expect(try await client.request(.delete, "/api/lines/4003").status == .noContent)
        }
    }

    @Test func parkTransferAndDoNotDisturbSettings() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await Self.provision(client)
            var settings = try await client.value(AdminAPI.Settings.self, .get, "/api/settings")
            #expect(settings.parkSlots == "")
            #expect(settings.parkReversionSeconds == 60)
            #expect(settings.transferOnHook == false)
            #expect(settings.doNotDisturbMode == "ringer-off")

            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json:
                    #"{"parkSlots":"7000-7019","parkReversionSeconds":90,"transferOnHook":true,"doNotDisturbMode":"reject"}"#
            )
            #expect(settings.parkSlots == "7000-7019")
            #expect(settings.parkReversionSeconds == 90)
            #expect(settings.transferOnHook == true)
            #expect(settings.doNotDisturbMode == "reject")
            let stored = try await harness.store.settings()
            #expect(stored.parkSlots == 7000...7019)
            #expect(stored.callControlSettings.doNotDisturbMode == .reject)

            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (#"{"parkSlots":"70a0-7019"}"#, .badRequest, "settings.parkSlots", "must be FIRST-LAST like 7000-7019"),
                (#"{"parkSlots":"7000-"}"#, .badRequest, "settings.parkSlots", "must be FIRST-LAST"),
                (#"{"parkSlots":"990-1010"}"#, .badRequest, "settings.parkSlots", "same number of digits"),
                (#"{"parkSlots":"4000-4009"}"#, .conflict, "settings.parkSlots", "include 4001, which is a line"),
                (#"{"parkReversionSeconds":0}"#, .badRequest, "settings.parkReversionSeconds", "between 1 and 3600"),
                (
                    #"{"doNotDisturbMode":"silent"}"#, .badRequest, "settings.doNotDisturbMode",
                    "must be one of ringer-off, reject, not \"silent\""
                ),
                (#"{"transferOnHook":"yes"}"#, .badRequest, "settings.transferOnHook", "must be true or false"),
            ]
            for (body, status, field, message) in cases {
                let error = try await client.error(.patch, "/api/settings", json: body, status: status)
                #expect(error.field == field, "\(body)")
                #expect(error.message.contains(message), "\(body): \(error.message)")
            }
            #expect(try await harness.store.settings().parkSlots == 7000...7019, "nothing was stored")

            // A line on a slot is refused; one number is a one-slot range; "" turns park off.
            _ = try await client.error(.post, "/api/lines", json: #"{"number":"7005"}"#, status: .conflict)
            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json: #"{"parkSlots":"7000"}"#
            )
            #expect(settings.parkSlots == "7000-7000")
            settings = try await client.value(
                AdminAPI.Settings.self,
                .patch,
                "/api/settings",
                json: #"{"parkSlots":""}"#
            )
            #expect(settings.parkSlots == "")
            #expect(try await harness.store.settings().parkSlots == nil)
        }
    }

    @Test func messageWaitingAndDoNotDisturbByNumber() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await Self.provision(client)
            var line = try await client.value(
                AdminAPI.Line.self,
                .put,
                "/api/lines/4003/mwi",
                json: #"{"messageWaiting":true}"#
            )
            #expect(line.messageWaiting)
            #expect(try await harness.store.line(number: "4003")?.messageWaiting == true)
            line = try await client.value(
                AdminAPI.Line.self,
                .post,
                "/api/lines/4003/mwi",
                json: #"{"messageWaiting":false}"#
            )
            #expect(!line.messageWaiting)
            // The line's own PATCH takes it too.
            line = try await client.value(
                AdminAPI.Line.self,
                .patch,
                "/api/lines/4001",
                json: #"{"messageWaiting":true}"#
            )
            #expect(line.messageWaiting)

            // DND by number: every device that shows the shared line.
            line = try await client.value(
                AdminAPI.Line.self,
                .put,
                "/api/lines/4003/dnd",
                json: #"{"doNotDisturb":true}"#
            )
            #expect(line.doNotDisturbDevices == ["SEP000000004001", "SEP000000004002"])
            var device = try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP000000004001")
            #expect(device.doNotDisturb)
            line = try await client.value(AdminAPI.Line.self, .get, "/api/lines/4002")
            #expect(line.doNotDisturbDevices == ["SEP000000004002"], "DND is the device's: its other lines too")
            line = try await client.value(
                AdminAPI.Line.self,
                .put,
                "/api/lines/4001/dnd",
                json: #"{"doNotDisturb":false}"#
            )
            #expect(line.doNotDisturbDevices.isEmpty)
            device = try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP000000004002")
            #expect(device.doNotDisturb)

            var error = try await client.error(.put, "/api/lines/4003/dnd", json: "{}", status: .badRequest)
            #expect(error.field == "line.doNotDisturb")
            #expect(error.message == "line doNotDisturb is required")
            error = try await client.error(
                .put,
                "/api/lines/4003/mwi",
                json: #"{"messageWaiting":"yes"}"#,
                status: .badRequest
            )
            #expect(error.field == "line.messageWaiting")
            error = try await client.error(
                .put,
                "/api/lines/4999/mwi",
                json: #"{"messageWaiting":true}"#,
                status: .notFound
            )
            #expect(error.field == "line.number")
            error = try await client.error(
                .put,
                "/api/lines/4004/dnd",
                json: #"{"doNotDisturb":true}"#,
                status: .conflict
            )
            #expect(error.message.contains("line 4004 is on no device"))
        }
    }

    @Test func deviceDoNotDisturb() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            var device = try await client.value(
                AdminAPI.Device.self,
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","doNotDisturb":true}"#,
                status: .created
            )
            #expect(device.doNotDisturb)
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"description":"lobby"}"#
            )
            #expect(device.doNotDisturb, "a patch without it keeps it")
            device = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"doNotDisturb":false}"#
            )
            #expect(!device.doNotDisturb)
            #expect(try await harness.store.device(named: "SEP001122334455")?.doNotDisturb == false)
        }
    }

    /// What the admin API writes reaches a running core: a hunt group routes, a pickup group is known, park slots are
    /// dialable, MWI and DND are in the directory.
    @Test func changesReachCallControl() async throws {
        let harness = try await APIHarness.make()
        let (directory, changes) = try await harness.store.directoryAndChanges()
        var core = CallControlCore(directory: directory)
        try await harness.test { client in
            try await Self.provision(client)
            try await client.request(.post, "/api/hunt-groups", json: #"{"pilot":"4000","members":["4001","4002"]}"#)
            try await client.request(.post, "/api/pickup-groups", json: #"{"number":"5000","members":["4001"]}"#)
            try await client.request(.patch, "/api/settings", json: #"{"parkSlots":"7000-7009"}"#)
            try await client.request(.put, "/api/lines/4002/mwi", json: #"{"messageWaiting":true}"#)
            try await client.request(.put, "/api/lines/4003/dnd", json: #"{"doNotDisturb":true}"#)
        }
        harness.store.finishChanges()
        for await change in changes { _ = core.handle(.directoryChanged(change), at: .zero) }
        #expect(core.directory.dialTarget("4000") == .huntPilot(HuntGroup(pilot: "4000", members: ["4001", "4002"])))
        #expect(core.directory.pickupGroup(ofMember: "4001")?.number == "5000")
        #expect(core.directory.dialTarget("7009") == .parkSlot("7009"))
        #expect(core.directory.lines["4002"]?.messageWaiting == true)
        #expect(core.directory.devices["SEP000000004001"]?.doNotDisturb == true)
        #expect(core.directory.devices["SEP000000004002"]?.doNotDisturb == true)
    }

    @Test func liveCallsListEveryLeg() async throws {
        let harness = try await APIHarness.make()
        let legs = [
            AdminAPI.CallParty(device: "SEP000000001001", number: "1001", reference: 7, state: "ringingOut", line: 1),
            AdminAPI.CallParty(device: "SEP000000004001", number: "4003", reference: 8, state: "ringingIn", line: 2),
            AdminAPI.CallParty(device: "SEP000000004002", number: "4003", reference: 9, state: "ringingIn", line: 2),
        ]
        let broadcast = try #require(AdminAPI.ActiveCall(id: 3, legs: legs, dialing: "4000", huntPilot: "4000"))
        let twoParty = AdminAPI.ActiveCall(
            caller: AdminAPI.CallParty(device: "SEP000000001002", number: "1002", reference: 1, state: "connected"),
            callee: AdminAPI.CallParty(device: "SEP000000001003", number: "1003", reference: 2, state: "connected")
        )
        #expect(AdminAPI.ActiveCall(id: 1, legs: []) == nil)
        await harness.live.set(devices: [], calls: [broadcast, twoParty])
        try await harness.test { client in
            try await client.request(.post, "/api/lines", json: #"{"number":"4003"}"#)
            let calls = try await client.value([AdminAPI.ActiveCall].self, .get, "/api/status/calls")
            #expect(calls == [broadcast, twoParty])
            #expect(calls[0].legs.count == 3)
            #expect(calls[0].caller == legs[0])
            #expect(calls[0].callee == legs[1], "older clients see the first two legs")
            #expect(calls[1].legs.map(\.number) == ["1002", "1003"])

            // Older JSON without legs still decodes, with the caller and callee as its legs.
            let old = try AdminAPI.makeDecoder().decode(
                AdminAPI.ActiveCall.self,
                from: Data(
                    #"{"caller":{"device":"SEP000000001002","number":"1002","reference":1,"state":"dialing"}}"#.utf8
                )
            )
            #expect(old.legs.map(\.reference) == [1])

            // A line's live calls count every leg on it.
            let lines = try await client.value([AdminAPI.LineStatus].self, .get, "/api/status/lines")
            #expect(lines.first { $0.number == "4003" }?.activeCalls == 2)
        }
    }

    @Test func callRecordsCarryTheirCallAndRedirect() async throws {
        let harness = try await APIHarness.make()
        let setup = Date(timeIntervalSince1970: 1_767_261_600)
        func record(_ called: String, at offset: TimeInterval, callID: Int64?) -> CallDetailRecord {
            CallDetailRecord(
                callingDevice: "SEP000000001001",
                callingNumber: "1001",
                callingReference: 1,
                dialedNumber: "1002",
                calledNumber: called,
                calledDevice: "SEP000000001003",
                calledReference: 2,
                setupTime: setup.addingTimeInterval(offset),
                answerTime: setup.addingTimeInterval(offset + 2),
                endTime: setup.addingTimeInterval(offset + 30),
                endCause: .normalClearing,
                releasedBy: .caller,
                codec: .g711ulaw,
                callID: callID
            )
        }
        var transferred = record("1003", at: 10, callID: 42)
        transferred.originalCalledNumber = "1002"
        transferred.redirectReason = .transfer
        transferred.redirectingNumber = "1002"
        try await harness.store.insert(transferred)
        try await harness.store.insert(record("1002", at: 0, callID: 42))
        try await harness.store.insert(record("1009", at: 20, callID: nil))
        try await harness.test { client in
            let all = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs")
            #expect(all.map(\.calledNumber) == ["1009", "1003", "1002"])
            #expect(all[1].callID == 42)
            #expect(all[1].redirectReason == "transfer")
            #expect(all[1].redirectingNumber == "1002")
            #expect(all[1].originalCalledNumber == "1002")
            #expect(all[0].callID == nil)
            #expect(all[0].redirectReason == nil)

            let story = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs?callId=42")
            #expect(story.map(\.calledNumber) == ["1003", "1002"])
            let error = try await client.error(.get, "/api/cdrs?callId=forty", status: .badRequest)
            #expect(error.field == "callId")

            // The JSON key is `callId`, like the other ids of the API.
            let response = try await client.request(.get, "/api/cdrs?callId=42")
            #expect(String(buffer: response.body).contains(#""callId":42"#))
        }
    }
}
