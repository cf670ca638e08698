import CallRuntime
import Testing

@Suite("Take-over policy")
struct TakeOverPolicyTests {
    let policy = TakeOverPolicy(keepAliveInterval: .seconds(30))

    @Test func aNameNobodyHoldsIsGiven() {
        #expect(self.policy.decide(.unowned) == .accept)
    }

    @Test func theSessionThatHoldsTheNameMayClaimItAgain() {
        #expect(self.policy.decide(.ownedByClaimant) == .reregister)
    }

    @Test func anOwnerHeardWithinOneAndAHalfKeepalivesKeepsTheName() {
        #expect(self.policy.decide(.ownedByAnother(silence: .zero)) == .refuse)
        // A keepalive one interval late is still within the window.
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(30))) == .refuse)
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(44))) == .refuse)
    }

    @Test func theWindowIncludesItsEnd() {
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(45))) == .refuse)
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(45) + .nanoseconds(1))) == .takeOver)
    }

    @Test func aSilentOwnerIsTakenOver() {
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(46))) == .takeOver)
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(3600))) == .takeOver)
    }

    @Test func aClockThatWentBackwardsCountsAsHeard() {
        // A last-heard time after "now" (two clocks read in a race) must not take a live phone's name.
        #expect(self.policy.decide(.ownedByAnother(silence: .seconds(-1))) == .refuse)
    }

    @Test(arguments: [
        (Duration.seconds(1), Duration.milliseconds(1_500)),
        (.seconds(10), .seconds(15)),
        (.seconds(30), .seconds(45)),
        (.seconds(3_600), .seconds(5_400)),
        // An odd number of nanoseconds: the half is kept, not rounded up to a whole nanosecond of extra grace.
        (.nanoseconds(3), .nanoseconds(4) + .nanoseconds(1) / 2),
    ])
    func theWindowIsOneAndAHalfKeepalives(keepAlive: Duration, window: Duration) {
        let policy = TakeOverPolicy(keepAliveInterval: keepAlive)
        #expect(policy.aliveWindow == window)
        #expect(policy.decide(.ownedByAnother(silence: window)) == .refuse)
        #expect(policy.decide(.ownedByAnother(silence: window + .nanoseconds(1))) == .takeOver)
    }
}
