import CallControl
import Presence
import Testing

/// Issue 8 §3: a user can hide their presence from everyone, or from all but a list; BLF and the API respect it.
@Suite struct PrivacyTests {
    static let hidden = PresenceVisibility.nobody
    static let onlyBob = PresenceVisibility.only([P.bob])

    @Test func visibilityRules() {
        #expect(PresenceVisibility.everyone.allows(nil, toSee: P.alice))
        #expect(!Self.hidden.allows(P.bob, toSee: P.alice))
        #expect(Self.hidden.allows(P.alice, toSee: P.alice))
        #expect(Self.onlyBob.allows(P.bob, toSee: P.alice))
        #expect(!Self.onlyBob.allows(P.carol, toSee: P.alice))
        #expect(!Self.onlyBob.allows(nil, toSee: P.alice))
    }

    @Test func hiddenFromEveryoneButThemselves() {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"], visibility: Self.hidden)
        engine.addUser(P.bob, device: P.bobPhone, lines: ["1002"])
        #expect(
            engine.send(.subscribe(.user(P.bob), to: .user(P.alice))) == [.userPresence(.user(P.bob), P.alice, .hidden)]
        )
        #expect(
            engine.send(.subscribe(.anonymous(7), to: .user(P.alice))) == [
                .userPresence(.anonymous(7), P.alice, .hidden)
            ]
        )
        let own = engine.send(.subscribe(.user(P.alice), to: .user(P.alice)))
        guard case .userPresence(_, _, .visible(let presence)) = own.first else {
            Issue.record("Alice cannot see herself: \(own)")
            return
        }
        #expect(presence.state == .available)
        // A change reaches Alice only: the others learn nothing, not even that something changed.
        let outputs = engine.send(.lineStateChanged("1001", .inUse))
        #expect(outputs.count == 1)
        #expect(
            outputs.allSatisfy { if case .userPresence(.user(P.alice), P.alice, .visible) = $0 { true } else { false } }
        )
        #expect(engine.presence(of: P.alice, seenBy: P.bob) == .hidden)
        #expect(engine.presence(of: P.alice, seenBy: nil) == .hidden)
        #expect(engine.numberState(of: "1001", seenBy: P.bob) == .unknown)
        #expect(engine.numberState(of: "1001", seenBy: P.alice) == .inUse)
    }

    @Test func allowList() {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"], visibility: Self.onlyBob)
        engine.addUser(P.bob, device: P.bobPhone, lines: ["1002"])
        engine.addUser(P.carol, device: P.carolPhone, lines: ["1003"])
        engine.send(.subscribe(.user(P.bob), to: .user(P.alice)), .subscribe(.user(P.carol), to: .user(P.alice)))
        let outputs = engine.send(.statusChanged(P.alice, P.status(.away, "back at 3")))
        #expect(outputs.count == 1)
        guard case .userPresence(.user(P.bob), P.alice, .visible(let presence)) = outputs.first else {
            Issue.record("Bob should see Alice: \(outputs)")
            return
        }
        #expect(presence.state == .away && presence.status.note == "back at 3")
        #expect(engine.presence(of: P.alice, seenBy: P.carol) == .hidden)
    }

    @Test func busyLampFieldsSeeAsTheirPhonesOwner() {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"], visibility: Self.onlyBob)
        // Bob's and Carol's phones both have a BLF on Alice's number.
        #expect(
            engine.addUser(P.bob, device: P.bobPhone, lines: ["1002"], speedDials: [P.blf(1, "1001")]) == [
                .busyLamp(P.bobPhone, index: 1, .idle)
            ]
        )
        #expect(
            engine.addUser(P.carol, device: P.carolPhone, lines: ["1003"], speedDials: [P.blf(1, "1001")]) == [
                .busyLamp(P.carolPhone, index: 1, .unknown)
            ]
        )
        #expect(engine.send(.lineStateChanged("1001", .ringing)) == [.busyLamp(P.bobPhone, index: 1, .ringing)])
        // Carol's phone passes to Bob: its lamp now sees what Bob sees.
        #expect(
            engine.send(.deviceOwnerChanged(P.carolPhone, owner: P.bob)) == [
                .busyLamp(P.carolPhone, index: 1, .ringing)
            ]
        )
    }

    @Test func changingVisibilityTellsEveryWatcherItsNewView() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.lineStateChanged("1001", .inUse))
        engine.send(
            .subscribe(.user(P.bob), to: .user(P.alice)),
            .subscribe(.user(P.carol), to: .number("1001")),
            .subscribe(.anonymous(1), to: .allUsers)
        )
        #expect(
            engine.send(.userUpdated(PresenceUser(name: P.alice, visibility: Self.onlyBob))) == [
                .userPresence(.user(P.bob), P.alice, .visible(engine.presence(P.alice) ?? .unknownUser)),
                .userPresence(.anonymous(1), P.alice, .hidden),
                .numberState(.user(P.carol), "1001", .unknown),
            ]
        )
        // Hidden watchers hear nothing of changes.
        let outputs = engine.send(.lineStateChanged("1001", .idle))
        #expect(outputs.count == 1)
        // Public again: everyone gets the current view.
        #expect(
            engine.send(.userUpdated(PresenceUser(name: P.alice, visibility: .everyone))).count == 3
        )
        #expect(engine.numberState(of: "1001", seenBy: P.carol) == .idle)
    }

    @Test func aSharedLineIsAsPrivateAsItsMostPrivateOwner() {
        var engine = PresenceEngine.threeUsers()
        // Alice's number also rings on Carol's second phone; Carol hides from everyone.
        engine.send(.deviceOwnerChanged("SEP0000000000C2", owner: P.carol))
        engine.send(.deviceRegistered("SEP0000000000C2", P.profile("SEP0000000000C2", lines: ["1001"]), .unknown))
        #expect(engine.numberState(of: "1001", seenBy: P.bob) == .idle)
        engine.send(.userUpdated(PresenceUser(name: P.carol, visibility: Self.hidden)))
        #expect(engine.numberState(of: "1001", seenBy: P.bob) == .unknown)
        #expect(engine.numberState(of: "1001", seenBy: P.carol) == .idle)
        // Alice still shows to Bob as a user: her own presence is hers.
        #expect(engine.presence(of: P.alice, seenBy: P.bob) != .hidden)
    }

    @Test func theListOfEveryoneRespectsPrivacy() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.userUpdated(PresenceUser(name: P.bob, visibility: Self.hidden)))
        let list = engine.allPresence(seenBy: nil)
        #expect(list.map(\.user) == [P.alice, P.bob, P.carol])
        #expect(list.map { $0.view == .hidden } == [false, true, false])
        #expect(engine.allPresence(seenBy: P.bob).allSatisfy { $0.view != .hidden })
        #expect(engine.presence(of: "nobody", seenBy: nil) == nil)
    }

    @Test func removingAUserMakesTheirDevicesPublicAgain() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.userUpdated(PresenceUser(name: P.alice, visibility: Self.hidden)))
        engine.send(.subscribe(.user(P.bob), to: .user(P.alice)))
        #expect(
            engine.send(.userRemoved(P.alice)) == [
                .userPresence(
                    .user(P.bob),
                    P.alice,
                    .visible(
                        UserPresence(
                            state: .available,
                            activity: .available,
                            status: .available,
                            capabilities: .voice,
                            displayName: ""
                        )
                    )
                )
            ]
        )
    }
}

/// The administrator's watcher (the admin API's own view): privacy does not apply to it.
@Suite struct AdministratorWatcherTests {
    @Test func theAdministratorSeesHiddenUsersAndTheirChanges() {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"], visibility: .nobody)
        engine.addUser(P.bob, device: P.bobPhone, lines: ["1002"])
        let snapshot = engine.send(.subscribe(.administrator(1), to: .allUsers))
        #expect(snapshot.count == 2)
        #expect(
            snapshot.allSatisfy { if case .userPresence(.administrator(1), _, .visible) = $0 { true } else { false } }
        )
        let outputs = engine.send(.lineStateChanged("1001", .ringing))
        guard case .userPresence(.administrator(1), P.alice, .visible(let presence)) = outputs.first else {
            Issue.record("The administrator should see Alice ring: \(outputs)")
            return
        }
        #expect(presence.state == .ringing)
        #expect(engine.presence(of: P.alice)?.state == .ringing)
        #expect(engine.presence(of: "nobody") == nil)
        // A number watched by the administrator shows its real state.
        #expect(
            engine.send(.subscribe(.administrator(1), to: .number("1001")))
                == [.numberState(.administrator(1), "1001", .ringing)]
        )
        engine.send(.unsubscribeAll(.administrator(1)))
        #expect(engine.send(.lineStateChanged("1001", .idle)).isEmpty)
    }
}
