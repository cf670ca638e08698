import CallControl
import Presence
import Testing

/// Watchers are indexed by what they watch: a change reaches exactly the watchers of what changed, in the order they
/// subscribed, and subscriptions come and go cleanly.
@Suite struct FanOutTests {
    @Test func aChangeReachesOnlyTheWatchersOfWhatChanged() {
        var engine = PresenceEngine.threeUsers()
        let initial = engine.send(
            .subscribe(.user(P.bob), to: .user(P.alice)),
            .subscribe(.user(P.carol), to: .user(P.alice)),
            .subscribe(.user(P.alice), to: .user(P.bob)),
            .subscribe(.anonymous(9), to: .number("1001"))
        )
        #expect(initial.count == 4)
        #expect(engine.subscriptionCount == 4)
        #expect(engine.watchedTargetCount == 3)

        let outputs = engine.send(.lineStateChanged("1001", .ringing))
        let ringing = engine.presence(P.alice) ?? .unknownUser
        #expect(ringing.state == .ringing)
        #expect(
            outputs == [
                .userPresence(.user(P.bob), P.alice, .visible(ringing)),
                .userPresence(.user(P.carol), P.alice, .visible(ringing)),
                .numberState(.anonymous(9), "1001", .ringing),
            ]
        )
        // Nothing changed for anyone: nothing is sent.
        #expect(engine.send(.lineStateChanged("1001", .ringing)).isEmpty)
        #expect(engine.send(.lineStateChanged("1003", .inUse)).isEmpty)
    }

    @Test func onlyVisibleChangesAreSent() {
        var engine = PresenceEngine.threeUsers()
        engine.send(.subscribe(.user(P.bob), to: .number("1001")))
        // Held → in use is a change for the user but not for a lamp (both in use).
        engine.send(.lineStateChanged("1001", .inUse))
        #expect(engine.send(.lineStateChanged("1001", .held)).isEmpty)
        engine.send(.subscribe(.user(P.bob), to: .user(P.alice)))
        #expect(engine.send(.lineStateChanged("1001", .inUse)).count == 1)
    }

    @Test func subscribingTwiceKeepsOneSubscriptionAndRepeatsTheView() {
        var engine = PresenceEngine.threeUsers()
        let first = engine.send(.subscribe(.user(P.bob), to: .user(P.alice)))
        #expect(engine.send(.subscribe(.user(P.bob), to: .user(P.alice))) == first)
        #expect(engine.subscriptionCount == 1)
        #expect(engine.send(.lineStateChanged("1001", .inUse)).count == 1)
    }

    @Test func unsubscribing() {
        var engine = PresenceEngine.threeUsers()
        engine.send(
            .subscribe(.user(P.bob), to: .user(P.alice)),
            .subscribe(.user(P.bob), to: .number("1003")),
            .subscribe(.user(P.carol), to: .user(P.alice))
        )
        engine.send(.unsubscribe(.user(P.bob), from: .user(P.alice)))
        #expect(engine.subscriptionCount == 2)
        #expect(engine.send(.lineStateChanged("1001", .inUse)).count == 1)
        // Unsubscribing what was never subscribed is harmless.
        #expect(engine.send(.unsubscribe(.user(P.bob), from: .user(P.alice)), .unsubscribeAll(.anonymous(3))).isEmpty)
        engine.send(.unsubscribeAll(.user(P.bob)))
        #expect(engine.subscriptionCount == 1)
        #expect(engine.watchedTargetCount == 1)
        #expect(engine.send(.lineStateChanged("1003", .inUse)).isEmpty)
        engine.send(.unsubscribeAll(.user(P.carol)))
        #expect(engine.subscriptionCount == 0 && engine.watchedTargetCount == 0)
    }

    @Test func watchingEveryone() {
        var engine = PresenceEngine.threeUsers()
        let initial = engine.send(.subscribe(.anonymous(1), to: .allUsers))
        #expect(
            initial.map { if case .userPresence(_, let user, _) = $0 { user } else { "?" } } == [
                P.alice, P.bob, P.carol,
            ]
        )
        engine.send(.deviceRegistered("SEP0123456789AB", P.profile("SEP0123456789AB", lines: ["1000"]), .unknown))
        #expect(engine.send(.lineStateChanged("1002", .inUse)).count == 1)
        // A new device-user appears in the stream as it registers.
        #expect(
            engine.send(.lineStateChanged("1000", .ringing)) == [
                .userPresence(.anonymous(1), "1000", .visible(engine.presence("1000") ?? .unknownUser))
            ]
        )
    }

    @Test func aUserWatchedByFiftyOthers() {
        // Issue 8's shape at a tenth of its size: 2,000 users each watched by 50 (100,000 subscriptions).
        let benchmark = PresenceBenchmark(users: 2_000, watchersPerUser: 50, restrictedEvery: 10, changes: 0)
        var engine = benchmark.makeEngine()
        #expect(engine.subscriptionCount == 100_000)
        #expect(engine.userCount == 2_000)
        // A public user: all 50 watchers hear. A restricted one (every tenth): the 25 on the list.
        #expect(engine.send(.lineStateChanged(PresenceBenchmark.number(1), .inUse)).count == 50)
        #expect(engine.send(.lineStateChanged(PresenceBenchmark.number(10), .inUse)).count == 25)
    }

    @Test(arguments: [PresenceBenchmark.WatcherKind.users, .busyLampFields])
    func theBenchmarkRuns(_ kind: PresenceBenchmark.WatcherKind) {
        let result = PresenceBenchmark(
            users: 200,
            watchersPerUser: 10,
            watcherKind: kind,
            restrictedEvery: 0,
            changes: 100
        ).run()
        #expect(result.subscriptions == 2_000)
        #expect(result.changes == 100)
        // Every change toggles a user's only line: its 10 watchers hear each time.
        #expect(result.notifications == 1_000)
        #expect(result.median <= result.p99 && result.p99 <= result.maximum)
        #expect(result.description.contains("2000 subscriptions"))
    }
}
