import CallControl
import Foundation
import Testing

@testable import Store

/// Two nodes on one PostgreSQL database (issue 19, item 1): a write made through one node reaches the other node's
/// subscribers through the change log, numbers handed out at once by both are never given twice, and both nodes'
/// call records land in the one table.
@Suite(.needsPostgres, .timeLimit(.minutes(1))) struct SharedDatabaseTests {
    private func twoNodes() throws -> (a: Store, b: Store) {
        let (first, second) = try TestPostgres.shared.get().makeSharedDatabase()
        return (Store(database: first, node: "a"), Store(database: second, node: "b"))
    }

    /// The next change on `changes`, or nil if none comes within `seconds`.
    private func next<Change: Sendable>(
        _ changes: AsyncStream<Change>,
        within seconds: Double = 10
    ) async -> Change? {
        await withTaskGroup(of: Change?.self) { group in
            group.addTask {
                var iterator = changes.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func aWriteOnOneNodeReachesTheOtherNodesCallCoreAndPresence() async throws {
        let (a, b) = try twoNodes()
        try await a.prepareToFollowOtherNodes()
        let (_, changes) = try await a.directoryAndChanges()
        let (_, presence) = try await a.presenceDirectoryAndChanges()
        let following = Task { try await a.followOtherNodes(every: .seconds(30)) }
        defer { following.cancel() }

        // The interval is 30 s: only the NOTIFY can bring these within the wait.
        let started = ContinuousClock.now
        try await b.insert(LineRecord(number: "4001", displayName: "From B"))
        let change = await next(changes)
        #expect(change.map(Change.init) == .upsertLine(LineConfiguration(number: "4001", displayName: "From B")))
        #expect(ContinuousClock.now - started < .seconds(10))

        let user = try await b.insert(UserRecord(name: "carol", displayName: "Carol"))
        let presenceChange = await next(presence)
        #expect(presenceChange == .upsertUser(user))
        #expect(try await a.lastChange()?.node == "b")
    }

    @Test func aNodeThatMissedTheNotificationsCatchesUpBySequenceNumber() async throws {
        let (a, b) = try twoNodes()
        try await a.prepareToFollowOtherNodes()
        let (_, changes) = try await a.directoryAndChanges()
        // Nobody listens while B writes.
        try await b.insert(LineRecord(number: "4002"))
        let phone = try await b.insert(DeviceRecord(name: "SEP000000004002"))
        try await b.setLines(["4002"], onDevice: try #require(phone.id))

        #expect(try await a.follower.check(a))
        var seen: [Change] = []
        while seen.count < 2, let change = await next(changes, within: 5) { seen.append(Change(change)) }
        #expect(seen.contains(.upsertLine(LineConfiguration(number: "4002"))))
        #expect(
            seen.contains(.upsertDevice(DeviceConfiguration(name: "SEP000000004002", lines: ["4002"])))
        )
        // A second check finds nothing new, and publishes nothing.
        #expect(try await a.follower.check(a) == false)
    }

    @Test func aNodesOwnWritesAreNotReadBackFromTheLog() async throws {
        let (a, _) = try twoNodes()
        try await a.prepareToFollowOtherNodes()
        try await a.insert(LineRecord(number: "4003"))
        #expect(try await a.follower.check(a) == false)
        #expect(try await a.lastChange()?.node == "a")
    }

    @Test func twoNodesHandingOutTheSameNumberAtOnceGiveItToOnePhone() async throws {
        let (a, b) = try twoNodes()
        let results = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await a.recordAutoRegistration(device: "SEP00000000A001", number: "1500")) != nil
            }
            group.addTask {
                (try? await b.recordAutoRegistration(device: "SEP00000000B001", number: "1500")) != nil
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        let directory = try await a.directory()
        let carriers = directory.devices.values.filter { $0.lines.contains("1500") }
        #expect(carriers.count == 1)
        // The refused phone gets another number on its next Register.
        let refused: DeviceName = carriers.first?.name == "SEP00000000A001" ? "SEP00000000B001" : "SEP00000000A001"
        let store = refused == "SEP00000000A001" ? a : b
        try await store.recordAutoRegistration(device: refused, number: "1501")
        #expect(try await b.directory().devices[refused]?.lines == ["1501"])
    }

    @Test func bothNodesCallRecordsAreInOneTableWithTheirNode() async throws {
        let (a, b) = try twoNodes()
        try await a.insertCallRecords([makeCallRecord(from: "1001", sequence: 1)])
        try await b.insertCallRecords([makeCallRecord(from: "2001", sequence: 2)])
        let records = try await a.database.backend.read { db in
            try db.fetchAll(CallDetailRecord.self, "SELECT * FROM callDetailRecord ORDER BY node")
        }
        #expect(records.map(\.node) == ["a", "b"])
        #expect(records.map(\.callingNumber) == ["1001", "2001"])
    }
}
