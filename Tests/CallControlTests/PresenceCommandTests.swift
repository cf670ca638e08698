import CallControl
import Testing

/// What the core tells presence: line states per directory number and device registrations (docs/callcontrol.md,
/// "Presence").
@Suite struct PresenceCommandTests {
    typealias F = Fixture

    /// Only the presence commands of a batch.
    static func presence(_ commands: [CallCommand]) -> [CallCommand] {
        commands.filter { command in
            switch command {
            case .lineStateChanged, .deviceStatusChanged: true
            default: false
            }
        }
    }

    @Test func precedenceOfLineStates() {
        #expect(LineState.aggregate([]) == .idle)
        #expect(LineState.aggregate([.held, .ringing]) == .ringing)
        #expect(LineState.aggregate([.held, .inUse, .ringing]) == .inUse)
        #expect(LineState.aggregate([.held, .held]) == .held)
        #expect(LineState.allCases.sorted() == [.idle, .held, .ringing, .inUse])
    }

    @Test func aCallFromStartToEnd() throws {
        var harness = try Harness()
        harness.register(F.alice, F.bob)
        #expect(
            Self.presence(harness.send(.offHook(F.alice, line: nil, call: nil))) == [.lineStateChanged("1001", .inUse)]
        )
        #expect(Self.presence(harness.dial(F.alice, "100")) == [])
        #expect(Self.presence(harness.dial(F.alice, "2")) == [.lineStateChanged("1002", .ringing)])
        #expect(harness.core.lineState(of: "1002") == .ringing)
        #expect(harness.core.busyLines == ["1001": .inUse, "1002": .ringing])
        #expect(
            Self.presence(harness.send(.offHook(F.bob, line: nil, call: nil))) == [.lineStateChanged("1002", .inUse)]
        )
        #expect(
            Self.presence(harness.send(.softKey(F.bob, .hold, line: nil, call: nil))) == [
                .lineStateChanged("1002", .held)
            ]
        )
        #expect(
            Self.presence(harness.send(.softKey(F.bob, .resume, line: nil, call: nil))) == [
                .lineStateChanged("1002", .inUse)
            ]
        )
        #expect(
            Self.presence(harness.send(.onHook(F.bob, line: nil, call: nil)))
                == [.lineStateChanged("1002", .idle), .lineStateChanged("1001", .idle)]
        )
        #expect(harness.core.busyLines.isEmpty)
        #expect(harness.core.lineState(of: "1001") == .idle)
    }

    @Test func aFailedCallKeepsTheLineInUseUntilHangUp() throws {
        var harness = try Harness()
        harness.register(F.alice)
        harness.send(.offHook(F.alice, line: nil, call: nil))
        // Dave is not registered: reorder, still off-hook.
        #expect(Self.presence(harness.dial(F.alice, "1005")) == [])
        #expect(harness.core.lineState(of: "1001") == .inUse)
        #expect(harness.core.lineState(of: "1005") == .idle)
        #expect(
            Self.presence(harness.send(.onHook(F.alice, line: nil, call: nil))) == [.lineStateChanged("1001", .idle)]
        )
    }

    @Test func aSharedLineIsOneStateOverItsDevices() throws {
        let second: DeviceName = "SEP00000000001A"
        var harness = Harness(
            directory: Directory(devices: [
                DeviceConfiguration(name: F.alice, lines: ["1001"]),
                DeviceConfiguration(name: second, lines: ["1001"]),
            ])
        )
        harness.register(F.alice, second)
        #expect(
            Self.presence(harness.send(.offHook(second, line: nil, call: nil))) == [.lineStateChanged("1001", .inUse)]
        )
        // The other device joins in: the number was in use already.
        #expect(Self.presence(harness.send(.offHook(F.alice, line: nil, call: nil))) == [])
        #expect(Self.presence(harness.send(.onHook(second, line: nil, call: nil))) == [])
        #expect(
            Self.presence(harness.send(.onHook(F.alice, line: nil, call: nil))) == [.lineStateChanged("1001", .idle)]
        )
    }

    @Test func registrationCapabilitiesAndUnregistration() throws {
        var harness = try Harness()
        let profile = DeviceProfile(
            name: F.alice,
            lines: [LineAppearance(instance: 1, number: "1001", displayName: "Alice")],
            speedDials: []
        )
        #expect(
            Self.presence(harness.send(.deviceRegistered(F.alice, .unknown))) == [
                .deviceStatusChanged(F.alice, .registered(profile, .unknown))
            ]
        )
        let video = DeviceCapabilities(codecs: [.g711ulaw], supportsVideo: true)
        #expect(
            harness.send(.capabilitiesChanged(F.alice, video)) == [
                .deviceStatusChanged(F.alice, .registered(profile, video))
            ]
        )
        // The same capabilities again are no change; an unregistered device's are ignored.
        #expect(harness.send(.capabilitiesChanged(F.alice, video)).isEmpty)
        #expect(harness.send(.capabilitiesChanged(F.bob, video)).isEmpty)
        #expect(harness.send(.deviceUnregistered(F.alice)) == [.deviceStatusChanged(F.alice, .unregistered)])
        // A rejected registration is no registration.
        harness.register(F.alice)
        #expect(Self.presence(harness.send(.deviceRegistered(F.alice, .unknown))) == [])
    }

    @Test func busyLampFieldSpeedDialsReachTheProfile() throws {
        let blf = SpeedDial(index: 2, number: "1002", label: "Bob", isBusyLampField: true)
        var harness = Harness(
            directory: Directory(devices: [
                DeviceConfiguration(name: F.alice, lines: ["1001"], speedDials: [blf]),
                DeviceConfiguration(name: F.bob, lines: ["1002"]),
            ])
        )
        guard case .registrationAccepted(_, let profile) = harness.send(.deviceRegistered(F.alice, .unknown)).first
        else {
            Issue.record("not accepted")
            return
        }
        #expect(profile.speedDials == [blf])
        #expect(SpeedDial(index: 1, number: "1", label: "").isBusyLampField == false)
        // Turning BLF on is a profile change: the phone restarts and presence learns the new profile.
        let plain = SpeedDial(index: 2, number: "1002", label: "Bob")
        var changed = profile
        changed.speedDials = [plain]
        #expect(
            harness.send(
                .directoryChanged(
                    .upsertDevice(DeviceConfiguration(name: F.alice, lines: ["1001"], speedDials: [plain]))
                )
            ) == [
                .configurationChanged(F.alice, changed), .deviceStatusChanged(F.alice, .registered(changed, .unknown)),
            ]
        )
    }
}
