import CallControl
import Presence
import Testing

/// docs/presence.md, "Numbers" and "BLF speed dials": what a lamp watching a directory number shows.
@Suite struct BusyLampFieldTests {
    @Test func numberStates() {
        var engine = PresenceEngine.threeUsers()
        #expect(engine.numberState(of: "1002", seenBy: nil) == .idle)
        #expect(engine.numberState(of: "9999", seenBy: nil) == .unknown)
        engine.send(.lineStateChanged("1002", .ringing))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .ringing)
        engine.send(.lineStateChanged("1002", .inUse))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .inUse)
        // Held is in use to a lamp (§6.8 has no held state).
        engine.send(.lineStateChanged("1002", .held))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .inUse)
        engine.send(.deviceUnregistered(P.bobPhone))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .unknown)
    }

    @Test func doNotDisturbWhenNoCarrierWouldRing() {
        var engine = PresenceEngine.threeUsers()
        // Bob's number also appears on a second, ownerless phone.
        engine.send(
            .deviceRegistered("SEP0000000000B2", P.profile("SEP0000000000B2", lines: ["1020", "1002"]), .unknown)
        )
        engine.send(.doNotDisturbChanged(P.bobPhone, isOn: true))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .idle)
        engine.send(.doNotDisturbChanged("SEP0000000000B2", isOn: true))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .doNotDisturb)
        // A call shows through DND.
        engine.send(.lineStateChanged("1002", .inUse))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .inUse)
        engine.send(.lineStateChanged("1002", .idle), .doNotDisturbChanged("SEP0000000000B2", isOn: false))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .idle)
        // Do-not-disturb set by the device's user counts as the device's.
        engine.send(.statusChanged("1020", P.status(.doNotDisturb)))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .doNotDisturb)
        // Away and busy do not light a lamp.
        engine.send(.statusChanged("1020", P.status(.busy)))
        #expect(engine.numberState(of: "1002", seenBy: nil) == .idle)
    }

    @Test func speedDialsMarkedBusyLampFieldWatchFromRegistration() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.lineStateChanged("1003", .inUse))
        // Dave's phone: BLF on Bob (1002) and Carol (1003#), a plain speed dial on Alice.
        let dials = [P.blf(1, "1002"), SpeedDial(index: 2, number: "1001", label: "Alice"), P.blf(3, "1003#")]
        let registered = engine.send(
            .deviceRegistered(
                "SEP00000000000D",
                P.profile("SEP00000000000D", lines: ["1004"], speedDials: dials),
                .unknown
            )
        )
        #expect(
            registered == [
                .busyLamp("SEP00000000000D", index: 1, .idle),
                .busyLamp("SEP00000000000D", index: 3, .inUse),
            ]
        )
        #expect(engine.subscriptionCount == 2)
        #expect(engine.send(.lineStateChanged("1002", .ringing)) == [.busyLamp("SEP00000000000D", index: 1, .ringing)])
        #expect(engine.send(.lineStateChanged("1001", .ringing)).isEmpty)
        // Registering again with the same speed dials (new capabilities) does not resubscribe.
        #expect(
            engine.send(
                .deviceRegistered(
                    "SEP00000000000D",
                    P.profile("SEP00000000000D", lines: ["1004"], speedDials: dials),
                    DeviceCapabilities(codecs: [.g729])
                )
            ).isEmpty
        )
        // Unregistered: the lamps stop.
        engine.send(.deviceUnregistered("SEP00000000000D"))
        #expect(engine.subscriptionCount == 0)
        #expect(engine.send(.lineStateChanged("1002", .inUse)).isEmpty)
    }

    @Test func changedSpeedDialsResubscribe() {
        var engine = PresenceEngine.threeUsers()
        let phone: DeviceName = "SEP00000000000D"
        engine.send(
            .deviceRegistered(phone, P.profile(phone, lines: ["1004"], speedDials: [P.blf(1, "1002")]), .unknown)
        )
        #expect(
            engine.send(
                .deviceRegistered(phone, P.profile(phone, lines: ["1004"], speedDials: [P.blf(1, "1003")]), .unknown)
            )
                == [.busyLamp(phone, index: 1, .idle)]
        )
        #expect(engine.send(.lineStateChanged("1002", .inUse)).isEmpty)
        #expect(engine.send(.lineStateChanged("1003", .inUse)) == [.busyLamp(phone, index: 1, .inUse)])
    }

    @Test func aLampOnAnUnregisteredNumberIsUnknownUntilItsPhoneRegisters() {
        var engine = PresenceEngine()
        let watcher: DeviceName = "SEP00000000000D"
        #expect(
            engine.send(
                .deviceRegistered(
                    watcher,
                    P.profile(watcher, lines: ["1004"], speedDials: [P.blf(1, "1001")]),
                    .unknown
                )
            )
                == [.busyLamp(watcher, index: 1, .unknown)]
        )
        #expect(engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"]) == [.busyLamp(watcher, index: 1, .idle)])
        #expect(engine.send(.deviceUnregistered(P.alicePhone)) == [.busyLamp(watcher, index: 1, .unknown)])
    }

    @Test func aLampCanWatchAUser() {
        var engine = PresenceEngine.threeUsers()
        let lamp = Watcher.busyLampField("SEP00000000000D", index: 4)
        #expect(engine.send(.subscribe(lamp, to: .user(P.bob))) == [.busyLamp("SEP00000000000D", index: 4, .idle)])
        #expect(
            engine.send(.statusChanged(P.bob, P.status(.doNotDisturb))) == [
                .busyLamp("SEP00000000000D", index: 4, .doNotDisturb)
            ]
        )
        #expect(engine.send(.lineStateChanged("1002", .held)) == [.busyLamp("SEP00000000000D", index: 4, .inUse)])
        // A lamp cannot watch everyone.
        #expect(engine.send(.subscribe(lamp, to: .allUsers)).isEmpty)
        #expect(engine.subscriptionCount == 1)
    }

    @Test func aLampWatchesOneThingAtATime() {
        var engine = PresenceEngine.threeUsers()
        let lamp = Watcher.busyLampField("SEP00000000000D", index: 4)
        engine.send(.subscribe(lamp, to: .user(P.bob)))
        #expect(engine.send(.subscribe(lamp, to: .number("1003"))) == [.busyLamp("SEP00000000000D", index: 4, .idle)])
        #expect(engine.subscriptionCount == 1)
        #expect(engine.send(.lineStateChanged("1002", .inUse)).isEmpty)
        #expect(engine.send(.lineStateChanged("1003", .inUse)) == [.busyLamp("SEP00000000000D", index: 4, .inUse)])
        // Unsubscribing from what it does not watch is nothing; unsubscribeAll frees the lamp.
        engine.send(.unsubscribe(lamp, from: .user(P.bob)))
        #expect(engine.subscriptionCount == 1)
        engine.send(.unsubscribeAll(lamp))
        #expect(engine.subscriptionCount == 0 && engine.watchedTargetCount == 0)
    }
}
