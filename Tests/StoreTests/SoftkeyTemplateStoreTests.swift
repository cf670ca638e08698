import CallControl
import Foundation
import Testing

@testable import Store

/// Issue 17: softkey templates in the Store — checked on the way in, named by devices, carried to the core in the
/// device's configuration, and every change published to the devices that name them.
@Suite struct SoftkeyTemplateStoreTests {
    static let lobby = SoftkeyTemplate(name: "Lobby", sets: [.onHook: [.redial], .connected: [.endCall, .hold]])

    @Test func aDeviceThatNamesATemplateCarriesItToTheCore() async throws {
        let store = try makeStore()
        try await store.insert(LineRecord(number: "4001"))
        try await store.save(SoftkeyTemplateRecord(Self.lobby))
        try await store.save(
            DeviceRecord(name: "SEP000000004001", softkeyTemplate: "lobby"),
            lines: ["4001"],
            speedDials: nil
        )
        try await store.save(DeviceRecord(name: "SEP000000004002"), lines: [], speedDials: nil)
        let directory = try await store.directory()
        #expect(directory.devices[DeviceName("SEP000000004001")]?.softkeys == Self.lobby)
        #expect(directory.devices[DeviceName("SEP000000004002")]?.softkeys == nil)
        #expect(try await store.devices(usingSoftkeyTemplate: "LOBBY") == ["SEP000000004001"])
    }

    @Test func changingATemplateIsPublishedToItsDevices() async throws {
        let store = try makeStore()
        try await store.save(SoftkeyTemplateRecord(Self.lobby))
        try await store.save(
            DeviceRecord(name: "SEP000000004001", softkeyTemplate: "Lobby"),
            lines: [],
            speedDials: nil
        )
        let (_, stream) = try await store.directoryAndChanges()
        var probe = ChangeProbe(store, stream: stream)
        var changed = Self.lobby
        changed.sets[.onHook] = [.newCall, .redial]
        #expect(try await store.save(SoftkeyTemplateRecord(changed)) == false)
        let changes = await probe.drainRaw()
        let upserts = changes.compactMap { change -> DeviceConfiguration? in
            if case .upsertDevice(let device) = change { return device }
            return nil
        }
        #expect(upserts.map(\.name) == [DeviceName("SEP000000004001")])
        #expect(upserts.first?.softkeys?.sets[.onHook] == [.newCall, .redial])
    }

    @Test func badTemplatesAndUnknownNamesAreRefusedWithTheirReason() async throws {
        let store = try makeStore()
        let unknownKey = await CallFeatureStoreTests.storeError {
            _ = try SoftkeyTemplateRecord.template(named: "X", ["onHook": ["Redial", "CFwdAll"]])
        }
        #expect(unknownKey?.field == "softkeyTemplate.sets.onHook")
        #expect(unknownKey?.message.contains("no softkey \"CFwdAll\"") == true)
        let unknownState = await CallFeatureStoreTests.storeError {
            _ = try SoftkeyTemplateRecord.template(named: "X", ["talking": ["Hold"]])
        }
        #expect(unknownState?.message.contains("no call state \"talking\"") == true)
        let builtIn = await CallFeatureStoreTests.storeError {
            try await store.save(SoftkeyTemplateRecord(SoftkeyTemplate(name: "standard user", sets: [:])))
        }
        #expect(builtIn?.field == "softkeyTemplate.name")
        let missing = await CallFeatureStoreTests.storeError {
            try await store.save(
                DeviceRecord(name: "SEP000000004001", softkeyTemplate: "Nope"),
                lines: [],
                speedDials: nil
            )
        }
        #expect(missing?.code == .notFound)
        #expect(missing?.field == "device.softkeyTemplate")
    }

    @Test func aTemplateInUseCannotBeRemoved() async throws {
        let store = try makeStore()
        try await store.save(SoftkeyTemplateRecord(Self.lobby))
        let device = try await store.save(
            DeviceRecord(name: "SEP000000004001", softkeyTemplate: "Lobby"),
            lines: [],
            speedDials: nil
        )
        let inUse = await CallFeatureStoreTests.storeError { try await store.deleteSoftkeyTemplate(named: "Lobby") }
        #expect(inUse?.code == .conflict)
        #expect(inUse?.message.contains("SEP000000004001") == true)
        var cleared = device
        cleared.softkeyTemplate = nil
        try await store.update(cleared)
        try await store.deleteSoftkeyTemplate(named: "lobby")
        #expect(try await store.softkeyTemplates().isEmpty)
    }
}
