import CallControl
import Foundation
import GRDB
import Testing

@testable import Store

@Suite struct TrunkStoreTests {
    static func store() throws -> Store {
        Store(database: try makeTestDatabase())
    }

    @Test func trunksAreAddedReadChangedAndRemoved() async throws {
        let store = try Self.store()
        let carrier = TrunkRecord(
            name: "carrier",
            host: "sip.example.net",
            transport: .tls,
            registrationUser: "4930123",
            registrationPassword: "s3cret",
            inboundStrip: 3,
            defaultNumber: "1000"
        )
        try await store.insert(carrier)
        #expect(try await store.trunk(named: "CARRIER") == carrier)
        #expect(carrier.effectivePort == 5061)
        await #expect(throws: StoreError.self) { try await store.insert(carrier) }
        var changed = carrier
        changed.port = 5070
        try await store.update(changed)
        #expect(try await store.trunks() == [changed])
        try await store.deleteTrunk(named: "carrier")
        #expect(try await store.trunks().isEmpty)
    }

    @Test(arguments: [
        TrunkRecord(name: "bad name", host: "x"),
        TrunkRecord(name: "t", host: "0.0.0.0"),
        TrunkRecord(name: "t", host: "sip.example.net", port: 70_000),
        TrunkRecord(name: "t", host: "sip.example.net", registrationUser: "u"),
        TrunkRecord(name: "t", host: "sip.example.net", registrationUser: "u:x", registrationPassword: "p"),
        TrunkRecord(name: "t", host: "sip.example.net", registrationUser: "u", registrationPassword: "has space"),
        TrunkRecord(name: "t", host: "sip.example.net", acceptsInboundCredentials: true),
        TrunkRecord(name: "t", host: "sip.example.net", inboundStrip: 99),
        TrunkRecord(name: "t", host: "sip.example.net", defaultNumber: "12a"),
    ])
    func invalidTrunksAreRefusedWithTheField(_ trunk: TrunkRecord) async throws {
        let store = try Self.store()
        await #expect(throws: StoreError.self) { try await store.insert(trunk) }
    }

    /// A route pattern that names a trunk: stored with its manipulation, given to CallControl as a trunk target; the
    /// trunk cannot be removed while the pattern uses it.
    @Test func routePatternsCanSendCallsToATrunk() async throws {
        let store = try Self.store()
        try await store.insert(TrunkRecord(name: "carrier", host: "203.0.113.5"))
        let pattern = try await store.insert(
            RoutePatternRecord(pattern: "9.!", target: .trunk(name: "carrier", stripPreDot: true, prefix: "+49"))
        )
        #expect(
            try await store.routePatterns().first?.target == .trunk(name: "carrier", stripPreDot: true, prefix: "+49")
        )
        let directory = try await store.directory()
        #expect(
            directory.analyze("90301234", end: .endOfDialing)
                == .route(.trunk(TrunkRoute(trunk: "carrier", stripPreDot: true, prefix: "+49")))
        )
        #expect(try pattern.routePattern().outboundNumber(for: "90301234") == "+490301234")
        await #expect {
            try await store.deleteTrunk(named: "carrier")
        } throws: { ($0 as? StoreError)?.message.contains("9.!") == true }
        await #expect(throws: StoreError.self) {
            try await store.insert(
                RoutePatternRecord(pattern: "8.!", target: .trunk(name: "nowhere", stripPreDot: false, prefix: ""))
            )
        }
        await #expect(throws: StoreError.self) {
            try await store.insert(
                RoutePatternRecord(pattern: "8!", target: .trunk(name: "carrier", stripPreDot: true, prefix: ""))
            )
        }
        try await store.deleteRoutePattern(id: try #require(pattern.id))
        try await store.deleteTrunk(named: "carrier")
    }

    /// The migration keeps the route patterns of an older database.
    @Test(.sqliteOnly) func migrationKeepsExistingRoutePatterns() async throws {
        let queue = try DatabaseQueue(configuration: StrowgerDatabase.makeConfiguration())
        var migrator = StrowgerDatabase.migrator
        try migrator.migrate(queue, upTo: "addProvisioningSettings")
        try await queue.write { db in
            try db.execute(
                sql: "INSERT INTO routePattern (pattern, targetNumber, isBlocked) VALUES ('9.1XXX', '1001', 0)"
            )
            try db.execute(sql: "INSERT INTO routePattern (pattern, isBlocked) VALUES ('900!', 1)")
        }
        migrator = StrowgerDatabase.migrator
        try migrator.migrate(queue)
        let store = Store(database: try StrowgerDatabase(queue))
        let patterns = try await store.routePatterns()
        #expect(patterns.map(\.target) == [.number("1001"), .blocked])
    }

    @Test func trunkChangesArePublishedWhole() async throws {
        let store = try Self.store()
        let (initial, changes) = try await store.trunksAndChanges()
        #expect(initial.isEmpty)
        try await store.insert(TrunkRecord(name: "a", host: "192.0.2.1"))
        try await store.insert(TrunkRecord(name: "b", host: "192.0.2.2"))
        var iterator = changes.makeAsyncIterator()
        #expect(await iterator.next()?.map(\.name) == ["a"])
        #expect(await iterator.next()?.map(\.name) == ["a", "b"])
    }
}
