/// Internal state of ``CallControlCore``: registered devices and call legs.
extension CallControlCore {
    /// A registered device: its resolved configuration, capabilities, and its call legs in creation order.
    struct RegisteredDevice: Sendable {
        var profile: DeviceProfile
        var capabilities: DeviceCapabilities
        /// Live legs of this device, oldest first. A handful at most (lines × max calls), so scanning is cheap.
        var legs: [CallReference] = []

        func appearance(_ instance: LineInstance) -> LineAppearance? {
            let index = Int(instance.rawValue) - 1
            guard index >= 0, index < profile.lines.count else { return nil }
            return profile.lines[index]
        }
    }

    /// Where one leg of a call stands.
    enum LegState: Sendable {
        /// Off-hook, collecting digits (possibly none yet).
        case dialing(String)
        /// The call failed for the caller (busy, reorder, invalid number); waiting for hang-up or the failed-call timer.
        case failed(CallFailure)
        /// Caller side: the callee's leg `peer` is ringing.
        case ringingOut(peer: CallReference)
        /// Callee side: ringing for the caller's leg `peer`; `callWaiting` while the device has another active call.
        case ringingIn(peer: CallReference, callWaiting: Bool)
        /// In conversation with `peer` (possibly held, see ``Leg/isHeld``).
        case connected(peer: CallReference)

        var peer: CallReference? {
            switch self {
            case .dialing, .failed: nil
            case .ringingOut(let peer), .ringingIn(let peer, _), .connected(let peer): peer
            }
        }
    }

    /// Why a call failed for the caller.
    enum CallFailure: Hashable, Sendable {
        case busy
        case invalidNumber
        case unavailable
        case blocked
        case offHookTimeout

        var indication: Indication {
            switch self {
            case .busy: .busy
            case .invalidNumber: .invalidNumber
            case .unavailable: .reorder(.unavailable)
            case .blocked: .reorder(.blocked)
            case .offHookTimeout: .reorder(.offHookTimeout)
            }
        }

        var endCause: CallEndCause {
            switch self {
            case .busy: .busy
            case .invalidNumber: .invalidNumber
            case .unavailable: .unavailable
            case .blocked: .blocked
            case .offHookTimeout: .abandoned
            }
        }
    }

    /// The call-level facts a record needs; kept on the caller's leg, which lives as long as the call.
    struct CallDraft: Sendable {
        var setupTime: Timestamp
        /// Set once the number is complete; a call without it leaves no record.
        var dialedNumber: String?
        var calledNumber: DirectoryNumber?
        var calledDevice: DeviceName?
        var calledReference: CallReference?
        var answerTime: Timestamp?
        var codec: Codec?
        /// The numbers this call was forwarded away from, in order: a forward back to one of them is a loop.
        var forwardedFrom: [DirectoryNumber] = []
    }

    /// One device's media stream in a call.
    struct MediaStream: Sendable {
        var id: PassThroughPartyID
        var parameters: MediaParameters
        /// Where this device receives, once it acknowledged the receive channel.
        var receiveEndpoint: MediaEndpoint?
    }

    /// One device's side of a call.
    struct Leg: Sendable {
        let reference: CallReference
        let device: DeviceName
        let line: LineInstance
        /// This leg's line as the other party sees it.
        let party: Party
        var state: LegState
        /// This side pressed Hold. Media runs only while neither side holds.
        var isHeld = false
        var timer: TimerID?
        var stream: MediaStream?
        /// Present on the caller's leg only.
        var draft: CallDraft?

        var isCaller: Bool { draft != nil }

        /// The call the user is busy with on this device: at most one leg per device is active.
        var isActive: Bool {
            switch state {
            case .dialing, .failed, .ringingOut: true
            case .connected: !isHeld
            case .ringingIn: false
            }
        }

        var isRinging: Bool {
            if case .ringingIn = state { return true }
            return false
        }
    }

    /// Why a leg is being released, for the call record.
    enum ReleaseReason: Sendable {
        /// The user hung up or pressed EndCall.
        case hangUp
        /// A device left (unregistered or removed).
        case deviceLost
        /// The failed-call timer expired.
        case timeout
    }
}
