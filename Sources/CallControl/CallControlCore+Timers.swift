/// Timer expiries: each leg has at most one timer, whose purpose says what its expiry means in the leg's state.
extension CallControlCore {
    mutating func timerFired(_ id: TimerID) {
        guard let reference = timers.removeValue(forKey: id), let leg = legs[reference], leg.timer == id else {
            return
        }
        legs[reference]?.timer = nil
        switch (id.purpose, leg.state) {
        case (.offHook, .dialing):
            fail(reference, .offHookTimeout)
        case (.interdigit, .dialing):
            finishDialing(reference, end: .interdigitTimeout)
        case (.failedCall, .failed):
            release(reference, reason: .timeout)
        case (.noAnswer, .ringingOut):
            noAnswerTimeout(reference)
        case (.huntNoAnswer, .ringingOut):
            withdrawOffer(leg.call)
            huntOfferEnded(leg.call)
        case (.parkReversion, .connected):
            parkReversionDue(leg.call)
        case (.earlyOffer, .ringingIn):
            earlyOfferTimedOut(reference)
        case (.offHook, _), (.interdigit, _), (.failedCall, _), (.noAnswer, _), (.huntNoAnswer, _),
            (.parkReversion, _), (.earlyOffer, _):
            // Every state change cancels or replaces the leg's timer, so this cannot happen; ignore rather than trap.
            break
        }
    }
}
