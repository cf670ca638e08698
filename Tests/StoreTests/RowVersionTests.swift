import Testing

@testable import Store

/// Issue 19: rows administrators edit carry a version, so that two administrators (or two nodes) cannot silently
/// overwrite each other. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (`makeStore`).
@Suite("Row versions")
struct RowVersionTests {
    @Test("A new line and device start at version 1 and each update raises it by one")
    func versionIncreasesByOnePerUpdate() async throws {
        let store = try makeStore()
        var line = try await store.insert(LineRecord(number: "1001"))
        #expect(line.version == 1)
        for expected in Int64(2)...4 {
            line.displayName = "Alice \(expected)"
            line = try await store.update(line)
            #expect(line.version == expected)
            #expect(try await store.line(number: "1001")?.version == expected)
        }
        var device = try await store.insert(DeviceRecord(name: "SEP000000000001"))
        #expect(device.version == 1)
        device.description = "lobby"
        device = try await store.update(device)
        #expect(device.version == 2)
        device = try await store.save(device, lines: ["1001"], speedDials: nil)
        #expect(device.version == 3)
        #expect(try await store.device(named: "SEP000000000001")?.version == 3)
    }

    @Test("An update from a stale read is refused with a conflict and the row is left as it was")
    func staleVersionIsRefused() async throws {
        let store = try makeStore()
        let read = try await store.insert(LineRecord(number: "1001", displayName: "Reception"))
        var first = read
        first.displayName = "Front desk"
        try await store.update(first)

        var stale = read
        stale.forwardAll = "2000"
        let error = await #expect(throws: StoreError.self) { try await store.update(stale) }
        #expect(error?.code == .conflict)
        #expect(error?.field == "line.version")
        #expect(
            error?.message
                == "line 1001 was changed by someone else since it was read (now version 2, not 1); "
                + "read it again and retry"
        )
        let stored = try #require(try await store.line(number: "1001"))
        #expect(stored.displayName == "Front desk")
        #expect(stored.forwardAll == nil)
        #expect(stored.version == 2)

        let device = try await store.insert(DeviceRecord(name: "SEP000000000002", description: "old"))
        var newer = device
        newer.description = "new"
        try await store.update(newer)
        var staleDevice = device
        staleDevice.model = "7970"
        let deviceError = await #expect(throws: StoreError.self) {
            try await store.save(staleDevice, lines: ["1001"], speedDials: nil)
        }
        #expect(deviceError?.code == .conflict)
        #expect(deviceError?.field == "device.version")
        let storedDevice = try #require(try await store.device(named: "SEP000000000002"))
        #expect(storedDevice.description == "new" && storedDevice.model == "" && storedDevice.version == 2)
        #expect(try await store.lineAppearances(deviceID: try #require(storedDevice.id)).isEmpty)
    }

    @Test("Two concurrent updates from the same read: one is made, the other conflicts")
    func concurrentUpdatesFromOneRead() async throws {
        let store = try makeStore()
        let read = try await store.insert(LineRecord(number: "1001"))
        var byName = read
        byName.displayName = "Alice"
        var byForward = read
        byForward.forwardBusy = "1999"
        let results = await withTaskGroup(of: Result<LineRecord, any Error>.self) { group in
            for record in [byName, byForward] {
                group.addTask {
                    do { return .success(try await store.update(record)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let made = results.compactMap { try? $0.get() }
        let refused = results.compactMap { result -> StoreError? in
            guard case .failure(let error) = result else { return nil }
            return error as? StoreError
        }
        #expect(made.count == 1)
        #expect(refused.map(\.code) == [.conflict])
        let winner = try #require(made.first)
        #expect(winner.version == 2)
        let stored = try #require(try await store.line(number: "1001"))
        #expect(stored == winner)
        // Exactly one of the two changes is in the row; neither was half applied.
        #expect((stored.displayName == "Alice") != (stored.forwardBusy == "1999"))
    }

    @Test("A write of the Store's own (message waiting) raises the version, so a form read before it is refused")
    func ownWritesRaiseTheVersion() async throws {
        let store = try makeStore()
        let read = try await store.insert(LineRecord(number: "1001"))
        let lit = try await store.setMessageWaiting(true, lineNumber: "1001")
        #expect(lit.version == 2)
        var stale = read
        stale.displayName = "Alice"
        let error = await #expect(throws: StoreError.self) { try await store.update(stale) }
        #expect(error?.code == .conflict)
        #expect(try await store.line(number: "1001")?.messageWaiting == true)
    }

    @Test("Updating a line that was deleted is still not found")
    func deletedRowIsNotFound() async throws {
        let store = try makeStore()
        let line = try await store.insert(LineRecord(number: "1001"))
        try await store.deleteLine(number: "1001")
        let error = await #expect(throws: StoreError.self) { try await store.update(line) }
        #expect(error?.code == .notFound)
    }
}
