import NIOCore
import SkinnyPhone

/// Everything one run learns, owned by one actor: the phones, their numbers, counters, latencies and failures.
/// Phones' tasks report here; the progress line and the final report read from here.
actor LoadRun {
    /// A registered phone and the number it can be called at.
    struct Member: Sendable {
        let phone: SkinnyPhone
        let number: String?
    }

    let startedAt: NIODeadline = .now()

    // Registration
    private(set) var registrationsStarted = 0
    private(set) var registered = 0
    private(set) var registrationInFlight = 0
    private(set) var registrationLatency = LatencyHistogram()
    private(set) var registrationFailures = ReasonCounts()
    private(set) var firstRegistrationStart: NIODeadline?
    private(set) var lastRegistrationEnd: NIODeadline?
    private(set) var members: [Member?]

    // Calls
    private(set) var callsAttempted = 0
    private(set) var callsSetUp = 0
    private(set) var callsCompleted = 0
    private(set) var callsInFlight = 0
    private(set) var callsUp = 0
    private(set) var callsSkipped = 0
    private(set) var setupLatency = LatencyHistogram()
    private(set) var mediaLatency = LatencyHistogram()
    /// From sending the number to the callee ringing: the setup without the caller's reaction to dial tone.
    private(set) var dialLatency = LatencyHistogram()
    private(set) var callFailures = ReasonCounts()
    /// The most calls in flight at once, and when calls rang in (`answer`, where the calls come from elsewhere).
    private(set) var peakCallsInFlight = 0
    private var firstRing: NIODeadline?
    private var lastRing: NIODeadline?
    /// Indices of registered, callable phones not in a call.
    private var idle: [Int] = []
    private var generator = SystemRandomNumberGenerator()

    init(phones: Int) {
        self.members = Array(repeating: nil, count: phones)
    }

    var secondsSinceStart: Double { Self.seconds(.now() - self.startedAt) }

    static func seconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1e9 }

    // MARK: Registration

    func registrationStarted(at start: NIODeadline) {
        self.registrationsStarted += 1
        self.registrationInFlight += 1
        if self.firstRegistrationStart == nil { self.firstRegistrationStart = start }
    }

    func registrationSucceeded(index: Int, member: Member, latency: TimeAmount, end: NIODeadline) {
        self.registrationInFlight -= 1
        self.registered += 1
        self.members[index] = member
        self.registrationLatency.record(nanoseconds: latency.nanoseconds)
        self.lastRegistrationEnd = max(self.lastRegistrationEnd ?? end, end)
        if member.number != nil { self.idle.append(index) }
    }

    func registrationFailed(reason: String) {
        self.registrationInFlight -= 1
        self.registrationFailures.add(reason)
    }

    /// Seconds from the first registration started to the last one completed.
    var registrationSeconds: Double? {
        guard let first = self.firstRegistrationStart, let last = self.lastRegistrationEnd else { return nil }
        return Self.seconds(last - first)
    }

    /// Registered phones whose connection is no longer open.
    func lostPhones() -> Int {
        var lost = 0
        for member in self.members {
            if let member, !member.phone.channel.isActive { lost += 1 }
        }
        return lost
    }

    func allMembers() -> [Member] { self.members.compactMap { $0 } }

    // MARK: Calls

    /// Two distinct idle phones, chosen at random, now busy; nil when fewer than two are idle.
    func takePair() -> (caller: Int, callee: Int)? {
        guard self.idle.count >= 2 else {
            self.callsSkipped += 1
            return nil
        }
        let caller = self.takeIdle()
        let callee = self.takeIdle()
        self.callsAttempted += 1
        self.callsInFlight += 1
        return (caller, callee)
    }

    private func takeIdle() -> Int {
        let position = Int.random(in: 0..<self.idle.count, using: &self.generator)
        self.idle.swapAt(position, self.idle.count - 1)
        return self.idle.removeLast()
    }

    func member(_ index: Int) -> Member? { self.members[index] }

    /// A call rang in on a phone that answers calls (`answer`): attempted and in flight until `callEnded`.
    func inboundCallRang() {
        let now = NIODeadline.now()
        if self.firstRing == nil { self.firstRing = now }
        self.lastRing = now
        self.callsAttempted += 1
        self.callsInFlight += 1
        self.peakCallsInFlight = max(self.peakCallsInFlight, self.callsInFlight)
    }

    /// Seconds from the first call that rang in to the last (`answer`).
    var ringingSeconds: Double? {
        guard let first = self.firstRing, let last = self.lastRing else { return nil }
        return Self.seconds(last - first)
    }

    func callRang(setupLatency: TimeAmount, dialToRinging: TimeAmount) {
        self.setupLatency.record(nanoseconds: setupLatency.nanoseconds)
        self.dialLatency.record(nanoseconds: dialToRinging.nanoseconds)
    }

    func callMediaStarted(latency: TimeAmount) {
        self.mediaLatency.record(nanoseconds: latency.nanoseconds)
        self.callsSetUp += 1
        self.callsUp += 1
    }

    func callCleared() {
        self.callsUp -= 1
    }

    /// A call ended: `failure` is nil for a call that completed. Phones that are still usable go back to idle.
    func callEnded(failure: String?, returning phones: [Int]) {
        self.callsInFlight -= 1
        if let failure {
            self.callFailures.add(failure)
        } else {
            self.callsCompleted += 1
        }
        self.idle.append(contentsOf: phones)
    }

    var idleCount: Int { self.idle.count }
}
