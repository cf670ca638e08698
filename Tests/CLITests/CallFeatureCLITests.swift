import AdminHTTP
import CallControl
import Foundation
import Store
import Testing

/// Issue 12 from the command line: `strowger hunt|pickup|park`, `line mwi|dnd`, `settings set --transfer-on-hook
/// --dnd-mode`, `device update --dnd`, `show calls` with every leg and `cdr list` with the redirect, run as the built
/// binary against a live admin API.
@Suite(.serialized) struct CallFeatureCLITests {
    /// Lines 4001…4004; 4001 and 4002 on a phone each, 4003 shared by both.
    static func provision(_ harness: CLIHarness) async throws {
        for number in ["4001", "4002", "4003", "4004"] {
            try await harness.store.insert(LineRecord(number: number))
        }
        try await harness.store.save(DeviceRecord(name: "SEP000000004001"), lines: ["4001", "4003"], speedDials: nil)
        try await harness.store.save(DeviceRecord(name: "SEP000000004002"), lines: ["4002", "4003"], speedDials: nil)
    }

    @Test func huntGroups() async throws {
        try await CLIHarness.withServer { harness in
            try await Self.provision(harness)
            var output = try await harness.succeed([
                "hunt", "add", "4000", "--members", "4001, 4002,4003", "--algorithm", "circular", "--no-answer", "8",
                "--final", "4004",
            ])
            #expect(output == "Added hunt group 4000 (circular): 4001, 4002, 4003\n")
            let stored = try #require(try await harness.store.huntGroupDetails(pilot: "4000").first)
            #expect(
                stored.huntGroup
                    == HuntGroup(
                        pilot: "4000",
                        members: ["4001", "4002", "4003"],
                        algorithm: .circular,
                        noAnswerTimeout: .seconds(8),
                        finalDestination: "4004"
                    )
            )

            output = try await harness.succeed(["hunt", "list"])
            #expect(output.contains("4000   circular   4001,4002,4003  8 s        4004"), "\(output)")
            output = try await harness.succeed(["hunt", "show", "4000"])
            #expect(output.contains("Algorithm:         circular"), "\(output)")
            #expect(output.contains("No answer:         8 s per member"), "\(output)")
            let json = try await harness.succeed(["hunt", "show", "4000", "--json"])
            let decoded = try AdminAPI.makeDecoder().decode(AdminAPI.HuntGroup.self, from: Data(json.utf8))
            #expect(decoded.members == ["4001", "4002", "4003"])

            output = try await harness.succeed([
                "hunt", "update", "4000", "--members", "4003", "--algorithm", "broadcast", "--final", "none",
            ])
            #expect(output.contains("Final destination: - (busy)"), "\(output)")
            #expect(try await harness.store.huntGroupDetails(pilot: "4000").first?.members == ["4003"])
            #expect(try await harness.store.huntGroupDetails(pilot: "4000").first?.group.finalDestination == nil)

            // Bad arguments say what was wrong.
            var error = try await harness.fail(["hunt", "add", "4100", "--members", "4001,,4002"])
            #expect(error.contains("--members must be directory numbers separated by commas"), "\(error)")
            error = try await harness.fail(["hunt", "add", "4100", "--members", "4001", "--algorithm", "random"])
            #expect(error.contains("random"), "\(error)")
            #expect(error.contains("top-down"), "\(error)")
            error = try await harness.fail(["hunt", "add", "4001", "--members", "4002"])
            #expect(error.contains("huntGroup pilot 4001 is already a line"), "\(error)")
            error = try await harness.fail(["hunt", "add", "4100", "--members", "4999"])
            #expect(error.contains("no line with number 4999"), "\(error)")
            error = try await harness.fail(["hunt", "add", "4100", "--members", "4001", "--no-answer", "0"])
            #expect(error.contains("huntGroup noAnswerTimeoutSeconds must be between 1 and 300"), "\(error)")
            error = try await harness.fail(["hunt", "show", "4999"])
            #expect(error.contains("no hunt group with pilot \"4999\""), "\(error)")
            error = try await harness.fail(["hunt", "update", "4000"])
            #expect(error.contains("nothing to change"), "\(error)")

            #expect(try await harness.succeed(["hunt", "remove", "4000"]) == "Removed hunt group 4000\n")
            #expect(try await harness.succeed(["hunt", "list"]) == "No hunt groups are configured.\n")
            let none = try await harness.succeed(["hunt", "list", "--json"])
            #expect(try AdminAPI.makeDecoder().decode([AdminAPI.HuntGroup].self, from: Data(none.utf8)).isEmpty)
        }
    }

    @Test func pickupGroups() async throws {
        try await CLIHarness.withServer { harness in
            try await Self.provision(harness)
            var output = try await harness.succeed(["pickup", "add", "5000", "--members", "4001,4002"])
            #expect(output == "Added pickup group 5000: 4001, 4002\n")
            output = try await harness.succeed(["pickup", "list"])
            #expect(output.contains("5000   4001,4002"), "\(output)")

            var error = try await harness.fail(["pickup", "add", "5100", "--members", "4002"])
            #expect(error.contains("line 4002 is already in pickup group 5000"), "\(error)")
            error = try await harness.fail(["pickup", "add", "4003", "--members", "4004"])
            #expect(error.contains("pickupGroup number 4003 is already a line"), "\(error)")
            error = try await harness.fail(["pickup", "add", "5100"])
            #expect(error.contains("--members"), "\(error)")

            output = try await harness.succeed(["pickup", "update", "5000", "--members", "4003", "--json"])
            let group = try AdminAPI.makeDecoder().decode(AdminAPI.PickupGroup.self, from: Data(output.utf8))
            #expect(group == AdminAPI.PickupGroup(number: "5000", members: ["4003"]))
            #expect(try await harness.store.pickupGroupDetails(number: "5000").first?.members == ["4003"])

            #expect(try await harness.succeed(["pickup", "remove", "5000"]) == "Removed pickup group 5000\n")
            #expect(try await harness.store.pickupGroupDetails().isEmpty)
        }
    }

    @Test func parkAndTheCallSettings() async throws {
        try await CLIHarness.withServer { harness in
            try await Self.provision(harness)
            var output = try await harness.succeed(["park", "show"])
            #expect(output.contains("Park slots: off"), "\(output)")
            output = try await harness.succeed(["park", "set", "--range", "7000-7019", "--reversion", "90"])
            #expect(output.contains("Park slots: 7000-7019"), "\(output)")
            #expect(output.contains("Reversion:  90 s"), "\(output)")
            #expect(try await harness.store.settings().parkSlots == 7000...7019)
            #expect(try await harness.store.settings().parkReversionSeconds == 90)
            let json = try await harness.succeed(["park", "show", "--json"])
            #expect(json.contains("\"slots\" : \"7000-7019\""), "\(json)")
            #expect(json.contains("\"reversionSeconds\" : 90"), "\(json)")

            var error = try await harness.fail(["park", "set", "--range", "70x0"])
            #expect(error.contains("--range must be FIRST-LAST like 7000-7019"), "\(error)")
            error = try await harness.fail(["park", "set", "--range", "990-1010"])
            #expect(error.contains("same number of digits"), "\(error)")
            error = try await harness.fail(["park", "set", "--range", "4000-4009"])
            #expect(error.contains("include 4001, which is a line"), "\(error)")
            error = try await harness.fail(["park", "set"])
            #expect(error.contains("give --range, --reversion or both"), "\(error)")

            output = try await harness.succeed(["settings", "set", "--transfer-on-hook", "on", "--dnd-mode", "reject"])
            #expect(output.contains("Transfer on-hook:  on"), "\(output)")
            #expect(output.contains("DND mode:          reject"), "\(output)")
            #expect(output.contains("Call park:         7000-7019, reverts after 90 s"), "\(output)")
            let settings = try await harness.store.settings()
            #expect(settings.transferOnHook)
            #expect(settings.doNotDisturbMode == .reject)
            error = try await harness.fail(["settings", "set", "--dnd-mode", "silent"])
            #expect(error.contains("silent"), "\(error)")
            #expect(error.contains("ringer-off"), "\(error)")
            error = try await harness.fail(["settings", "set", "--transfer-on-hook", "yes"])
            #expect(error.contains("yes"), "\(error)")

            output = try await harness.succeed(["park", "off"])
            #expect(output.contains("Park slots: off"), "\(output)")
            #expect(try await harness.store.settings().parkSlots == nil)
        }
    }

    @Test func messageWaitingAndDoNotDisturb() async throws {
        try await CLIHarness.withServer { harness in
            try await Self.provision(harness)
            var output = try await harness.succeed(["line", "mwi", "4003", "on"])
            #expect(output == "Message waiting on for line 4003 on SEP000000004001,SEP000000004002\n")
            #expect(try await harness.store.line(number: "4003")?.messageWaiting == true)
            output = try await harness.succeed(["line", "mwi", "4004", "on"])
            #expect(output.contains("(no phone shows it yet)"), "\(output)")
            _ = try await harness.succeed(["line", "mwi", "4003", "off"])
            #expect(try await harness.store.line(number: "4003")?.messageWaiting == false)

            output = try await harness.succeed(["line", "dnd", "4003", "on"])
            #expect(output == "Do not disturb on for line 4003 on SEP000000004001,SEP000000004002\n")
            #expect(try await harness.store.device(named: "SEP000000004001")?.doNotDisturb == true)
            #expect(try await harness.store.device(named: "SEP000000004002")?.doNotDisturb == true)
            output = try await harness.succeed(["line", "show", "4001"])
            #expect(output.contains("Do not disturb:    on SEP000000004001"), "\(output)")
            #expect(output.contains("Message waiting:   off"), "\(output)")
            let json = try await harness.succeed(["line", "dnd", "4001", "off", "--json"])
            let line = try AdminAPI.makeDecoder().decode(AdminAPI.Line.self, from: Data(json.utf8))
            #expect(line.doNotDisturbDevices.isEmpty)
            #expect(try await harness.store.device(named: "SEP000000004002")?.doNotDisturb == true)

            // On a device directly.
            _ = try await harness.succeed(["device", "update", "SEP000000004002", "--dnd", "off"])
            #expect(try await harness.store.device(named: "SEP000000004002")?.doNotDisturb == false)
            output = try await harness.succeed(["device", "show", "SEP000000004002"])
            #expect(output.contains("Do not disturb:  off"), "\(output)")

            var error = try await harness.fail(["line", "mwi", "4001", "maybe"])
            #expect(error.contains("maybe"), "\(error)")
            error = try await harness.fail(["line", "dnd", "4004", "on"])
            #expect(error.contains("line 4004 is on no device"), "\(error)")
            error = try await harness.fail(["line", "mwi", "4999", "on"])
            #expect(error.contains("no line with number \"4999\""), "\(error)")
        }
    }

    @Test func showCallsListsEveryLeg() async throws {
        try await CLIHarness.withServer { harness in
            let legs = [
                AdminAPI.CallParty(device: "SEP000000001001", number: "1001", reference: 7, state: "ringingOut"),
                AdminAPI.CallParty(device: "SEP000000004001", number: "4003", reference: 8, state: "ringingIn"),
                AdminAPI.CallParty(device: "SEP000000004002", number: "4003", reference: 9, state: "ringingIn"),
            ]
            let call = try #require(AdminAPI.ActiveCall(id: 12, legs: legs, dialing: "4000", huntPilot: "4000"))
            await harness.live.set(devices: [], calls: [call])
            let output = try await harness.succeed(["show", "calls"])
            let rows = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(rows.count == 5, "\(output)")
            #expect(rows[2] == "12    SEP000000001001  1001    ringingOut  dialled 4000, hunt group 4000")
            #expect(rows[3] == "SEP000000004001  4003    ringingIn")
            #expect(rows[4] == "SEP000000004002  4003    ringingIn")

            let json = try await harness.succeed(["show", "calls", "--json"])
            let calls = try AdminAPI.makeDecoder().decode([AdminAPI.ActiveCall].self, from: Data(json.utf8))
            #expect(calls == [call])
            #expect(calls.first?.legs.map(\.device) == legs.map(\.device))
        }
    }

    @Test func cdrListTellsTheStoryOfACall() async throws {
        try await CLIHarness.withServer { harness in
            let setup = Date(timeIntervalSince1970: 1_767_261_600)  // 2026-01-01T10:00:00Z
            func record(
                _ dialed: String,
                _ called: String,
                at offset: TimeInterval,
                cause: CallDetailRecord.EndCause = .normalClearing,
                reason: CallDetailRecord.RedirectReason? = nil,
                by: String? = nil,
                original: String? = nil
            ) -> CallDetailRecord {
                CallDetailRecord(
                    callingDevice: "SEP000000001001",
                    callingNumber: "1001",
                    callingReference: 1,
                    dialedNumber: dialed,
                    calledNumber: called,
                    calledDevice: "SEP000000001002",
                    calledReference: 2,
                    setupTime: setup.addingTimeInterval(offset),
                    answerTime: setup.addingTimeInterval(offset + 2),
                    endTime: setup.addingTimeInterval(offset + 12),
                    endCause: cause,
                    releasedBy: .caller,
                    codec: .g711ulaw,
                    callID: 42,
                    originalCalledNumber: original,
                    redirectReason: reason,
                    redirectingNumber: by
                )
            }
            // 1001 calls 1002, who transfers to 1003; 1003 parks it and 1004 retrieves it from 7001.
            try await harness.store.insert(record("1002", "1002", at: 0, cause: .redirected))
            try await harness.store.insert(
                record("1002", "1003", at: 20, cause: .redirected, reason: .transfer, by: "1002", original: "1002")
            )
            try await harness.store.insert(record("1002", "1004", at: 40, reason: .park, by: "1003", original: "1002"))
            try await harness.store.insert(
                CallDetailRecord(
                    callingDevice: "SEP000000001009",
                    callingNumber: "1009",
                    callingReference: 5,
                    dialedNumber: "4000",
                    calledNumber: "4002",
                    calledDevice: nil,
                    calledReference: nil,
                    setupTime: setup.addingTimeInterval(60),
                    answerTime: nil,
                    endTime: setup.addingTimeInterval(70),
                    endCause: .abandoned,
                    releasedBy: .caller,
                    codec: nil,
                    callID: 43,
                    originalCalledNumber: "4000",
                    redirectReason: .hunt,
                    redirectingNumber: "4000"
                )
            )

            let story = try await harness.succeed(["cdr", "list", "--call", "42"])
            let rows = story.split(separator: "\n")
            // The Trunk column (issue 15) is `-` for calls between phones.
            #expect(rows.count == 5, "\(story)")
            #expect(rows[2].hasSuffix("park by 1003 (first 1002)  -      42"), "\(story)")
            #expect(rows[3].hasSuffix("transfer by 1002           -      42"), "\(story)")
            #expect(rows[3].contains("1002    1003  SEP000000001002  10.0 s    redirected"), "\(story)")
            #expect(rows[4].hasSuffix("caller       -                          -      42"), "\(story)")
            #expect(rows[4].contains("redirected"), "\(story)")

            let all = try await harness.succeed(["cdr", "list"])
            #expect(all.contains("abandoned       caller       hunt via 4000"), "\(all)")
            let json = try await harness.succeed(["cdr", "list", "--call", "43", "--json"])
            #expect(json.contains("\"redirectReason\" : \"hunt\""), "\(json)")
            #expect(json.contains("\"callId\" : 43"), "\(json)")
            let error = try await harness.fail(["cdr", "list", "--call", "x"])
            #expect(error.contains("x"), "\(error)")
        }
    }
}
