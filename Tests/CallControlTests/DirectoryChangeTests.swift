import CallControl
import Testing

/// The Store feeds configuration changes as events; each must touch only the devices it concerns.
@Suite struct DirectoryChangeTests {
    typealias F = Fixture

    @Test func changedLinesOfARegisteredDeviceAreReported() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        let updated = DeviceConfiguration(name: F.alice, lines: ["1001", "1006"])
        let profile = DeviceProfile(
            name: F.alice,
            lines: [
                LineAppearance(instance: 1, number: "1001", displayName: "Alice"),
                LineAppearance(instance: 2, number: "1006", displayName: ""),
            ],
            speedDials: []
        )
        #expect(
            harness.send(.directoryChanged(.upsertDevice(updated))) == [
                .configurationChanged(F.alice, profile),
                // Presence learns the new lines.
                .deviceStatusChanged(F.alice, .registered(profile, .unknown)),
            ]
        )
        // The same configuration again is no change.
        #expect(harness.send(.directoryChanged(.upsertDevice(updated))).isEmpty)
        // The new number is dialable at once.
        harness.send(.offHook(F.bob, line: nil, call: nil))
        #expect(
            harness.dial(F.bob, "1006").suffix(2) == [
                show(F.alice, 2, 2, .ringIn(caller: F.bobParty, isCallWaiting: false)),
                .lineStateChanged("1006", .ringing),
            ]
        )
    }

    @Test func renamedLineIsReportedToItsDevicesOnly() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        let commands = harness.send(
            .directoryChanged(.upsertLine(LineConfiguration(number: "1002", displayName: "Robert")))
        )
        let profile = DeviceProfile(
            name: F.bob,
            lines: [LineAppearance(instance: 1, number: "1002", displayName: "Robert")],
            speedDials: []
        )
        #expect(
            commands == [
                .configurationChanged(F.bob, profile),
                .deviceStatusChanged(F.bob, .registered(profile, .unknown)),
            ]
        )
        // Unregistered devices carrying a changed line hear nothing.
        #expect(harness.send(.directoryChanged(.removeLine("1005"))).isEmpty)
    }

    @Test func removedDeviceIsClearedAndUnregistered() throws {
        var harness = try Harness()
        harness.connectAliceToBob()
        let commands = harness.send(.directoryChanged(.removeDevice(F.bob)))
        #expect(
            commands.prefix(2) == [.closeMedia(F.alice, call: 1, passThroughPartyID: 2), show(F.alice, 1, 1, .cleared)]
        )
        #expect(
            commands.suffix(4) == [
                .deviceStatusChanged(F.bob, .unregistered),
                .unregister(F.bob, reason: .removedFromDirectory),
                .lineStateChanged("1002", .idle),
                .lineStateChanged("1001", .idle),
            ]
        )
        #expect(!harness.core.isRegistered(F.bob))
        #expect(harness.isQuiescent)
        // Its number is gone from the dial plan.
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(harness.dial(F.alice, "1002").contains(show(F.alice, 1, 3, .invalidNumber)))
        // The session's later close is harmless.
        #expect(harness.send(.deviceUnregistered(F.bob)).isEmpty)
    }

    @Test func replacedDirectoryReconcilesEveryRegisteredDevice() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        let replacement = Directory(
            devices: [DeviceConfiguration(name: F.alice, lines: ["2001"])],
            lines: [LineConfiguration(number: "2001", displayName: "Alice")]
        )
        let profile = DeviceProfile(
            name: F.alice,
            lines: [LineAppearance(instance: 1, number: "2001", displayName: "Alice")],
            speedDials: []
        )
        #expect(
            harness.send(.directoryChanged(.replace(replacement))) == [
                .configurationChanged(F.alice, profile),
                .deviceStatusChanged(F.alice, .registered(profile, .unknown)),
                .deviceStatusChanged(F.bob, .unregistered),
                .unregister(F.bob, reason: .removedFromDirectory),
            ]
        )
    }

    @Test func newRoutePatternsApplyToTheNextCall() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        harness.send(
            .directoryChanged(.replaceRoutePatterns([try RoutePattern("5555", target: .directoryNumber("1002"))]))
        )
        #expect(harness.core.directory.routePatterns.map(\.text) == ["5555"])
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(
            harness.dial(F.alice, "5555").suffix(2) == [
                show(F.bob, 1, 2, .ringIn(caller: F.aliceParty, isCallWaiting: false)),
                .lineStateChanged("1002", .ringing),
            ]
        )
    }

    @Test func newSettingsApplyToTimersStartedAfterwards() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.directoryChanged(.replaceSettings(CallControlSettings(interdigitTimeout: .seconds(3)))))
        harness.send(.offHook(F.alice, line: nil, call: nil))
        #expect(harness.dial(F.alice, "1").last == .startTimer(timer(2, .interdigit), after: .seconds(3)))
    }
}
