import Foundation
import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/status`: the server at a glance, registered phones, live calls and lines.
    func addStatusRoutes(to api: RouterGroup<Context>) {
        let store = self.store
        let live = self.live
        let version = self.version
        let startedAt = self.startedAt
        api.get("status") { _, _ in
            let counts = try await liveValue { try await live.counts() }
            let stored = try await store.counts()
            return try Self.json(
                AdminAPI.Status(
                    version: version,
                    startedAt: startedAt,
                    registeredDevices: counts.registeredDevices,
                    activeCalls: counts.activeCalls,
                    devices: stored.devices,
                    lines: stored.lines,
                    users: stored.users,
                    routePatterns: stored.routePatterns,
                    callRecords: stored.callDetailRecords
                )
            )
        }
        api.get("status/devices") { _, _ in
            try Self.json(try await liveValue { try await live.registeredDevices() })
        }
        api.get("status/calls") { _, _ in
            try Self.json(try await liveValue { try await live.activeCalls() })
        }
        api.get("status/lines") { _, _ in
            let registered = Set(try await liveValue { try await live.registeredDevices() }.map(\.name))
            let calls = try await liveValue { try await live.activeCalls() }
            var legs: [String: Int] = [:]
            for call in calls {
                for party in call.legs {
                    if let number = party.number { legs[number, default: 0] += 1 }
                }
            }
            let lines = try await store.lineDetails().map { details in
                AdminAPI.LineStatus(
                    number: details.line.number,
                    displayName: details.line.displayName,
                    devices: details.devices,
                    registeredDevices: details.devices.filter(registered.contains),
                    activeCalls: legs[details.line.number] ?? 0,
                    forwardAll: details.line.forwardAll
                )
            }
            return try Self.json(lines)
        }
    }

    /// `/api/cdrs?number=&from=&to=&limit=&callId=`: call detail records, newest first.
    func addCallRecordRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { request, _ in
            let query = request.uri.queryParameters
            func date(_ name: String) throws -> Date? {
                guard let text = query.get(name), !text.isEmpty else { return nil }
                guard let date = AdminAPI.parseDate(text) else {
                    throw AdminAPIError.invalidValue(
                        name,
                        "\(name) must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T09:00:00Z, not \"\(text)\""
                    )
                }
                return date
            }
            let from = try date("from")
            let to = try date("to")
            var limit = 100
            if let text = query.get("limit") {
                guard let value = Int(text), (1...10_000).contains(value) else {
                    throw AdminAPIError.invalidValue(
                        "limit",
                        "limit must be a whole number between 1 and 10000, not \"\(text)\""
                    )
                }
                limit = value
            }
            let number = query.get("number").flatMap { $0.isEmpty ? nil : $0 }
            var callID: Int64?
            if let text = query.get("callId"), !text.isEmpty {
                guard let value = Int64(text), value >= 0 else {
                    throw AdminAPIError.invalidValue("callId", "callId must be a whole number, not \"\(text)\"")
                }
                callID = value
            }
            let records = try await store.callDetailRecords(
                number: number,
                from: from,
                to: to,
                limit: limit,
                callID: callID
            )
            return try Self.json(records.map(Self.callRecord))
        }
    }

    static func callRecord(_ record: CallDetailRecord) -> AdminAPI.CallRecord {
        AdminAPI.CallRecord(
            id: record.id ?? 0,
            callingDevice: record.callingDevice,
            callingNumber: record.callingNumber,
            dialedNumber: record.dialedNumber,
            calledNumber: record.calledNumber,
            calledDevice: record.calledDevice,
            setupTime: record.setupTime,
            answerTime: record.answerTime,
            endTime: record.endTime,
            durationSeconds: record.answerTime.map { max(0, record.endTime.timeIntervalSince($0)) } ?? 0,
            endCause: record.endCause.rawValue,
            releasedBy: record.releasedBy.rawValue,
            codec: record.codec?.rawValue,
            callID: record.callID,
            originalCalledNumber: record.originalCalledNumber,
            redirectReason: record.redirectReason?.rawValue,
            redirectingNumber: record.redirectingNumber,
            trunk: record.trunk,
            sipStatus: record.sipStatus
        )
    }
}
