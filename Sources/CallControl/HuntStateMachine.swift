/// Which hunt group members a call is offered to, and when it gives up: a pure sub-machine of a ``Call``
/// (style.md §2.9). The core tells it what happened (an offer timed out, the offered members all went away) and
/// asks which members are available; it answers with what to do next. It never touches legs or timers itself.
///
/// Sequential algorithms (top-down, circular, longest-idle) offer one member at a time in the order the core gives
/// at the start (the core computes circular and longest-idle orders from its own history); broadcast offers every
/// available member at once, once. A member that is not available when its turn comes (busy, unregistered, in
/// do-not-disturb, or the caller itself) is skipped. When the list runs out the call goes to the final destination,
/// or the caller hears busy.
struct HuntStateMachine: Hashable, Sendable {
    /// What the core should do next.
    enum Action: Hashable, Sendable {
        /// Offer the call to these members (ring every device of each), with the group's no-answer timer.
        case offer([DirectoryNumber])
        /// Nobody answered or nobody was available: send the call to this dialled string.
        case finalDestination(String)
        /// Nobody answered and there is no final destination: the caller hears busy.
        case exhausted
    }

    private enum State: Hashable, Sendable {
        /// Offering to `current`; `remaining` members still to try, in order.
        case offering(current: [DirectoryNumber], remaining: [DirectoryNumber])
        /// The call left the hunt (answered, final destination or exhausted).
        case finished
    }

    let group: HuntGroup
    private var state: State

    /// - Parameter order: the members in the order they are to be tried (for broadcast: all of them).
    init(group: HuntGroup, order: [DirectoryNumber]) {
        self.group = group
        self.state = .offering(current: [], remaining: order)
    }

    /// The members offered the call now.
    var currentMembers: [DirectoryNumber] {
        switch state {
        case .offering(let current, _): current
        case .finished: []
        }
    }

    var isFinished: Bool { state == .finished }

    /// The call arrived at the pilot: offer it to the first available member (or, broadcast, to all).
    mutating func start(isAvailable: (DirectoryNumber) -> Bool) -> Action {
        next(isAvailable: isAvailable)
    }

    /// The members offered the call did not answer in time, or all of them went away: move on.
    mutating func offerEnded(isAvailable: (DirectoryNumber) -> Bool) -> Action {
        next(isAvailable: isAvailable)
    }

    /// A member answered: the hunt is over.
    mutating func answered() {
        state = .finished
    }

    private mutating func next(isAvailable: (DirectoryNumber) -> Bool) -> Action {
        guard case .offering(_, var remaining) = state else { return .exhausted }
        if group.algorithm == .broadcast {
            let available = remaining.filter(isAvailable)
            remaining = []
            if !available.isEmpty {
                state = .offering(current: available, remaining: [])
                return .offer(available)
            }
        } else {
            while !remaining.isEmpty {
                let member = remaining.removeFirst()
                if isAvailable(member) {
                    state = .offering(current: [member], remaining: remaining)
                    return .offer([member])
                }
            }
        }
        state = .finished
        if let final = group.finalDestination { return .finalDestination(final) }
        return .exhausted
    }
}
