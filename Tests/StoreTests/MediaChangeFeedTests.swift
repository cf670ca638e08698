import CallControl
import Testing

@testable import Store

/// The call core learns the media configuration from the Store as it learns the rest (issue 14 phase 2): each
/// line's and device's music source, and the meet-me numbers, in the directory snapshot and then in the change feed,
/// so that a change applies to the next hold or the next dialled number without a restart.
@Suite struct MediaChangeFeedTests {
    static func source(_ name: String) -> MusicSourceRecord {
        MusicSourceRecord(name: name, fileName: "\(name).wav", sampleCount: 80_000, createdAt: 1_000)
    }

    @Test func aLinesAndADevicesMusicSourceReachTheCore() async throws {
        let store = try makeStore()
        try await store.saveMusicSource(Self.source("jazz"), replacing: false)
        try await store.saveMusicSource(Self.source("lobby"), replacing: false)
        var probe = ChangeProbe(store)

        var line = try await store.insert(LineRecord(number: "1001", displayName: "Alice", musicSource: "jazz"))
        #expect(
            await probe.drain() == [
                .upsertLine(LineConfiguration(number: "1001", displayName: "Alice", musicSource: "jazz"))
            ]
        )
        line.musicSource = nil
        try await store.update(line)
        #expect(await probe.drain() == [.upsertLine(LineConfiguration(number: "1001", displayName: "Alice"))])

        var device = try await store.insert(DeviceRecord(name: "SEP000000000001", musicSource: "lobby"))
        #expect(
            await probe.drain() == [
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: [], musicSource: "lobby"))
            ]
        )
        try await store.setLines(["1001"], onDevice: try #require(device.id))
        #expect(
            await probe.drain() == [
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: ["1001"], musicSource: "lobby"))
            ]
        )
        device = try #require(try await store.device(named: "SEP000000000001"))
        device.musicSource = "jazz"
        try await store.update(device)
        #expect(
            await probe.drain() == [
                .upsertDevice(DeviceConfiguration(name: "SEP000000000001", lines: ["1001"], musicSource: "jazz"))
            ]
        )

        // A fresh start reads the same choices.
        let directory = try await store.directory()
        #expect(directory.devices["SEP000000000001"]?.musicSource == "jazz")
        #expect(directory.lineConfiguration(for: "1001").musicSource == nil)
    }

    @Test func meetMeNumbersReachTheCoreWhenAddedAndRemoved() async throws {
        let store = try makeStore()
        try await store.insert(MeetMeRangeRecord(first: "8100", last: "8109"))
        let (before, changes) = try await store.directoryAndChanges()
        #expect(before.meetMeRanges == [MeetMeRange(first: "8100", last: "8109")])
        #expect(before.dialTarget("8105") == .meetMe("8105"))
        var probe = ChangeProbe(store, stream: changes)

        try await store.insert(MeetMeRangeRecord(first: "8000"))
        let added = await probe.drainRaw()
        // Every range, in the Store's order (shorter numbers first, then by number), so the core replaces its list.
        #expect(
            added == [.replaceMeetMeRanges([MeetMeRange(first: "8000"), MeetMeRange(first: "8100", last: "8109")])]
        )
        var directory = before
        for change in added {
            guard case .replaceMeetMeRanges(let ranges) = change else { continue }
            directory.replaceMeetMeRanges(ranges)
        }
        #expect(directory.dialTarget("8000") == .meetMe("8000"))

        try await store.removeMeetMeRange(first: "8100")
        #expect(await probe.drain() == [.replaceMeetMeRanges([MeetMeRange(first: "8000")])])

        // A refused insert publishes nothing.
        await #expect(throws: StoreError.self) { try await store.insert(MeetMeRangeRecord(first: "8000")) }
        #expect(await probe.drain().isEmpty)
        #expect(try await store.directory().meetMeRanges == [MeetMeRange(first: "8000")])
    }
}
