import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct StatusRouteTests {
    static let alice = AdminAPI.RegisteredDevice(
        name: "SEP001122334455",
        address: "127.0.0.1:50000",
        model: "7960",
        protocolVersion: 11,
        lines: ["1001"],
        activeCalls: 1
    )
    static let call = AdminAPI.ActiveCall(
        caller: AdminAPI.CallParty(device: "SEP001122334455", number: "1001", reference: 1, state: "ringingOut"),
        callee: AdminAPI.CallParty(device: "SEP00112233AAAA", number: "1002", reference: 2, state: "ringingIn")
    )

    @Test func statusCountsLiveAndStored() async throws {
        let harness = try await APIHarness.make()
        await harness.live.set(devices: [Self.alice], calls: [Self.call])
        try await harness.test { client in
            try await client.request(.post, "/api/lines", json: #"{"number":"1001"}"#)
            try await client.request(.post, "/api/lines", json: #"{"number":"1002"}"#)
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP001122334455","lines":["1001"]}"#)
            try await client.request(.post, "/api/devices", json: #"{"name":"SEP00112233AAAA","lines":["1002"]}"#)
            let status = try await client.value(AdminAPI.Status.self, .get, "/api/status")
            #expect(status.version == "9.9.9-test")
            #expect(status.registeredDevices == 1)
            #expect(status.activeCalls == 1)
            #expect(status.devices == 2)
            #expect(status.lines == 2)
            #expect(status.callRecords == 0)

            #expect(
                try await client.value([AdminAPI.RegisteredDevice].self, .get, "/api/status/devices") == [Self.alice]
            )
            #expect(try await client.value([AdminAPI.ActiveCall].self, .get, "/api/status/calls") == [Self.call])

            let lines = try await client.value([AdminAPI.LineStatus].self, .get, "/api/status/lines")
            #expect(lines.map(\.number) == ["1001", "1002"])
            #expect(lines[0].registeredDevices == ["SEP001122334455"])
            #expect(lines[0].activeCalls == 1)
            #expect(lines[1].devices == ["SEP00112233AAAA"])
            #expect(lines[1].registeredDevices.isEmpty)
        }
    }

    @Test func aFailingLiveStatusIs503() async throws {
        let harness = try await APIHarness.make()
        await harness.live.setFailing(true)
        try await harness.test { client in
            for path in ["/api/status", "/api/status/devices", "/api/status/calls", "/api/status/lines"] {
                let error = try await client.error(.get, path, status: .serviceUnavailable)
                #expect(error.code == "unavailable")
            }
            // Configuration still works.
            #expect(try await client.request(.get, "/api/devices").status == .ok)
        }
    }

    @Test func callDetailRecords() async throws {
        let harness = try await APIHarness.make()
        let base = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        for (offset, (from, to, cause)) in [
            ("1001", "1002", "normalClearing"), ("1002", "1003", "busy"), ("1003", "1001", "abandoned"),
        ]
        .enumerated() {
            let setup = base.addingTimeInterval(Double(offset) * 3600)
            try await harness.store.insert(
                CallDetailRecord(
                    callingDevice: "SEP00000000000\(offset)",
                    callingNumber: from,
                    callingReference: Int64(offset + 1),
                    dialedNumber: to,
                    calledNumber: to,
                    calledDevice: "SEP11111111111\(offset)",
                    calledReference: Int64(offset + 10),
                    setupTime: setup,
                    answerTime: cause == "normalClearing" ? setup.addingTimeInterval(2) : nil,
                    endTime: setup.addingTimeInterval(62),
                    endCause: CallDetailRecord.EndCause(rawValue: cause) ?? .normalClearing,
                    releasedBy: .caller,
                    codec: .g711ulaw
                )
            )
        }
        try await harness.test { client in
            var records = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs")
            #expect(records.map(\.endCause) == ["abandoned", "busy", "normalClearing"])
            #expect(records.last?.durationSeconds == 60)
            #expect(records.last?.setupTime == base)
            #expect(records.first?.durationSeconds == 0)

            records = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs?number=1001")
            #expect(records.map(\.endCause) == ["abandoned", "normalClearing"])

            records = try await client.value(
                [AdminAPI.CallRecord].self,
                .get,
                "/api/cdrs?from=2026-01-01T00:30:00Z&to=2026-01-01T02:00:00.000Z"
            )
            #expect(records.map(\.endCause) == ["busy"])

            records = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs?limit=1")
            #expect(records.count == 1)
            records = try await client.value([AdminAPI.CallRecord].self, .get, "/api/cdrs?from=2026-01-02")
            #expect(records.isEmpty)

            var error = try await client.error(.get, "/api/cdrs?from=yesterday", status: .badRequest)
            #expect(error.field == "from")
            error = try await client.error(.get, "/api/cdrs?to=2026-13-01", status: .badRequest)
            #expect(error.field == "to")
            error = try await client.error(.get, "/api/cdrs?limit=0", status: .badRequest)
            #expect(error.field == "limit")
        }
    }

    @Test func metrics() async throws {
        let harness = try await APIHarness.make()
        await harness.live.set(devices: [Self.alice], calls: [Self.call])
        harness.metrics.callEnded(cause: "normalClearing")
        harness.metrics.callEnded(cause: "normalClearing")
        harness.metrics.callEnded(cause: "busy")
        let collected = CollectorProbe()
        harness.metrics.addCollector { await collected.mark() }
        try await harness.test { client in
            let response = try await client.request(.get, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains("strowger_registered_devices 1"))
            #expect(text.contains("strowger_active_calls 1"))
            #expect(text.contains(#"strowger_calls_total{cause="normalClearing"} 2"#))
            #expect(text.contains(#"strowger_calls_total{cause="busy"} 1"#))
            #expect(text.contains("# TYPE strowger_calls_total counter"))
        }
        #expect(await collected.count == 1)
    }

    actor CollectorProbe {
        var count = 0
        func mark() { count += 1 }
    }
}
