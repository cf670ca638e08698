import CallControl
import Presence
import Testing

/// docs/presence.md, "Users" and "Combining": every rule of the aggregation.
@Suite struct AggregationTests {
    @Test func offlineUntilADeviceRegistersThenAvailable() {
        var engine = PresenceEngine()
        engine.send(.userUpdated(PresenceUser(name: P.alice, capabilities: .web)))
        #expect(
            engine.presence(P.alice)
                == UserPresence(
                    state: .offline,
                    activity: .offline,
                    status: .available,
                    capabilities: .web,
                    displayName: ""
                )
        )
        engine.send(.deviceOwnerChanged(P.alicePhone, owner: P.alice))
        #expect(engine.state(P.alice) == .offline)
        engine.send(.deviceRegistered(P.alicePhone, P.profile(P.alicePhone, lines: ["1001"]), .unknown))
        #expect(
            engine.presence(P.alice)
                == UserPresence(
                    state: .available,
                    activity: .available,
                    status: .available,
                    capabilities: [.voice, .web],
                    displayName: ""
                )
        )
        engine.send(.deviceUnregistered(P.alicePhone))
        #expect(engine.presence(P.alice)?.state == .offline)
        #expect(engine.presence(P.alice)?.capabilities == .web)
    }

    @Test(arguments: [
        (LineState.idle, PresenceActivity.available), (.ringing, .ringing), (.inUse, .onCall), (.held, .onHold),
    ])
    func oneLine(_ line: LineState, _ activity: PresenceActivity) {
        var engine = PresenceEngine.threeUsers()
        engine.send(.lineStateChanged("1001", line))
        #expect(engine.presence(P.alice)?.activity == activity)
        // Other users' lines are not Alice's.
        #expect(engine.state(P.bob) == .available)
    }

    /// Precedence over every line of every registered device: on a call > ringing > on hold > available.
    @Test func severalLinesAndDevices() {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001", "1011"])
        engine.send(.deviceOwnerChanged("SEP0000000000AA", owner: P.alice))
        engine.send(.deviceRegistered("SEP0000000000AA", P.profile("SEP0000000000AA", lines: ["1021"]), .unknown))

        engine.send(.lineStateChanged("1011", .held))
        #expect(engine.state(P.alice) == .onHold)
        engine.send(.lineStateChanged("1021", .ringing))
        #expect(engine.state(P.alice) == .ringing)
        engine.send(.lineStateChanged("1001", .inUse))
        #expect(engine.state(P.alice) == .onCall)
        engine.send(.lineStateChanged("1001", .idle))
        #expect(engine.state(P.alice) == .ringing)
        // A line of an unregistered device does not count.
        engine.send(.deviceUnregistered("SEP0000000000AA"))
        #expect(engine.state(P.alice) == .onHold)
        engine.send(.lineStateChanged("1011", .idle))
        #expect(engine.state(P.alice) == .available)
    }

    @Test func deviceDoNotDisturbShowsOnlyWhenTheLinesAreIdle() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.doNotDisturbChanged(P.alicePhone, isOn: true))
        #expect(engine.presence(P.alice)?.activity == .doNotDisturb)
        #expect(engine.state(P.alice) == .doNotDisturb)
        engine.send(.lineStateChanged("1001", .inUse))
        #expect(engine.state(P.alice) == .onCall)
        engine.send(.lineStateChanged("1001", .idle), .doNotDisturbChanged(P.alicePhone, isOn: false))
        #expect(engine.state(P.alice) == .available)
    }

    /// Registered and idle: the status the user set decides. Any phone activity wins over it; offline wins over all.
    @Test(arguments: [
        (Availability.available, PresenceState.available), (.away, .away), (.busy, .busy),
        (.doNotDisturb, .doNotDisturb),
    ])
    func statusTheUserSet(_ availability: Availability, _ expected: PresenceState) {
        var engine = PresenceEngine.threeUsers()
        let status = P.status(availability, "in the lab")
        engine.send(.statusChanged(P.alice, status))
        #expect(engine.state(P.alice) == expected)
        #expect(engine.presence(P.alice)?.status == status)
        engine.send(.lineStateChanged("1001", .ringing))
        #expect(engine.state(P.alice) == .ringing)
        engine.send(.lineStateChanged("1001", .inUse))
        #expect(engine.state(P.alice) == .onCall)
        engine.send(.lineStateChanged("1001", .idle), .deviceUnregistered(P.alicePhone))
        #expect(engine.state(P.alice) == .offline)
        // The status is still reported while offline.
        #expect(engine.presence(P.alice)?.status == status)
    }

    @Test func capabilities() {
        var engine = PresenceEngine()
        // The record's voice and video bits are ignored: they are facts about devices.
        engine.send(.userUpdated(PresenceUser(name: P.alice, capabilities: [.voice, .video, .web])))
        #expect(engine.presence(P.alice)?.capabilities == .web)
        engine.send(
            .deviceOwnerChanged(P.alicePhone, owner: P.alice),
            .deviceOwnerChanged("SEP0000000000AA", owner: P.alice)
        )
        engine.send(.deviceRegistered(P.alicePhone, P.profile(P.alicePhone, lines: ["1001"]), .unknown))
        #expect(engine.presence(P.alice)?.capabilities == [.voice, .web])
        let video = DeviceCapabilities(codecs: [.g711ulaw], supportsVideo: true)
        engine.send(.deviceRegistered("SEP0000000000AA", P.profile("SEP0000000000AA", lines: ["1011"]), video))
        #expect(engine.presence(P.alice)?.capabilities == [.voice, .video, .web])
        engine.send(.deviceUnregistered("SEP0000000000AA"))
        #expect(engine.presence(P.alice)?.capabilities == [.voice, .web])
        // Capabilities reported later (SCCP sends them after registering) count too.
        engine.send(.deviceRegistered(P.alicePhone, P.profile(P.alicePhone, lines: ["1001"]), video))
        #expect(engine.presence(P.alice)?.capabilities == [.voice, .video, .web])
    }

    @Test func anOwnerlessDeviceIsAUserNamedByItsFirstLine() {
        var engine = PresenceEngine()
        engine.send(
            .deviceRegistered("SEP0123456789AB", P.profile("SEP0123456789AB", lines: ["1000", "1009"]), .unknown)
        )
        #expect(engine.knows("1000"))
        #expect(!engine.knows("1009"))
        #expect(engine.state("1000") == .available)
        engine.send(.lineStateChanged("1009", .ringing))
        #expect(engine.state("1000") == .ringing)
        // Given an owner, the device counts for the owner; the device-user is gone.
        engine.send(.deviceOwnerChanged("SEP0123456789AB", owner: P.alice))
        #expect(!engine.knows("1000"))
        #expect(engine.state(P.alice) == .ringing)
        // Owner taken away: a device-user again.
        engine.send(.deviceOwnerChanged("SEP0123456789AB", owner: nil))
        #expect(engine.state("1000") == .ringing)
        #expect(!engine.knows(P.alice))
        // Removed from the configuration: forgotten.
        engine.send(.deviceRemoved("SEP0123456789AB"))
        #expect(!engine.knows("1000"))
        #expect(engine.deviceCount == 0)
    }

    @Test func twoOwnerlessDevicesOnOneNumberAreOneUser() {
        var engine = PresenceEngine()
        engine.send(.deviceRegistered("SEP0000000000A1", P.profile("SEP0000000000A1", lines: ["1000"]), .unknown))
        engine.send(.deviceRegistered("SEP0000000000A2", P.profile("SEP0000000000A2", lines: ["1000"]), .unknown))
        engine.send(.deviceUnregistered("SEP0000000000A1"))
        #expect(engine.state("1000") == .available)
        engine.send(.deviceUnregistered("SEP0000000000A2"))
        #expect(engine.state("1000") == .offline)
        #expect(engine.userCount == 1)
    }

    @Test func notesAreShortAndPlain() {
        #expect(UserStatus(.away, note: String(repeating: "é", count: 140))?.note.count == 140)
        #expect(UserStatus(.away, note: String(repeating: "x", count: 141)) == nil)
        #expect(UserStatus(.busy, note: "line one\nline two") == nil)
        #expect(UserStatus(.busy, note: "tab\there") == nil)
        #expect(UserStatus(.busy, note: "") == UserStatus(.busy))
        #expect(UserStatus.available.availability == .available && UserStatus.available.note.isEmpty)
    }

    @Test func statusOfAnUnknownUserIsIgnoredAndForgottenWithTheUser() {
        var engine = PresenceEngine.threeUsers()
        #expect(engine.send(.statusChanged("nobody", P.status(.away))).isEmpty)
        #expect(!engine.knows("nobody"))
        engine.send(.statusChanged(P.alice, P.status(.away, "lunch")))
        engine.send(.userRemoved(P.alice))
        // The device still names alice as its owner: she stays, without her record or status.
        #expect(engine.presence(P.alice)?.status == .available)
        #expect(engine.presence(P.alice)?.displayName == "")
        #expect(engine.state(P.alice) == .available)
    }

    @Test func displayNameComesFromTheRecord() {
        var engine = PresenceEngine.threeUsers()
        #expect(engine.presence(P.bob)?.displayName == "Bob")
        engine.send(.userUpdated(PresenceUser(name: P.bob, displayName: "Robert")))
        #expect(engine.presence(P.bob)?.displayName == "Robert")
    }

    @Test func busyLampStateOfAUser() {
        let base = UserPresence.unknownUser
        func lamp(_ state: PresenceState) -> BusyLampState {
            var presence = base
            presence.state = state
            return presence.busyLampState
        }
        #expect(lamp(.offline) == .unknown)
        #expect(lamp(.onCall) == .inUse && lamp(.onHold) == .inUse)
        #expect(lamp(.ringing) == .ringing)
        #expect(lamp(.doNotDisturb) == .doNotDisturb)
        #expect(lamp(.busy) == .idle && lamp(.away) == .idle && lamp(.available) == .idle)
    }

    @Test func commandsFromCallControlDriveTheEngine() throws {
        // A real core: two auto-registered phones call each other; their device-users follow the call.
        var core = CallControlCore()
        var engine = PresenceEngine()
        func run(_ event: CallEvent) {
            for command in core.handle(event, at: .zero) { _ = engine.handle(command) }
        }
        let a: DeviceName = "SEP0000000000A1"
        let b: DeviceName = "SEP0000000000B2"
        run(.deviceRegistered(a, .unknown))
        run(.deviceRegistered(b, .unknown))
        #expect(engine.state("1000") == .available && engine.state("1001") == .available)
        run(.offHook(a, line: nil, call: nil))
        for key in "1001" { run(.digit(a, line: nil, call: nil, key)) }
        #expect(engine.state("1000") == .onCall && engine.state("1001") == .ringing)
        run(.offHook(b, line: nil, call: nil))
        #expect(engine.state("1001") == .onCall)
        run(.softKey(b, .hold, line: nil, call: nil))
        #expect(engine.state("1001") == .onHold)
        run(.deviceUnregistered(a))
        #expect(engine.state("1000") == .offline && engine.state("1001") == .available)
        #expect(PresenceEvent(.startTimer(TimerID(1, .offHook), after: .seconds(1))) == nil)
    }
}
